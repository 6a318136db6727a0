"""Syndication clusters: MinHash over word shingles, with LSH bands to find candidate copies.

A wire story reappears on many sites with a changed headline, a dropped paragraph or a local credit line.
Its 3-word shingles stay mostly the same (Jaccard well above 0.5), while two different stories on the same
topic share only stock phrases (Jaccard near 0.05). 60 hashes in 20 bands of 3 rows make a copy at
Jaccard 0.5 a candidate with probability 0.93 and at 0.6 with 0.99; a candidate then has to reach
SIMILARITY on the full signature. The hash family is fixed (seeded), so signatures from different runs and
processes compare. numpy does all shingles at once, which is why datasketch is not used.

Signatures are kept in a column (`columns.SignatureColumn`), so finding the copies of a batch among the
whole index is array work. The stored signatures stream past in chunks of bounded size; a bit table of the
batch's band values screens each chunk with one look-up per band and document, binary search confirms the
few that pass, and only pairs that share a whole band are compared in full. Memory stays that of one chunk
however large the index grows, and the time is one pass over its signatures (24 MB at 100,000 releases).
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Iterable, NamedTuple, Sequence

import numpy as np

__all__ = ["SHINGLE", "BANDS", "ROWS", "SIMILARITY", "WIDTH", "Copy", "signature_of", "signature_matrix", "copies"]

SHINGLE = 3
BANDS = 20
ROWS = 3
SIMILARITY = 0.5
WIDTH = BANDS * ROWS
# A band shared by more documents than this is boilerplate (a stock disclaimer, an empty page), not a story's
# copies; comparing every pair in it would be quadratic, so each new document meets only this many of them.
_CROWD = 200
# Fixed random bits from a hash of a fixed string, not numpy.random, whose import would add to every
# `wiredesk search` start (the schema imports this module for WIDTH)
_BITS = np.frombuffer(hashlib.shake_128(b"wiredesk minhash 2025-11-25").digest(2 * WIDTH * 8), dtype="<u8")
# One hash function per row: xor a random key in, then multiply-xorshift (wrapping uint64 arithmetic). A plain
# (a*h + b) mod p without wrap-around would be monotone in h for 32-bit h, and every row would pick the same
# smallest shingle.
_KEYS = _BITS[:WIDTH].astype(np.uint64)
_MULTIPLIERS = _BITS[WIDTH:].astype(np.uint64) | np.uint64(1)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SLOT_BITS = 22  # a 4 MB bit table: a batch of 10,000 fills 5% of it, so few stored values pass the screen
_SLOTS = 1 << _SLOT_BITS
_BAND_IDS = np.arange(BANDS, dtype=np.uint64)
_BAND_SALT = _BAND_IDS * np.uint64(0xD6E8FEB86659FD93)


_WORD_HASHES: dict[str, int] = {}


def _shingle_hashes(words: Sequence[str]) -> np.ndarray:
    hashes = _WORD_HASHES
    if len(hashes) > 500_000:
        hashes.clear()
    for word in set(words).difference(hashes):
        hashes[word] = zlib.crc32(word.encode("utf-8"))
    ids = np.fromiter(map(hashes.__getitem__, words), dtype=np.uint64, count=len(words))
    if len(ids) < SHINGLE:
        return np.array([zlib.crc32(" ".join(words).encode("utf-8"))], dtype=np.uint64)
    # combine SHINGLE consecutive word hashes into one 32-bit shingle hash (repeats change no minimum)
    mixed = np.zeros(len(ids) - SHINGLE + 1, dtype=np.uint64)
    for offset in range(SHINGLE):
        mixed = (mixed * np.uint64(1_000_003) + ids[offset:len(ids) - SHINGLE + 1 + offset]) & np.uint64(0xFFFFFFFF)
    return mixed


def signature_of(words: Sequence[str]) -> np.ndarray | None:
    """The MinHash signature (uint32 x BANDS*ROWS) of a text's index terms, or None when it has none.

    Shingles are over index terms (stemmed, stop words out), so a copy that only changes "the" to "a" or a
    plural to a singular stays identical.
    """
    if not words:
        return None
    hashes = _shingle_hashes(words)
    values = (hashes[None, :] ^ _KEYS[:, None]) * _MULTIPLIERS[:, None]
    values ^= values >> np.uint64(31)
    values *= _MIX
    values ^= values >> np.uint64(29)
    return (values.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def signature_matrix(signatures: Sequence[np.ndarray | None]) -> np.ndarray:
    """Signatures as rows of one (n, WIDTH) uint32 array; a text without words is a row of zeros."""
    matrix = np.zeros((len(signatures), WIDTH), dtype=np.uint32)
    for row, sig in enumerate(signatures):
        if sig is not None:
            matrix[row] = sig
    return matrix


def _band_hashes(matrix: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64: a hash of each band's ROWS values (wrapping arithmetic; a collision only adds a
    candidate, which the full comparison then drops). One row slot at a time: a whole index's signatures
    widened to 64 bits at once would be the largest allocation of a commit."""
    bands = matrix.reshape(len(matrix), BANDS, ROWS)
    hashes = np.zeros((len(matrix), BANDS), dtype=np.uint64)
    for row in range(ROWS):
        hashes ^= bands[:, :, row]
        hashes *= _MIX
    return hashes


class Copy(NamedTuple):
    """A likely copy of a new signature: a stored document (its number) or an earlier new row."""

    stored: bool
    number: int
    similarity: float


def copies(new: np.ndarray, stored: Iterable[tuple[int, np.ndarray]]) -> dict[int, list[Copy]]:
    """Likely copies of each new signature (rows of `new`) among the stored ones and the new rows before it.

    `stored` yields (first document number, signature rows) chunks. Pairs that share a band and reach
    SIMILARITY come back as {new row: [Copy, ...]}. Zero rows (no words) have no copies.
    """
    found: dict[int, list[Copy]] = {}
    _keep(found, new, _earlier_pairs(new), new, stored=False, first=0)
    bands = _Bands(new)
    for first, chunk in stored:
        _keep(found, new, bands.pairs(chunk), chunk, stored=True, first=first)
    return found


class _Bands:
    """A batch's band values, ready to screen chunks of stored signatures against."""

    def __init__(self, new: np.ndarray) -> None:
        self.new = new
        rows = np.flatnonzero(new.any(axis=1))
        firsts = new[rows][:, ::ROWS]  # each band's first value stands for the band until the rest is checked
        self.table = np.zeros(_SLOTS, dtype=bool)
        self.table[_slots(firsts)] = True
        keys = (_BAND_IDS << np.uint64(32)) | firsts.astype(np.uint64)
        order = np.argsort(keys, axis=None, kind="stable")
        self.keys = keys.ravel()[order]
        self.rows = np.repeat(rows, BANDS)[order]

    def pairs(self, chunk: np.ndarray) -> np.ndarray:
        """Distinct (new row, chunk row) pairs that agree on a whole band; a key shared by many
        (boilerplate) pairs at most _CROWD chunk rows with at most _CROWD new rows."""
        firsts = chunk[:, ::ROWS]
        row, band = np.nonzero(self.table[_slots(firsts)] & chunk.any(axis=1)[:, None])
        keys = (band.astype(np.uint64) << np.uint64(32)) | firsts[row, band].astype(np.uint64)
        low, high = np.searchsorted(self.keys, keys, side="left"), np.searchsorted(self.keys, keys, side="right")
        hit = high > low
        row, band, keys, low, high = row[hit], band[hit], keys[hit], low[hit], high[hit]
        # at most _CROWD chunk rows per key: rank each hit among the hits of its key
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        run_start = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order)) - np.repeat(run_start, np.diff(np.append(run_start, len(order))))
        keep = rank < _CROWD
        row, band, low, high = row[keep], band[keep], low[keep], high[keep]
        counts = np.minimum(high - low, _CROWD)
        chunk_rows, bands = np.repeat(row, counts), np.repeat(band, counts)
        within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        new_rows = self.rows[np.repeat(low, counts) + within]
        whole = np.ones(len(chunk_rows), dtype=bool)
        for offset in range(1, ROWS):
            columns = bands * ROWS + offset
            whole &= self.new[new_rows, columns] == chunk[chunk_rows, columns]
        pairs = np.stack([new_rows[whole], chunk_rows[whole]], axis=1)
        return np.unique(pairs, axis=0) if len(pairs) else pairs


def _slots(firsts: np.ndarray) -> np.ndarray:
    # a band value's place in the bit table: salted per band, so equal values in two bands differ
    mixed = (firsts.astype(np.uint64) ^ _BAND_SALT) * _MIX
    return (mixed >> np.uint64(64 - _SLOT_BITS)).astype(np.intp)


def _keep(found: dict[int, list[Copy]], new: np.ndarray, pairs: np.ndarray, others: np.ndarray, *,
          stored: bool, first: int) -> None:
    """Add the (new row, row of `others`) pairs whose signatures agree enough."""
    if not len(pairs):
        return
    similar = (new[pairs[:, 0]] == others[pairs[:, 1]]).sum(axis=1) / WIDTH
    for (row, other), score in zip(pairs.tolist(), similar.tolist()):
        if score >= SIMILARITY:
            found.setdefault(row, []).append(Copy(stored, first + other, score))


def _earlier_pairs(new: np.ndarray) -> np.ndarray:
    """Distinct (new row, earlier new row) pairs that agree on a band: runs of equal keys in a sorted band."""
    pairs = []
    for band_keys, band_rows in zip(*_sorted_bands(new)):
        if not len(band_keys):
            continue
        starts = np.flatnonzero(np.concatenate(([True], band_keys[1:] != band_keys[:-1])))
        sizes = np.diff(np.append(starts, len(band_keys)))
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
            members = np.sort(band_rows[start:start + size])
            for row in members[1:].tolist():
                earlier = members[members < row][:_CROWD]
                pairs.append(np.stack([np.full(len(earlier), row), earlier], axis=1))
    return np.unique(np.concatenate(pairs), axis=0) if pairs else np.zeros((0, 2), dtype=np.int64)


def _sorted_bands(new: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per band, the new rows' hashes ascending and the rows they belong to (rows without words left out)."""
    hashes = _band_hashes(new)
    with_words = np.flatnonzero(new.any(axis=1))
    keys, rows = [], []
    for band in range(BANDS):
        order = with_words[np.argsort(hashes[with_words, band], kind="stable")]
        keys.append(hashes[order, band])
        rows.append(order)
    return keys, rows
