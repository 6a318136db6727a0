"""A field's posting lists and term-table rows written straight into a Whoosh W3 segment, from arrays.

Whoosh's own writer takes one posting at a time (a Python call, a type check and an append each), makes a
`W3TermInfo` object per term and adds each row to the terms table with several small writes; a bulk build
has the whole field as arrays, and most of its terms (ids, urls, rare words, MinHash band keys) have a
posting or two, so per-term overhead is what counts. The bytes are those whoosh-reloaded 2.7.5 writes
(`W3PostingsWriter._write_block`, `W3TermInfo.to_bytes`, `HashWriter.add`), so stock Whoosh reads them:

    posting list = b"W3Bl", then per block: int32 length (negative for the last block),
                   pickle(count, last id, max weight, compression, min length byte, max length byte),
                   pickle((ids delta-coded from 0, weights | one weight | None, values | None)),
                   left uncompressed (compression 0): zlib cost a build more than any other step, and
                   a search would pay to inflate every block it reads
    term row     = key (field id as ushort + term bytes) -> struct "!BfIBBfII" (inlined?, total weight,
                   doc frequency, min/max length bytes, max weight, first id, last id), then either the
                   pickled (ids, weights, values) of a short list or the list's offset and length

Block length statistics are 0, as `codec.Codec` leaves them (only Whoosh's block-skipping scorer reads
them). Blocks hold BLOCK postings, more than W3's 128: a search reads whole lists, one pickle per block.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.system import pack_int, pack_long, pack_ushort

from .codec import INLINE_LIMIT

__all__ = ["BLOCK", "Values", "write_field"]

BLOCK = 1024
_ROW_LENGTHS = struct.Struct("!ii")  # HashWriter's key and value lengths before each row


@dataclass
class Values:
    """Every posting's value, cut from one buffer: posting i's is buffer[offsets[i]:offsets[i + 1]]."""

    buffer: bytes
    offsets: np.ndarray  # int64, one more than there are postings

    def cut(self, begin: int, end: int) -> tuple[bytes, ...]:
        bounds = self.offsets[begin:end + 1].tolist()
        buffer = self.buffer
        return tuple(buffer[a:b] for a, b in pairwise(bounds))


def _mini_weights(weights: np.ndarray) -> tuple[float, ...] | float | None:
    # W3's compact weights: None when all are 1, one float when all are equal
    first = float(weights[0])
    if (weights == weights[0]).all():
        return None if first == 1.0 else first
    return tuple(weights.tolist())


def _write_list(postfile, ids: np.ndarray, weights: np.ndarray, values: Values | None,  # type: ignore[no-untyped-def]
                first: int) -> bytes:
    """Write the posting list at `first` in blocks; returns its (offset, length), as a term row ends."""
    start = postfile.tell()
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(ids)
    for begin in range(0, count, BLOCK):
        end = min(begin + BLOCK, count)
        block_ids, block_weights = ids[begin:end], weights[begin:end]
        data = (tuple(np.diff(block_ids, prepend=0).tolist()), _mini_weights(block_weights),
                values.cut(first + begin, first + end) if values is not None else None)
        packed = pickle.dumps(data, 2)
        head = pickle.dumps((end - begin, int(block_ids[-1]), float(block_weights.max()), 0, 0, 0), 2)
        size = len(head) + len(packed)
        parts += (pack_int(-size if end == count else size), head, packed)
    blob = b"".join(parts)
    postfile.write(blob)
    return pack_long(start) + pack_int(len(blob))


def write_field(fieldwriter: W3FieldWriter, words: list[str], bounds: np.ndarray, ids: np.ndarray,
                weights: np.ndarray, values: Values | None) -> None:
    """Write a field's terms: `words[i]` (ascending) owns postings bounds[i]:bounds[i+1] of `ids`
    (ascending within a term), `weights` (float32) and `values` (None for formats without values).
    The field must have been started on `fieldwriter` (whose `_postfile`, `_tindex` and `_fieldid` are
    W3FieldWriter's private postings file, terms table and field id)."""
    starts, ends = bounds[:-1], bounds[1:]
    frequency = ends - starts
    totals = np.add.reduceat(weights.astype(np.float64), starts).tolist()
    maxima = np.maximum.reduceat(weights, starts).tolist()
    first_ids, last_ids = ids[starts].tolist(), ids[ends - 1].tolist()
    # Python lists of the postings of inlined terms only, each term's from small_at[i] on
    small = frequency < INLINE_LIMIT
    in_small = np.repeat(small, frequency)
    small_ids, small_weights = ids[in_small].tolist(), weights[in_small].tolist()
    small_at = (np.cumsum(frequency * small) - frequency * small).tolist()
    pack_row = W3TermInfo._struct.pack
    prefix = pack_ushort(fieldwriter._fieldid)
    rows = []
    for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        n = b - a
        head = pack_row(n < INLINE_LIMIT, totals[i], n, 0, 0, maxima[i], first_ids[i], last_ids[i])
        if n < INLINE_LIMIT:
            at = small_at[i]
            # W3 reads one value a posting from an inlined list: empty ones for a format without values
            inline = (tuple(small_ids[at:at + n]), tuple(small_weights[at:at + n]),
                      values.cut(a, b) if values is not None else (b"",) * n)
            tail = pickle.dumps(inline, 2)
        else:
            tail = _write_list(fieldwriter._postfile, ids[a:b], weights[a:b], values, a)
        rows.append((prefix + words[i].encode("utf-8"), head + tail))
    _add_rows(fieldwriter._tindex, rows)


def _add_rows(table: OrderedHashWriter, rows: list[tuple[bytes, bytes]]) -> None:
    """`OrderedHashWriter.add` for many rows (keys already ascending) in one write: its buckets of
    (hash, position), its ordered index of positions and its last key are kept as it keeps them."""
    dbfile = table.dbfile
    position = dbfile.tell()
    hashfn, buckets, index = table.hashfn, table.buckets, table.index
    parts = []
    for key, value in rows:
        index.append(position)
        digest = hashfn(key)
        buckets[digest & 255].append((digest, position))
        parts += (_ROW_LENGTHS.pack(len(key), len(value)), key, value)
        position += _ROW_LENGTHS.size + len(key) + len(value)
    dbfile.write(b"".join(parts))
    if rows:
        table.lastkey = rows[-1][0]
