"""The timeline: hits per day, week or month as bars, from the search's `day` facet counts.

The unit follows the span of the hits, so that a chart has tens of bars, not thousands: days up to two
months, weeks (Monday to Sunday) up to two years, months up to twenty, years beyond. Every period between the first and the
last hit has its bar, an empty one too, so the chart's axis is time. Each bar carries the first and last
day it covers, which a click on it makes the search's `since` and `until`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

__all__ = ["Bar", "Timeline", "timeline", "WIDTH", "HEIGHT"]

WIDTH, HEIGHT = 720, 120  # the chart's viewBox; it scales to the page's width
_DAYS_UP_TO = 62
_WEEKS_UP_TO = 731
_MONTHS_UP_TO = 7305


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


def timeline(day_counts: Iterable[tuple[str, int]]) -> Timeline | None:
    """The chart of `[("2025-04-16", n), ...]` (the `day` facet's values, in any order); None without dates."""
    days = {date.fromisoformat(day): count for day, count in day_counts}
    if not days:
        return None
    first, last = min(days), max(days)
    span = (last - first).days + 1
    unit = ("day" if span <= _DAYS_UP_TO else "week" if span <= _WEEKS_UP_TO else "month" if span <= _MONTHS_UP_TO
            else "year")
    periods: dict[date, int] = {}
    start = _start(first, unit)
    while start <= last:
        periods[start] = 0
        if (end := _end(start, unit)) == date.max:
            break
        start = end + timedelta(days=1)
    for day, count in days.items():
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
