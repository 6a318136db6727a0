"""The timeline: hits per day, week, month or year as bars, from a period facet's counts.

The unit follows the span of the hits, so that a chart has tens of bars, not thousands: days up to two
months, weeks (Monday to Sunday) up to two years, months up to twenty, years beyond. The search page asks
for the counts at the period the span needs (`period_for`), so no count covers more than a few hundred
periods, even for a release dated in the year 1. Every period between the first and the last hit has its
bar, an empty one too, so the chart's axis is time. Each bar carries the first and last day it covers,
which a click on it makes the search's `since` and `until`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

__all__ = ["Bar", "Timeline", "timeline", "period_for", "WIDTH", "HEIGHT"]

WIDTH, HEIGHT = 720, 120  # the chart's viewBox; it scales to the page's width
_DAYS_UP_TO = 62  # days of span shown as days; weeks beyond
_DAY_COUNTS_UP_TO = 1  # years between the first hit's and the last one's counted by day; by month beyond
_MONTH_COUNTS_UP_TO = 19  # ... counted by month; by year beyond


@dataclass(frozen=True)
class Bar:
    first: date
    last: date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31):
            return f"{self.first.year:04d}"
        if self.first.day == 1 and self.last.month == self.first.month and self.last.year == self.first.year:
            return f"{self.first.year:04d}-{self.first.month:02d}"
        return f"week of {self.first.isoformat()}"


@dataclass(frozen=True)
class Timeline:
    unit: str  # day, week, month or year
    bars: tuple[Bar, ...]
    peak: int

    @property
    def first(self) -> date:
        return self.bars[0].first

    @property
    def last(self) -> date:
        return self.bars[-1].last


def period_for(first_year: int, last_year: int) -> str:
    """The period facet (day, month or year) whose counts draw the chart of hits from `first_year` to `last_year`."""
    span = last_year - first_year
    return "day" if span <= _DAY_COUNTS_UP_TO else "month" if span <= _MONTH_COUNTS_UP_TO else "year"


def timeline(period: str, counts: Iterable[tuple[str, int]]) -> Timeline | None:
    """The chart of a period facet's counts (`[("2025-04-16", n), ...]` for `day`, "2025-04" for `month`, "2025"
    for `year`; in any order); None without a hit."""
    starts: dict[date, int] = {}
    for value, count in counts:
        if count:
            starts[_parsed(value)] = count
    if not starts:
        return None
    first, last = min(starts), max(starts)
    unit = period if period != "day" else "day" if (last - first).days < _DAYS_UP_TO else "week"
    periods: dict[date, int] = {}
    start = _start(first, unit)
    while start <= last:
        periods[start] = 0
        if (end := _end(start, unit)) == date.max:
            break
        start = end + timedelta(days=1)
    for day, count in starts.items():
        periods[_start(day, unit)] += count
    peak = max(periods.values())
    step = WIDTH / len(periods)
    gap = 1.0 if step > 3 else 0.0
    bars = []
    for number, (start, count) in enumerate(periods.items()):
        height = count / peak * (HEIGHT - 2) if count else 0.0
        bars.append(Bar(first=start, last=_end(start, unit), count=count, x=round(number * step, 2),
                        y=round(HEIGHT - height, 2), width=round(step - gap, 2), height=round(height, 2)))
    return Timeline(unit=unit, bars=tuple(bars), peak=peak)


def _parsed(value: str) -> date:
    """The first day of a period facet's value: "2025-04-16", "2025-04" or "2025"."""
    parts = [int(part) for part in value.split("-")]
    return date(parts[0], *(parts[1:] + [1, 1])[:2])


def _start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def _end(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=6)
    if unit == "year" or (unit == "month" and start.month == 12):
        return start.replace(month=12, day=31)
    if unit == "month":
        return start.replace(month=start.month + 1) - timedelta(days=1)
    return start
