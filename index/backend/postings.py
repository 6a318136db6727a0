"""A field's posting lists and term-table rows written straight into a Whoosh W3 segment, from arrays.

Whoosh's own writer takes one posting at a time (a Python call, a type check and an append each), makes a
`W3TermInfo` object per term and adds each row to the terms table with several small writes; a bulk build
has the whole field as arrays, and most of its terms (ids, urls, rare words, MinHash band keys) have a
posting or two, so per-term overhead is what counts. The bytes are those whoosh-reloaded 2.7.5 writes
(`W3PostingsWriter._write_block`, `W3TermInfo.to_bytes`, `HashWriter.add`) but for the types inside a
block's pickle, where W3 has tuples; stock Whoosh reads them, since it only iterates and indexes them:

    posting list = b"W3Bl", then per block: int32 length (negative for the last block),
                   pickle(count, last id, max weight, compression, min length byte, max length byte),
                   pickle((ids delta-coded from 0, as an `array` of the narrowest unsigned type,
                           weights as an `array("f")` | one weight | None,
                           values as `PackedValues` | None)),
                   left uncompressed (compression 0): zlib cost a build more than any other step, and
                   a search would pay to inflate every block it reads
    term row     = key (field id as ushort + term bytes) -> struct "!BfIBBfII" (inlined?, total weight,
                   doc frequency, min/max length bytes, max weight, first id, last id), then either the
                   pickled (ids, weights, values) of a short list or the list's offset and length

Block length statistics are 0, as `persisted.Codec` leaves them (only Whoosh's block-skipping scorer reads
them). Blocks hold BLOCK postings, more than W3's 128: a search reads whole lists, one pickle per block.
Pickles use protocol 5 where W3 uses 2: protocol 2 stores every bytes value (a posting's positions) as a
latin-1 string rebuilt through `codecs.encode`, which made a block ten times slower to write and seven times
slower to read; `pickle.loads` reads either. Arrays unpickle as one buffer each, which numpy then reads in
place, where tuples of a thousand ints and floats each had to be built and then copied.
"""

from __future__ import annotations

import pickle
import struct
from array import array
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.system import pack_int, pack_long, pack_ushort

from .persisted import INLINE_LIMIT, PackedValues

__all__ = ["BLOCK", "GROUP", "Values", "write_field"]

BLOCK = 1024
_PROTOCOL = 5
GROUP = 1 << 16
_ROW_LENGTHS = struct.Struct("!ii")  # HashWriter's key and value lengths before each row


@dataclass
class Values:
    """Every posting's value, cut from one buffer: posting i's is buffer[offsets[i]:offsets[i + 1]]."""

    buffer: bytes
    offsets: np.ndarray  # int64, one more than there are postings


def _packed(buffer: bytes, bounds: list[int], a: int, b: int) -> PackedValues:
    # postings a..b-1 of a group whose value i spans buffer[bounds[i]:bounds[i + 1]]
    counts = [(end - start) >> 2 for start, end in pairwise(bounds[a:b + 1])]
    code = "H" if max(counts, default=0) < 1 << 16 else "I"
    return PackedValues(buffer[bounds[a]:bounds[b]], code.encode() + struct.pack(f"<{b - a}{code}", *counts))


def _mini_weights(weights: list[float]) -> array | float | None:
    # W3's compact weights: None when all are 1, one float when all are equal
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return array("f", weights)


def _compact_ints(values: list[int]) -> array:
    # a block's ids as the narrowest unsigned array (W3 writes a tuple): a quarter of the bytes of the
    # pickled tuple or less, and numpy reads it in place
    top = max(values)
    return array("B" if top < 1 << 8 else "H" if top < 1 << 16 else "I", values)


def _posting_list(ids: list[int], deltas: list[int], weights: list[float],
                  values: tuple[bytes, list[int]] | None) -> bytes:
    """A long posting list's bytes, in blocks of BLOCK postings; `values` is (buffer, bounds) as for `_packed`."""
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(ids)
    for begin in range(0, count, BLOCK):
        end = min(begin + BLOCK, count)
        block_weights = weights[begin:end]
        data = (_compact_ints(deltas[begin:end]), _mini_weights(block_weights),
                _packed(values[0], values[1], begin, end) if values is not None else None)
        packed = pickle.dumps(data, _PROTOCOL)
        head = pickle.dumps((end - begin, ids[end - 1], max(block_weights), 0, 0, 0), _PROTOCOL)
        size = len(head) + len(packed)
        parts += (pack_int(-size if end == count else size), head, packed)
    return b"".join(parts)


def write_field(fieldwriter: W3FieldWriter, words: list[str], bounds: np.ndarray, ids: np.ndarray,
                weights: np.ndarray, values: Values | None) -> None:
    """Write a field's terms: `words[i]` (ascending) owns postings bounds[i]:bounds[i+1] of `ids`
    (ascending within a term), `weights` (float32) and `values` (None for formats without values).
    The field must have been started on `fieldwriter` (whose `_postfile`, `_tindex` and `_fieldid` are
    W3FieldWriter's private postings file, terms table and field id).

    Postings become Python lists a group of terms at a time (GROUP postings or so): slicing and pickling
    lists is C work, where numpy calls per term would cost more than the terms' bytes, and a group at a
    time bounds the memory those objects take.
    """
    starts, ends = bounds[:-1], bounds[1:]
    frequency = ends - starts
    totals = np.add.reduceat(weights.astype(np.float64), starts).tolist()
    maxima = np.maximum.reduceat(weights, starts).tolist()
    # a block's ids are delta-coded from 0: its first delta is its first id
    deltas = np.diff(ids, prepend=0)
    long = frequency > BLOCK
    block_first = np.concatenate([starts, *(np.arange(a + BLOCK, b, BLOCK)
                                            for a, b in zip(starts[long].tolist(), ends[long].tolist()))])
    deltas[block_first] = ids[block_first]
    pack_row = W3TermInfo._struct.pack
    prefix = pack_ushort(fieldwriter._fieldid)
    postfile = fieldwriter._postfile
    offset = postfile.tell()
    start_list, end_list = starts.tolist(), ends.tolist()
    rows = []
    term = 0
    while term < len(words):
        last = max(int(np.searchsorted(starts, start_list[term] + GROUP, side="right")), term + 1)
        base, stop = start_list[term], end_list[last - 1]
        id_list, delta_list, weight_list = ids[base:stop].tolist(), deltas[base:stop].tolist(), weights[base:stop].tolist()
        # a group's values: its slice of the buffer, and where each value ends in it
        if values is not None:
            bounds = values.offsets[base:stop + 1]
            value_buffer, value_bounds = values.buffer[bounds[0]:bounds[-1]], (bounds - bounds[0]).tolist()
        blobs = []
        for i in range(term, last):
            a, b = start_list[i] - base, end_list[i] - base
            n = b - a
            head = pack_row(n < INLINE_LIMIT, totals[i], n, 0, 0, maxima[i], id_list[a], id_list[b - 1])
            if n < INLINE_LIMIT:
                # W3 reads one value a posting from an inlined list: empty ones for a format without values.
                # A short list keeps a value per posting: packing pays only for a block's thousand.
                inline = (tuple(id_list[a:b]), tuple(weight_list[a:b]),
                          tuple(map(value_buffer.__getitem__, map(slice, value_bounds[a:b], value_bounds[a + 1:b + 1])))
                          if values is not None else (b"",) * n)
                tail = pickle.dumps(inline, _PROTOCOL)
            else:
                blob = _posting_list(id_list[a:b], delta_list[a:b], weight_list[a:b],
                                     (value_buffer, value_bounds[a:b + 1]) if values is not None else None)
                tail = pack_long(offset) + pack_int(len(blob))
                offset += len(blob)
                blobs.append(blob)
            rows.append((prefix + words[i].encode("utf-8"), head + tail))
        postfile.write(b"".join(blobs))
        term = last
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
