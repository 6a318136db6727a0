"""Whoosh columns that numpy can read whole: dictionary codes, dates and MinHash signatures.

Facet counting needs, for every matching document, its agency, country or people. Whoosh's own string
columns answer one document at a time through Python; this one lays the codes out as one little-endian
uint32 array, so a segment's codes load with a single `numpy.frombuffer` and counting is a `bincount`.
Unlike Whoosh's RefBytesColumn it has no 65,535-value ceiling (cluster ids are nearly one per document).

Layout: codes (doccount x uint32) | values (UTF-8, each ended by NUL) | value count (uint32) | b"DC1".
"""

from __future__ import annotations

import struct
from array import array

import numpy as np
from whoosh import columns

from .clusters import WIDTH

__all__ = ["DictColumn", "read_codes", "read_numbers", "NumberColumn", "MISSING", "SignatureColumn",
           "read_signatures", "SIGNATURE_CHUNK"]

_TRAILER = struct.Struct("<I3s")
_MAGIC = b"DC1"
MISSING = -(2**63)  # an absent date in a NumberColumn


class DictColumn(columns.Column):
    """Stores one string per document (code 0 is the empty value)."""

    reversible = False

    def writer(self, dbfile):  # type: ignore[no-untyped-def]
        return _DictWriter(dbfile)

    def reader(self, dbfile, basepos, length, doccount):  # type: ignore[no-untyped-def]
        return _DictReader(dbfile, basepos, length, doccount)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DictColumn)

    def __hash__(self) -> int:
        return hash(DictColumn)


class _DictWriter(columns.ColumnWriter):
    def __init__(self, dbfile) -> None:  # type: ignore[no-untyped-def]
        self._dbfile = dbfile
        self._codes = array("I")
        self._values: dict[bytes, int] = {b"": 0}
        self._count = 0

    def fill(self, docnum: int) -> None:
        if docnum > len(self._codes):
            self._codes.extend([0] * (docnum - len(self._codes)))

    def add(self, docnum: int, value: bytes) -> None:
        self.fill(docnum)
        code = self._values.setdefault(value, len(self._values))
        self._codes.append(code)

    def finish(self, doccount: int) -> None:
        self.fill(doccount)
        codes = np.frombuffer(self._codes.tobytes(), dtype=np.uint32).astype("<u4")
        self._dbfile.write(codes.tobytes())
        self._dbfile.write(b"".join(value + b"\x00" for value in self._values))
        self._dbfile.write(_TRAILER.pack(len(self._values), _MAGIC))


class _DictReader(columns.ColumnReader):
    def __init__(self, dbfile, basepos: int, length: int, doccount: int) -> None:  # type: ignore[no-untyped-def]
        self._dbfile = dbfile
        self._basepos = basepos
        self._length = length
        self._doccount = doccount
        self._codes: np.ndarray | None = None
        self._values: list[str] | None = None

    def load_all(self) -> tuple[np.ndarray, list[str]]:
        if self._codes is None:
            raw = self._dbfile.get(self._basepos, self._length)
            count, magic = _TRAILER.unpack(raw[-_TRAILER.size:])
            if magic != _MAGIC:
                raise ValueError("not a wiredesk dictionary column")
            size = self._doccount * 4
            self._codes = np.frombuffer(raw[:size], dtype="<u4")
            self._values = raw[size:-_TRAILER.size].decode("utf-8").split("\x00")[:count]
        assert self._values is not None
        return self._codes, self._values

    def __getitem__(self, docnum: int) -> bytes:
        codes, values = self.load_all()
        return values[codes[docnum]].encode("utf-8")

    def __iter__(self):  # type: ignore[no-untyped-def]
        codes, values = self.load_all()
        encoded = [v.encode("utf-8") for v in values]
        return (encoded[c] for c in codes)


class NumberColumn(columns.NumericColumn):
    """A signed 64-bit column (epoch seconds) whose absent value is MISSING, readable whole by numpy."""

    def __init__(self) -> None:
        super().__init__("q", default=MISSING)


def read_codes(reader: columns.ColumnReader) -> tuple[np.ndarray, list[str]]:
    """A DictColumn reader's codes array and value table."""
    return reader.load_all()


def read_numbers(reader: columns.ColumnReader, doccount: int) -> np.ndarray:
    """A NumberColumn reader's values as one int64 array (Whoosh writes them big-endian, one after another,
    and stops after the last document that has one: the rest are MISSING)."""
    written = min(reader._count, doccount)
    values = np.full(doccount, MISSING, dtype=np.int64)
    values[:written] = np.frombuffer(reader._dbfile.get(reader._basepos, written * 8), dtype=">i8")
    return values


class SignatureColumn(columns.FixedBytesColumn):
    """A MinHash signature per document (`clusters.WIDTH` little-endian uint32s; zeros for a text without
    words), laid out one row after another as Whoosh's fixed-width columns are."""

    def __init__(self) -> None:
        super().__init__(WIDTH * 4)


SIGNATURE_CHUNK = 32_768  # rows read at a time: 7.5 MB of signatures


def read_signatures(reader: columns.ColumnReader, first: int, last: int) -> np.ndarray:
    """Rows first..last-1 of a SignatureColumn reader as one (rows, WIDTH) uint32 array (Whoosh stops
    writing after the last row that is not zeros: the rest are zeros)."""
    matrix = np.zeros((last - first, WIDTH), dtype=np.uint32)
    written = max(min(reader._count, last) - first, 0)
    if written:
        raw = reader._dbfile.get(reader._basepos + first * WIDTH * 4, written * WIDTH * 4)
        matrix[:written] = np.frombuffer(raw, dtype="<u4").reshape(written, WIDTH)
    return matrix
