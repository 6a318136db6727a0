"""Syndication clusters: MinHash over word shingles, with LSH bands to find candidate copies.

A wire story reappears on many sites with a changed headline, a dropped paragraph or a local credit line.
Its 3-word shingles stay mostly the same (Jaccard well above 0.5), while two different stories on the same
topic share only stock phrases (Jaccard near 0.05). 60 hashes in 20 bands of 3 rows make a copy at
Jaccard 0.5 a candidate with probability 0.93 and at 0.6 with 0.99; a candidate then has to reach
SIMILARITY on the full signature. The hash family is fixed (seeded), so signatures from different runs and
processes compare. numpy does all shingles at once, which is why datasketch is not used.

Signatures are kept in a column (`columns.SignatureColumn`), so finding the copies among a whole batch and
the whole index is array work: each band of every signature is hashed, equal hashes are found by sorting,
and only the few documents that share a band are compared in full.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Sequence

import numpy as np

__all__ = ["SHINGLE", "BANDS", "ROWS", "SIMILARITY", "WIDTH", "signature_of", "signature_matrix", "copies"]

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


def copies(new: np.ndarray, old: np.ndarray) -> dict[int, list[tuple[int, float]]]:
    """Likely copies of each new signature (rows of `new`) among `old` and the new rows before it.

    Returns {new row: [(other, similarity), ...]} for pairs that share a band and reach SIMILARITY; `other` is
    a row of `old`, or len(old) + a row of `new`. Zero rows (no words) have no copies.
    """
    first_new = len(old)
    hashes = np.concatenate([_band_hashes(old), _band_hashes(new)])
    has_words = np.concatenate([old.any(axis=1), new.any(axis=1)])
    pairs: list[np.ndarray] = []
    for band in range(BANDS):
        order = np.argsort(hashes[:, band], kind="stable")
        order = order[has_words[order]]
        keys = hashes[order, band]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
        sizes = np.diff(np.append(starts, len(keys)))
        newest = np.maximum.reduceat(order, starts) if len(keys) else order  # new rows come last
        for start, size in zip(starts[(sizes > 1) & (newest >= first_new)].tolist(),
                               sizes[(sizes > 1) & (newest >= first_new)].tolist()):
            members = np.sort(order[start:start + size])
            for row in members[members >= first_new].tolist():
                earlier = members[members < row][:_CROWD]
                pairs.append(np.stack([np.full(len(earlier), row), earlier], axis=1))
    if not pairs:
        return {}
    found = np.unique(np.concatenate(pairs), axis=0)
    others = np.empty((len(found), WIDTH), dtype=np.uint32)
    stored = found[:, 1] < first_new
    others[stored] = old[found[stored, 1]]
    others[~stored] = new[found[~stored, 1] - first_new]
    similar = (new[found[:, 0] - first_new] == others).sum(axis=1) / WIDTH
    found, similar = found[similar >= SIMILARITY], similar[similar >= SIMILARITY]
    out: dict[int, list[tuple[int, float]]] = {}
    for (row, other), score in zip(found.tolist(), similar.tolist()):
        out.setdefault(row - first_new, []).append((other, score))
    return out
