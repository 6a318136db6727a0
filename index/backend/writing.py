"""One commit: the state it starts from, read as plain values, deletions, one new segment, and the swap.

Whoosh's `SegmentWriter` creates the new segment's files (through `persisted.Codec`) and, at commit,
writes a new table of contents naming the segments kept and the new one, in one atomic rename, so a
process killed at any point leaves the last commit intact. The segment's contents are written whole by
`bulk.write_segment`. What the commit replaced is deleted only where no reader holds it (`generations`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from ..tokens import Analysed
from . import generations, integrity
from .bulk import write_segment
from .persisted import Codec
from .reading import live_documents, signatures
from .storage import segment_ids

__all__ = ["Commit"]


class _Writer(SegmentWriter):
    """Whoosh's writer, but the files of older commits still read by a search are kept."""

    def _commit_toc(self, segments):  # type: ignore[no-untyped-def]
        whoosh_index.TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        generations.delete_unheld(self.storage, self.indexname, self.generation, segments)


class Commit:
    """A commit in the making. Document numbers are those of the state it starts from; `finish` makes the
    changes durable and visible, `cancel` drops them."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        self._ix = ix
        self._writer = _Writer(ix, codec=Codec(), compound=False)
        self._reader = self._writer.reader()
        self._clusters = (self._reader.column_reader("cluster", translate=False)
                          if self._reader.doc_count_all() else None)

    # the state it starts from

    def segment_sizes(self) -> tuple[list[int], list[int]]:
        """(live documents, all documents) per segment, oldest first."""
        segments = self._writer.segments
        return [seg.doc_count() for seg in segments], [seg.doc_count_all() for seg in segments]

    def segment_terms(self, field: str) -> Iterator[tuple[str, Iterator[bytes]]]:
        """(segment id, that segment's terms of a field as UTF-8) per segment; a segment never changes, so
        its id names what it holds."""
        for leaf, _offset in self._reader.leaf_readers():
            if leaf.segment() is not None:  # an empty index's reader has none
                yield leaf.segment().segment_id(), leaf.lexicon(field)

    def is_deleted(self, docnum: int) -> bool:
        return self._reader.is_deleted(docnum)

    def cluster(self, docnum: int) -> str:
        """A stored document's cluster ("" when none)."""
        return self._clusters[docnum].decode("utf-8") if self._clusters is not None else ""

    def stored(self, docnum: int) -> dict[str, Any]:
        """A document's stored record."""
        return self._reader.stored_fields(docnum)

    def signatures(self, first_segment: int = 0) -> Iterator[tuple[int, np.ndarray]]:
        """(first document number, signature rows) from segment `first_segment` on, a chunk at a time."""
        return signatures(self._reader, first_segment)

    def documents_with(self, field: str, text: str) -> list[int]:
        """The live documents holding a term (for an id: one, or none)."""
        return live_documents(self._reader, field, text)

    # changes

    def delete(self, docnum: int) -> None:
        self._writer.delete_document(docnum)

    def write(self, docs: Sequence[dict[str, Any]], analysed: Analysed) -> None:
        """Write the new segment (once): `schema.document_fields` dicts, their text analysed in `analysed`."""
        write_segment(self._writer, docs, analysed)

    def finish(self, *, keep: int) -> None:
        """Commit: the first `keep` segments stay, the rest give way to the new one (their live documents
        must have been written into it)."""
        kept = self._writer.segments[:keep]
        self._writer.commit(mergetype=lambda _writer, _segments: list(kept))
        integrity.seal(Path(self._ix.storage.folder), segment_ids(self._ix))

    def cancel(self) -> None:
        self._writer.cancel()
