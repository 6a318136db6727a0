"""Syndication clusters: MinHash over word shingles, with LSH band keys to find candidate copies.

A wire story reappears on many sites with a changed headline, a dropped paragraph or a local credit line.
Its 3-word shingles stay mostly the same (Jaccard well above 0.5), while two different stories on the same
topic share only stock phrases (Jaccard near 0.05). 60 hashes in 20 bands of 3 rows make a copy at
Jaccard 0.5 a candidate with probability 0.93 and at 0.6 with 0.99; a candidate then has to reach
SIMILARITY on the full signature. The hash family is fixed (seeded), so signatures from different runs and
processes compare. numpy does all shingles at once, which is why datasketch is not used.
"""

from __future__ import annotations

import zlib
from typing import Sequence

import numpy as np

__all__ = ["SHINGLE", "BANDS", "ROWS", "SIMILARITY", "signature_of", "band_keys", "similarity",
           "from_bytes"]

SHINGLE = 3
BANDS = 20
ROWS = 3
SIMILARITY = 0.5
_rng = np.random.default_rng(20251125)
# One hash function per row: xor a random key in, then multiply-xorshift (wrapping uint64 arithmetic). A plain
# (a*h + b) mod p without wrap-around would be monotone in h for 32-bit h, and every row would pick the same
# smallest shingle.
_KEYS = _rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
_MULTIPLIERS = _rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
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


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per band: equal keys mean the band's rows agree, making two documents candidates."""
    rows = sig.reshape(BANDS, ROWS)
    return [f"{band}:{zlib.crc32(rows[band].tobytes()):08x}" for band in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def from_bytes(data: bytes) -> np.ndarray | None:
    return np.frombuffer(data, dtype="<u4") if data else None
