"""Reading an index: a snapshot of its segments, and numpy views of each (postings, positions, field
lengths, columns, the deleted-document mask), handed out as plain values.

Whoosh's matchers walk postings one document at a time in Python. Search instead reads a term's whole
posting list as two arrays (document numbers, term frequencies) and scores every matching document at once;
phrases read the positions the same way, as flat arrays, and match adjacency with array set operations.
Terms and posting lists are read from the segment's mapped files (`terms`), which leans on the on-disk
layout of Whoosh 2.7's W3 codec (FORMAT.md): that is why the backend refuses any other Whoosh.
Arrays that never change for a segment (lengths, columns) are cached on the `Segment`, which lives as long as
the snapshot it came from. A snapshot is made from the table of contents alone: Whoosh's own reader, which
opens every segment's term directory and stored-record offsets in Python loops, is built only for what
needs it (prefix and fuzzy term expansion). No Whoosh object leaves this module: a `Snapshot` and its `Segment`s answer with
arrays, strings, numbers and stored records (dicts of strings).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pickle
import zlib

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec
from whoosh.reading import IndexReader
from whoosh.util.numeric import byte_to_length

from ..clusters import WIDTH
from ..schema import MISSING
from . import generations
from .persisted import PackedValues
from .terms import PostingsFile, TermTable, mapped

__all__ = ["Segment", "Snapshot", "SIGNATURE_CHUNK"]

SIGNATURE_CHUNK = 32_768  # signature rows read at a time: 7.5 MB

# Whoosh stores a field's length in one byte, on a log-like scale
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
_NO_POSITIONS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64),
                 np.zeros(0, dtype=np.int64))


class _DecodedLists:
    """Posting lists decoded lately, for every open segment together, up to `budget` bytes, the least
    recently read dropped first. A segment never changes, and a long-lived process (a batch, `serve`,
    alerts) reads the same common words' lists query after query: decoding them (unpickling and summing
    each block) was about a fifth of a query's time. A list over an eighth of the budget is not kept."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._lists: OrderedDict[tuple[int, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str, str]) -> tuple[np.ndarray, np.ndarray] | None:
        with self._lock:
            found = self._lists.get(key)
            if found is not None:
                self._lists.move_to_end(key)
            return found

    def put(self, key: tuple[int, str, str], found: tuple[np.ndarray, np.ndarray]) -> None:
        size = sum(array.nbytes for array in found)
        if size > self.budget // 8:
            return
        for array in found:
            array.flags.writeable = False  # shared by every later reader of the list
        with self._lock:
            if key in self._lists:
                return
            self._lists[key] = found
            self._bytes += size
            while self._bytes > self.budget:
                _, dropped = self._lists.popitem(last=False)
                self._bytes -= sum(array.nbytes for array in dropped)


_DECODED = _DecodedLists(32 * 1024 * 1024)
_SEGMENT_KEYS = itertools.count()  # a key per opened segment: the cache never confuses two


class Segment:
    """One segment of a snapshot; document numbers are local (global = offset + local)."""

    def __init__(self, storage: Any, segment: Any, schema: Any, offset: int) -> None:
        self._segment = segment  # Whoosh's entry for it in the table of contents
        self._schema = schema
        self._perdoc = segment.codec().per_document_reader(storage, segment)  # opens columns when read
        self.offset = offset
        self.size = segment.doc_count_all()
        self._folder = Path(storage.folder)
        self._terms = TermTable(self._file(W3Codec.TERMS_EXT))
        self._postings = PostingsFile(self._file(W3Codec.POSTS_EXT))
        self._key = next(_SEGMENT_KEYS)
        self._values: dict[str, tuple[Any, np.ndarray, np.ndarray]] = {}  # column -> (data, starts, lengths)
        self._lengths: dict[str, np.ndarray] = {}
        self._numbers: dict[str, np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    @cached_property
    def live(self) -> np.ndarray:
        """True for documents not deleted."""
        mask = np.ones(self.size, dtype=bool)
        if self._segment.has_deletions():
            mask[np.fromiter(self._segment.deleted_docs(), dtype=np.int64)] = False
        return mask

    def _file(self, extension: str) -> Path:
        return self._folder / self._segment.make_filename(extension)

    def field_length(self, field: str) -> int:
        """The terms of a text field over this segment's documents, deleted ones included."""
        return self._segment._fieldlengths.get(field, 0)

    def stored(self, docnum: int) -> dict[str, Any]:
        """A document's stored record. W3 keeps them in one column of deflated pickles (`._stored.col`): the
        values one after another, then each one's length (a big-endian array); Whoosh's reader sums those lengths in a
        Python loop on opening, where numpy takes one cumulative sum."""
        value = self._value("_stored", docnum)
        return pickle.loads(zlib.decompress(value)) if value else {}

    def terms_of(self, field: str, docnum: int) -> list[str]:
        """The index terms a document keeps in a "terms" column (`schema.FieldSpec`)."""
        return self._value(field, docnum).decode("utf-8").split()

    def _value(self, column: str, docnum: int) -> bytes:
        """A document's value in a column of variable-length values, read from the mapped file: no Whoosh
        reader is made for it (nor its Python loop over the lengths)."""
        if column not in self._values:
            data = mapped(self._folder / W3Codec.column_filename(self._segment, column))
            self._values[column] = (data, *value_bounds(data, self.size))
        data, starts, lengths = self._values[column]
        start = int(starts[docnum])
        return data[start:start + int(lengths[docnum])]

    def has_term(self, field: str, text: str) -> bool:
        return self._terms.info(field, text) is not None

    def doc_frequency(self, field: str, text: str) -> int:
        """Documents of this segment holding a term, deleted ones included."""
        info = self._terms.info(field, text)
        return info.frequency if info is not None else 0

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term in this segment, deleted documents included."""
        key = (self._key, field, text)
        found = _DECODED.get(key)
        if found is not None:
            return found
        info = self._terms.info(field, text)
        if info is None:
            return _EMPTY
        ids, weights, _values = self._postings.read(info, values=False)
        _DECODED.put(key, (ids, weights))
        return ids, weights

    def positions(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(document numbers, weights, each posting's number of positions, every position in posting order)
        of a term of a positions field (`persisted.PositionsFormat`), deleted documents included: a phrase
        is matched and scored from one reading of each word's list."""
        info = self._terms.info(field, text)
        if info is None:
            return _NO_POSITIONS
        ids, weights, values = self._postings.read(info, values=True)
        return (ids, weights, *_flat_positions(values))

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length (in terms) of a text field, as scored."""
        if field not in self._lengths:
            column = self._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
            if column is None:
                self._lengths[field] = np.zeros(self.size, dtype=np.float32)
            else:
                # W3 stops the column after the last document with a length: the rest are 0
                raw = np.zeros(self.size, dtype=np.uint8)
                written = min(column._count, self.size)
                raw[:written] = np.frombuffer(column._dbfile.get(column._basepos, written), dtype=np.uint8)
                self._lengths[field] = _BYTE_LENGTHS[raw]
        return self._lengths[field]

    def numbers(self, field: str) -> np.ndarray:
        """A number column (dates as epoch seconds; columns.MISSING where absent)."""
        if field not in self._numbers:
            if self._perdoc.has_column(field):
                self._numbers[field] = _read_numbers(self._column(field), self.size)
            else:
                self._numbers[field] = np.full(self.size, MISSING, dtype=np.int64)
        return self._numbers[field]

    def codes(self, field: str) -> tuple[np.ndarray, list[str]]:
        """A dictionary column: per-document codes and the table of values they point into."""
        if field not in self._codes:
            if self._perdoc.has_column(field):
                self._codes[field] = self._column(field).load_all()
            else:
                self._codes[field] = (np.zeros(self.size, dtype=np.uint32), [""])
        return self._codes[field]

    def _column(self, field: str) -> Any:
        return self._perdoc.column_reader(field, self._schema[field].column_type)


def _flat_positions(blocks: Sequence[Sequence[bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """(each posting's number of positions, every position in posting order) from blocks of values: a value
    is its positions as little-endian uint32s, so a block decodes with one join (or none, packed)."""
    counts, positions = [], []
    for block in blocks:
        if isinstance(block, PackedValues):
            counts.append(block.count_array())
            positions.append(np.frombuffer(block.buffer, dtype="<u4"))
        else:  # as Whoosh's own writer leaves them: a value per posting
            counts.append(np.fromiter(map(len, block), dtype=np.int64, count=len(block)) // 4)
            positions.append(np.frombuffer(b"".join(block), dtype="<u4"))
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(counts).astype(np.int64), np.concatenate(positions).astype(np.int64)


def value_bounds(data: Any, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each value of a Whoosh variable-length column of `count` values: the values, then
    their lengths as a big-endian array, then its type code; past 32,768 values the offsets follow the
    lengths, then both type codes and "X"."""
    code = chr(data[-1])
    if code == "X":
        code = chr(data[-3])
        end = len(data) - 3 - count * np.dtype(chr(data[-2])).itemsize
    else:
        end = len(data) - 1
    dtype = np.dtype(code).newbyteorder(">")
    lengths = np.frombuffer(data, dtype=dtype, count=count, offset=end - count * dtype.itemsize).astype(np.int64)
    return np.cumsum(lengths) - lengths, lengths


def _read_numbers(reader: Any, doccount: int) -> np.ndarray:
    """A NumberColumn's values as one int64 array (Whoosh writes them big-endian, one after another, and stops
    after the last document that has one: the rest are MISSING)."""
    written = min(reader._count, doccount)
    values = np.full(doccount, MISSING, dtype=np.int64)
    values[:written] = np.frombuffer(reader._dbfile.get(reader._basepos, written * 8), dtype=">i8")
    return values


def _read_signatures(reader: Any, first: int, last: int) -> np.ndarray:
    """Rows first..last-1 of a SignatureColumn as one (rows, WIDTH) uint32 array (Whoosh stops writing after
    the last row that is not zeros: the rest are zeros)."""
    matrix = np.zeros((last - first, WIDTH), dtype=np.uint32)
    written = max(min(reader._count, last) - first, 0)
    if written:
        raw = reader._dbfile.get(reader._basepos + first * WIDTH * 4, written * WIDTH * 4)
        matrix[:written] = np.frombuffer(raw, dtype="<u4").reshape(written, WIDTH)
    return matrix


def signatures(reader: Any, first_segment: int = 0) -> Iterator[tuple[int, np.ndarray]]:
    """(first document number, signature rows) of a Whoosh reader's documents (one segment's or several),
    from segment `first_segment` on, a bounded chunk at a time."""
    for leaf, offset in list(reader.leaf_readers())[first_segment:]:
        count = leaf.doc_count_all()
        column = leaf.column_reader("signature", translate=False) if leaf.has_column("signature") else None
        for start in range(0, count, SIGNATURE_CHUNK):
            end = min(start + SIGNATURE_CHUNK, count)
            if column is None:
                yield offset + start, np.zeros((end - start, WIDTH), dtype=np.uint32)
            else:
                yield offset + start, _read_signatures(column, start, end)


def live_documents(reader: Any, field: str, text: str) -> list[int]:
    """The live document numbers (in a Whoosh reader's numbering) holding a term."""
    if (field, text) not in reader:
        return []
    return list(reader.postings(field, text).all_ids())


class Snapshot:
    """One committed state of an index, for reading: its segments and index-wide term statistics. Opened by
    `storage.Storage.snapshot`; `close` when done (a later commit is seen by a new snapshot)."""

    def __init__(self, ix: whoosh_index.FileIndex) -> None:
        self._ix = ix
        self._hold = generations.hold_latest(ix)  # until `close`, no commit deletes a file of this one
        self._toc = toc = self._hold.toc
        self.segments: list[Segment] = []
        offset = 0
        try:
            for segment in toc.segments:
                self.segments.append(Segment(ix.storage, segment, toc.schema, offset))
                offset += segment.doc_count_all()
        except BaseException:
            self._hold.release()
            raise
        self._offsets = np.array([seg.offset for seg in self.segments], dtype=np.int64)
        self._reader: IndexReader | None = None

    def _whoosh(self) -> IndexReader:
        # Whoosh's reader of the same segments, for term expansion
        if self._reader is None:
            toc = self._toc
            self._reader = self._ix._reader(self._ix.storage, toc.schema, list(toc.segments), toc.generation)
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self._hold.release()

    def document_count(self, *, include_deleted: bool = False) -> int:
        if include_deleted:
            return sum(seg.size for seg in self.segments)
        return sum(seg.size - seg._segment.deleted_count() for seg in self.segments)

    def field_length(self, field: str) -> int:
        """The terms of a text field over all stored documents (deleted ones too, until a merge drops them)."""
        return sum(seg.field_length(field) for seg in self.segments)

    def doc_frequency(self, field: str, text: str) -> int:
        """Documents holding a term (deleted ones too, until a merge drops them)."""
        return sum(seg.doc_frequency(field, text) for seg in self.segments)

    def has_term(self, field: str, text: str) -> bool:
        return any(seg.has_term(field, text) for seg in self.segments)

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        """The terms of a field that begin with `prefix`, ascending."""
        return (term.decode("utf-8") for term in self._whoosh().expand_prefix(field, prefix))

    def terms_within(self, field: str, text: str, distance: int, *, prefix: int = 0) -> list[str]:
        """The terms of a field within an edit distance of `text` that share its first `prefix` characters."""
        return list(self._whoosh().terms_within(field, text, distance, prefix=prefix))

    def documents_with(self, field: str, text: str) -> np.ndarray:
        """The live documents (ascending) holding a term."""
        found = [seg.offset + ids[seg.live[ids]] for seg in self.segments
                 for ids in (seg.postings(field, text)[0],) if len(ids)]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def document_number(self, field: str, value: str) -> int | None:
        """The live document holding a term of a unique field (an id), or None."""
        found = self.documents_with(field, value)
        return int(found[0]) if len(found) else None

    def stored(self, docnum: int) -> dict[str, Any]:
        """A document's stored record."""
        seg = self._segment_of(docnum)
        return seg.stored(docnum - seg.offset)

    def terms_of(self, field: str, docnum: int) -> list[str]:
        """The index terms a document keeps in a "terms" column."""
        seg = self._segment_of(docnum)
        return seg.terms_of(field, docnum - seg.offset)

    def _segment_of(self, docnum: int) -> Segment:
        return self.segments[int(np.searchsorted(self._offsets, docnum, side="right")) - 1]
