"""numpy views of one Whoosh segment: postings, field lengths, columns and the deleted-document mask.

Whoosh's matchers walk postings one document at a time in Python. Search instead reads a term's whole
posting list as two arrays (document numbers, term frequencies) and scores every matching document at once;
phrases read the positions the same way, as flat arrays, and match adjacency with array set operations.
This leans on the on-disk layout of Whoosh 2.7's W3 codec (pickled blocks of delta-coded ids), which is why
the project pins whoosh-reloaded to one version; anything else falls back to the public matcher interface.
Arrays that never change for a segment (lengths, columns) are cached on the `Segment`, which lives as long as
the searcher it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from .columns import MISSING, read_codes, read_numbers
from .postings import PackedValues

__all__ = ["Segment", "segments_of"]

# Whoosh stores a field's length in one byte, on a log-like scale
_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
_NO_POSITIONS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64),
                 np.zeros(0, dtype=np.int64))


class Segment:
    """One segment of a searcher's snapshot; document numbers are local (global = offset + local)."""

    def __init__(self, searcher: Searcher, offset: int) -> None:
        self.searcher = searcher  # Whoosh's view of this segment alone
        self.reader: SegmentReader = searcher.reader()
        self.offset = offset
        self.size = self.reader.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._numbers: dict[str, np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}

    @cached_property
    def live(self) -> np.ndarray:
        """True for documents not deleted."""
        mask = np.ones(self.size, dtype=bool)
        if self.reader.has_deletions():
            mask[np.fromiter(self.reader.deleted_docs_set, dtype=np.int64)] = False
        return mask

    def has_term(self, field: str, text: str) -> bool:
        return (field, text) in self.reader

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term in this segment, deleted documents included."""
        try:
            matcher = self.reader._terms.matcher(field, text.encode("utf-8"), self.reader.schema[field].format)
        except (TermNotFound, KeyError):
            return _EMPTY
        if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
            ids, weights, _values = _read_blocks(matcher, values=False)
            return ids, weights
        if isinstance(matcher, ListMatcher):
            return np.asarray(matcher._ids, dtype=np.int64), np.asarray(matcher._weights, dtype=np.float32)
        found = list(matcher.items_as("weight"))
        return (np.array([d for d, _ in found], dtype=np.int64), np.array([w for _, w in found], dtype=np.float32))

    def positions(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(document numbers, weights, each posting's number of positions, every position in posting order)
        of a term of a positions field (`analysis.PositionsFormat`), deleted documents included: a phrase
        is matched and scored from one reading of each word's list."""
        try:
            matcher = self.reader._terms.matcher(field, text.encode("utf-8"), self.reader.schema[field].format)
        except (TermNotFound, KeyError):
            return _NO_POSITIONS
        if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
            ids, weights, values = _read_blocks(matcher, values=True)
            return (ids, weights, *_flat_positions(values))
        if isinstance(matcher, ListMatcher) and matcher._values is not None:
            return (np.asarray(matcher._ids, dtype=np.int64), np.asarray(matcher._weights, dtype=np.float32),
                    *_flat_positions([matcher._values]))
        found = list(matcher.items_as("positions"))
        return (np.array([d for d, _ in found], dtype=np.int64), self.postings(field, text)[1],
                np.array([len(p) for _, p in found], dtype=np.int64),
                np.array([q for _, p in found for q in p], dtype=np.int64))

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length (in terms) of a text field, as scored."""
        if field not in self._lengths:
            column = self.reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
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
            if self.reader.has_column(field):
                column = self.reader.column_reader(field, translate=False)
                self._numbers[field] = read_numbers(column, self.size)
            else:
                self._numbers[field] = np.full(self.size, MISSING, dtype=np.int64)
        return self._numbers[field]

    def codes(self, field: str) -> tuple[np.ndarray, list[str]]:
        """A dictionary column: per-document codes and the table of values they point into."""
        if field not in self._codes:
            if self.reader.has_column(field):
                self._codes[field] = read_codes(self.reader.column_reader(field, translate=False))
            else:
                self._codes[field] = (np.zeros(self.size, dtype=np.uint32), [""])
        return self._codes[field]


def _read_blocks(matcher: W3LeafMatcher, *, values: bool) -> tuple[np.ndarray, np.ndarray, list[Sequence[bytes]]]:
    """A W3 posting list read block by block: (document numbers, weights, each block's values if asked)."""
    ids, weights, found = [], [], []
    while not matcher._atend:
        matcher._read_data()
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))  # ids are delta-coded per block
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        if values:
            matcher._read_values()
            found.append(matcher._values)
        matcher._next_block()
    return np.concatenate(ids), np.concatenate(weights), found


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


def segments_of(searcher: Searcher) -> list[Segment]:
    """The segments of a snapshot; an empty index has none (Whoosh gives it a reader with no segment)."""
    return [Segment(leaf, offset) for leaf, offset in searcher.leaf_searchers()
            if isinstance(leaf.reader(), SegmentReader)]
