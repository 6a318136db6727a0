"""Facet counts over the whole result set, from column arrays: one `bincount` per field and segment.

A value is counted under its case-normalised key (the key `--filter` matches), and shown in the spelling
most documents use, so that a shown value, filtered on, gives exactly its count.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from wiredesk.index.analysis import value_key
from wiredesk.index import MISSING, Segment
from wiredesk.index.schema import FACET_FIELDS, LOCAL_DATE, MULTI_FIELDS, SEPARATOR
from wiredesk.core.errors import QueryError

__all__ = ["DEFAULT_TOP", "PERIOD_FACETS", "check_fields", "count"]

DEFAULT_TOP = 10
PERIOD_FACETS = ("year", "month", "day")  # counted on the story's own date, not on a column of values
_UNITS = {"year": "Y", "month": "M", "day": "D"}  # numpy's datetime64 units


def check_fields(fields: tuple[str, ...]) -> None:
    for name in fields:
        if name not in FACET_FIELDS:
            raise QueryError(f"unknown facet {name!r} (facets: {', '.join(FACET_FIELDS)})")


def _dates(seg: Segment, mask: np.ndarray, name: str) -> Counter[str]:
    values = seg.numbers(LOCAL_DATE)[mask]  # the story's own day, month and year
    values = values[values != MISSING]
    if not len(values):
        return Counter()
    unit = _UNITS[name]
    periods, counts = np.unique(values.astype("datetime64[s]").astype(f"datetime64[{unit}]"), return_counts=True)
    return Counter({str(p): int(c) for p, c in zip(periods, counts)})


def _values(seg: Segment, mask: np.ndarray, name: str, spellings: dict[str, Counter[str]]) -> Counter[str]:
    codes, table = seg.codes(name)
    per_code = np.bincount(codes[mask], minlength=len(table))
    counts: Counter[str] = Counter()
    for code in np.flatnonzero(per_code[1:]) + 1:  # code 0 is "no value"
        n = int(per_code[code])
        values = table[code].split(SEPARATOR) if name in MULTI_FIELDS else [table[code]]
        for value in values:
            key = value_key(value)
            counts[key] += n
            spellings[key][value] += n
    return counts


def count(segments: list[Segment], masks: list[np.ndarray], fields: tuple[str, ...], *,
          top: int = DEFAULT_TOP) -> tuple[dict[str, list[tuple[str, int]]], dict[str, int]]:
    """({field: [(value, count), ...]}, {field: values left out}).

    A value facet lists its `top` values, count-descending then by value, and the second dict says how
    many more it has. `year`, `month` and `day` list every period from the first hit's to the last one's, in time
    order, those without a hit at 0: a histogram that leaves periods out misleads."""
    out: dict[str, list[tuple[str, int]]] = {}
    more: dict[str, int] = {}
    for name in fields:
        totals: Counter[str] = Counter()
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for seg, mask in zip(segments, masks):
            if name in PERIOD_FACETS:
                totals.update(_dates(seg, mask, name))
            else:
                totals.update(_values(seg, mask, name, spellings))
        if name in PERIOD_FACETS:
            out[name] = _every_period(totals, name)
            continue
        shown = [(spellings[key].most_common(1)[0][0] if key in spellings else key, n) for key, n in totals.items()]
        shown.sort(key=lambda item: (-item[1], item[0]))
        out[name] = shown[:top]
        if len(shown) > top:
            more[name] = len(shown) - top
    return out, more


def _every_period(totals: Counter[str], name: str) -> list[tuple[str, int]]:
    if not totals:
        return []
    unit = _UNITS[name]
    first, last = (np.datetime64(p, unit) for p in (min(totals), max(totals)))
    return [(str(p), totals.get(str(p), 0)) for p in np.arange(first, last + 1)]
