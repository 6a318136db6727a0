"""Set operations on ascending arrays of document numbers, without the sorts of numpy's own.

numpy's `unique`, `isin` and `intersect1d` sort what they are given, and `unique` imports `numpy.ma` on its
first call (75 ms, paid by a command's first query). Posting lists and phrase keys come ascending already.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distinct", "counted", "member", "intersect", "added"]


def distinct(ascending: np.ndarray) -> np.ndarray:
    """np.unique of an ascending array."""
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def counted(ascending: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(..., return_counts=True) of a non-empty ascending array."""
    firsts = np.flatnonzero(np.concatenate(([True], ascending[1:] != ascending[:-1])))
    return ascending[firsts], np.diff(np.append(firsts, len(ascending)))


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """np.isin for an ascending, duplicate-free set: one binary search per value."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)  # not .clip: a Python wrapper
    return sorted_set[at] == values


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.intersect1d of ascending, duplicate-free arrays."""
    return a[member(a, b)]


def added(lists: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers ascending, values) lists merged, the values of a number in several lists added."""
    if len(lists) == 1:
        return lists[0]
    ids = np.concatenate([ids for ids, _ in lists])
    values = np.concatenate([values for _, values in lists])
    order = np.argsort(ids, kind="stable")
    ids, values = ids[order], values[order]
    firsts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
    return ids[firsts], np.add.reduceat(values, firsts).astype(np.float32)
