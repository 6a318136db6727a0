"""Word positions matched with array set operations: where a phrase occurs, and how often."""

from __future__ import annotations

from functools import reduce

import numpy as np

from .arrays import counted, distinct, intersect, member

__all__ = ["phrase_frequencies"]

_NO_DOCS = np.zeros(0, dtype=np.int64)


def phrase_frequencies(read: dict[str, tuple[np.ndarray, ...]], words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(the documents, ascending, where `words` occur at consecutive positions; how many times in each), from
    each word's `Segment.positions` in `read`.

    A document matches where some start p has word k at p + k for every k, so each word contributes the
    set of keys doc * 2**32 + (position - k) and the phrase starts are their intersection. Keys are built
    only for the documents still in the running (holding every word, then every start so far), rarest word
    first, which keeps the arrays near the size of the answer rather than of the common words' lists."""
    docs = reduce(intersect, sorted((read[word][0] for word in set(words)), key=len))
    starts: np.ndarray | None = None
    for k, word in sorted(enumerate(words), key=lambda kw: len(read[kw[1]][3])):
        if not len(docs):
            return _NO_DOCS, _NO_DOCS
        ids, _, counts, positions = read[word]
        keys = _start_keys(ids, counts, positions, docs, k)
        starts = keys if starts is None else intersect(starts, keys)
        docs = distinct(starts >> 32)
    if starts is None or not len(starts):
        return _NO_DOCS, _NO_DOCS
    return counted(starts >> 32)


def _start_keys(ids: np.ndarray, counts: np.ndarray, positions: np.ndarray, docs: np.ndarray,
                offset: int) -> np.ndarray:
    # where a phrase would start if this word were its `offset`-th, as doc * 2**32 + start (ascending, as
    # ids and each posting's positions are), for `docs` only
    keep = np.repeat(member(ids, docs), counts)
    doc_of = np.repeat(ids, counts)[keep]
    start = positions[keep] - offset
    inside = start >= 0  # a word too near the field's start cannot be that far into a phrase
    return (doc_of[inside] << 32) | start[inside]
