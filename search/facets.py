"""Facet counts over the whole result set, from column arrays: one `bincount` per field and segment.

A value is counted under its case-normalised key (the key `--filter` matches), and shown in the spelling
most documents use, so that a shown value, filtered on, gives exactly its count. A multi-valued field's
table holds each combination of values once, so it has about as many entries as documents: its values are
laid out once per segment (`_Values`), and a count is two `bincount`s and a loop over the values found.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from weakref import WeakKeyDictionary

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


@dataclass(frozen=True)
class _Values:
    """A segment's dictionary column laid out for counting: each (code, value) pair of its table, a multi-valued
    code holding several, as the code and the value's number among the table's distinct spellings."""

    pair_codes: np.ndarray
    pair_values: np.ndarray
    spellings: list[str]
    keys: list[str]  # each spelling's value key, the form filters match

    @classmethod
    def of(cls, table: list[str], multi: bool) -> _Values:
        numbers: dict[str, int] = {}
        codes, values = [], []
        for code in range(1, len(table)):  # code 0 is "no value"
            for value in table[code].split(SEPARATOR) if multi else (table[code],):
                codes.append(code)
                values.append(numbers.setdefault(value, len(numbers)))
        spellings = list(numbers)
        return cls(np.asarray(codes, dtype=np.int64), np.asarray(values, dtype=np.int64), spellings,
                   [value_key(spelling) for spelling in spellings])


# per segment (alive as long as its snapshot), per field: the table's layout, made on the first count
_LAYOUTS: WeakKeyDictionary[Segment, dict[str, _Values]] = WeakKeyDictionary()


def _values(seg: Segment, mask: np.ndarray, name: str, spellings: dict[str, Counter[str]]) -> Counter[str]:
    codes, table = seg.codes(name)
    layouts = _LAYOUTS.setdefault(seg, {})
    if name not in layouts:
        layouts[name] = _Values.of(table, name in MULTI_FIELDS)
    layout = layouts[name]
    per_code = np.bincount(codes[mask], minlength=len(table))
    per_value = np.bincount(layout.pair_values, weights=per_code[layout.pair_codes], minlength=len(layout.spellings))
    counts: Counter[str] = Counter()
    for number in np.flatnonzero(per_value).tolist():
        n, key = int(per_value[number]), layout.keys[number]
        counts[key] += n
        spellings[key][layout.spellings[number]] += n
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
