"""A segment's terms table and posting lists, read straight from W3's files through mmap (FORMAT.md).

Whoosh looks a term up through a file object (a seek and a read per probe, several Python calls each) and
reads a posting list through a matcher built per term, block by block; a query pays that for every term,
field and segment, and again for its statistics. Here both files are mapped once per segment, a look-up is
an md5, a slot probe and a key compare on the mapped bytes, and a term's whole list is read in one loop of
`pickle.loads` over its blocks. Term look-ups are kept for the life of the segment (a query asks for the
same term's frequency, then its postings).
"""

from __future__ import annotations

import hashlib
import io
import mmap
import pickle
import struct
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

__all__ = ["TermInfo", "TermTable", "PostingsFile", "mapped"]

_HEADER = b"HSH3"  # Whoosh's hash file, md5 hashes (type 0)
_TERM_INFO = struct.Struct("!BfIBBfII")  # inlined?, total weight, doc frequency, lengths, max weight, ids
_LIST_AT = struct.Struct("!qi")
_ROW = struct.Struct("!ii")  # key and value lengths
_SLOT = struct.Struct("!Iq")  # hash, row position
_DIRECTORY = struct.Struct("!" + "qi" * 256)  # per table: position, slots
_INT = struct.Struct("!i")
_FIELD = struct.Struct("!H")
_LIST_MAGIC = b"W3Bl"
_CACHED_TERMS = 100_000  # look-ups kept per segment; a long batch of queries starts again past this


@dataclass(frozen=True)
class TermInfo:
    """A term of one segment: its document frequency, and where its postings are."""

    frequency: int
    inline: tuple[Sequence[int], Sequence[float], Sequence[Any]] | None  # (ids, weights, values) of a short list
    offset: int = 0  # of a long list, in the postings file
    length: int = 0


def mapped(path: Path) -> bytes | mmap.mmap:
    with open(path, "rb") as file:
        size = file.seek(0, io.SEEK_END)
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size else b""


class TermTable:
    """A segment's terms table (`.trm`): term -> TermInfo."""

    def __init__(self, path: Path) -> None:
        self._data = data = mapped(path)
        if data[:4] != _HEADER or data[4] != 0:
            raise ValueError(f"{path} is not a terms table of this format")
        end = len(data) - _INT.size
        extras = end - _INT.unpack_from(data, end)[0]
        self._fields: dict[str, int] = pickle.loads(data[extras:end])["fieldmap"]
        flat = _DIRECTORY.unpack_from(data, extras - _DIRECTORY.size)
        self._tables = list(zip(flat[::2], flat[1::2]))
        self._found: dict[tuple[str, str], TermInfo | None] = {}

    def info(self, field: str, text: str) -> TermInfo | None:
        key = (field, text)
        try:
            return self._found[key]
        except KeyError:
            if len(self._found) >= _CACHED_TERMS:
                self._found.clear()
            found = self._found[key] = self._look_up(field, text)
            return found

    def _look_up(self, field: str, text: str) -> TermInfo | None:
        number = self._fields.get(field)
        if number is None:
            return None
        key = _FIELD.pack(number) + text.encode("utf-8")
        digest = int.from_bytes(hashlib.md5(key, usedforsecurity=False).digest()[12:], "big")
        start, slots = self._tables[digest & 255]
        if not slots:
            return None
        data = self._data
        slot = (digest >> 8) % slots
        for _ in range(slots):
            found, row = _SLOT.unpack_from(data, start + slot * _SLOT.size)
            if not row:
                return None
            if found == digest:
                key_length, value_length = _ROW.unpack_from(data, row)
                at = row + _ROW.size
                if key_length == len(key) and data[at:at + key_length] == key:
                    return _term_info(data[at + key_length:at + key_length + value_length])
            slot = slot + 1 if slot + 1 < slots else 0
        return None


def _term_info(value: bytes) -> TermInfo:
    inlined, _weight, frequency = _TERM_INFO.unpack_from(value)[:3]
    if inlined:
        return TermInfo(frequency, pickle.loads(value[_TERM_INFO.size:]))
    offset, length = _LIST_AT.unpack_from(value, _TERM_INFO.size)
    return TermInfo(frequency, None, offset, length)


def _weights(stored: Any, count: int) -> np.ndarray:
    # W3's compact weights: None when all are 1, one float when all are equal, else an array("f")
    if stored is None:
        return np.ones(count, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(count, stored, dtype=np.float32)
    if isinstance(stored, array) and stored.typecode == "f":
        return np.frombuffer(stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)


class PostingsFile:
    """A segment's postings file (`.pst`)."""

    def __init__(self, path: Path) -> None:
        self._data = mapped(path)

    def read(self, info: TermInfo, *, values: bool) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """(document numbers, weights, each block's values if asked) of a term's list."""
        if info.inline is not None:
            ids, weights, inline_values = info.inline
            return (np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32),
                    [inline_values] if values else [])
        data = self._data
        position = info.offset
        if data[position:position + 4] != _LIST_MAGIC:
            raise ValueError("a posting list does not start where its term says")
        position += 4
        ids, weights, found = [], [], []
        last = False
        while not last:
            length = _INT.unpack_from(data, position)[0]
            last, length = length < 0, abs(length)
            stream = io.BytesIO(data[position + 4:position + 4 + length])
            head = pickle.load(stream)
            rest = stream.read()
            block = pickle.loads(zlib.decompress(rest) if head[3] else rest)
            ids.append(np.cumsum(np.asarray(block[0], dtype=np.int64)))  # delta-coded from 0 in each block
            weights.append(_weights(block[1], head[0]))
            if values:
                found.append(block[2])
            position += 4 + length
        if len(ids) == 1:
            return ids[0], weights[0], found
        return np.concatenate(ids), np.concatenate(weights), found
