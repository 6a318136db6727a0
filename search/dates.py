"""Dates as people write them in `--since`, `--until` and date ranges: ISO dates, months, years, phrases."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone

from wiredesk.core.errors import QueryError

__all__ = ["parse_when", "period", "is_calendar_date"]

_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
_AGO = re.compile(r"^(\d+|a|an|one)\s+(day|week|month|year)s?\s+ago$")
_LAST = re.compile(r"^(?:last|past|this)\s+(day|week|month|year)$")
_LAST_N = re.compile(r"^(?:last|past)\s+(\d+)\s+(day|week|month|year)s?$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_HELP = "use a date such as 2025-04-01, 2025-04 or 2025, or a phrase such as yesterday, last week, 3 days ago"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _end_of(day: date) -> datetime:
    # the day's last microsecond, without stepping to the next day (there is none after 9999-12-31)
    return datetime.combine(day, time.max, tzinfo=timezone.utc)


def period(text: str, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The first and last instant (UTC) a date expression covers: "2025-04" is all of April 2025.
    QueryError for anything else, a date out of Python's range (years 1 to 9999) included."""
    try:
        return _period(text, now=now)
    except OverflowError:  # "9999999 days ago", an offset that crosses year 1 or 9999
        raise QueryError(f"the date {text!r} is out of range (years 1 to 9999)") from None


def _period(text: str, *, now: datetime | None) -> tuple[datetime, datetime]:
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    today = now.date()
    raw = " ".join(text.strip().lower().split())
    try:
        if match := _DAY.match(raw):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return _start_of(day), _end_of(day)
        if match := _MONTH.match(raw):
            year, month = int(match[1]), int(match[2])
            return _start_of(date(year, month, 1)), _end_of(_month_end(year, month))
        if match := _YEAR.match(raw):
            year = int(match[1])
            return _start_of(date(year, 1, 1)), _end_of(date(year, 12, 31))
    except ValueError:
        raise QueryError(f"not a calendar date: {text!r}") from None
    if raw in ("today", "now"):
        return _start_of(today), now
    if raw == "yesterday":
        day = today - timedelta(days=1)
        return _start_of(day), _end_of(day)
    if match := _LAST.match(raw):
        return _start_of(today - timedelta(days=_UNITS[match[1]])), now
    if match := _LAST_N.match(raw):
        return _start_of(today - timedelta(days=int(match[1]) * _UNITS[match[2]])), now
    if match := _AGO.match(raw):
        count = 1 if match[1] in ("a", "an", "one") else int(match[1])
        day = today - timedelta(days=count * _UNITS[match[2]])
        return _start_of(day), _end_of(day)
    try:
        moment = datetime.fromisoformat(raw.upper().replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"cannot read the date {text!r}: {_HELP}") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment, moment


def is_calendar_date(text: str) -> bool:
    """Whether `text` names a day, a month or a year (`2025-04-16`, `2025-04`, `2025`): a date on the
    calendar, which a release's own day matches, rather than an instant or a span back from now."""
    raw = text.strip()
    return bool(_DAY.match(raw) or _MONTH.match(raw) or _YEAR.match(raw))


def parse_when(text: str, *, now: datetime | None = None, end: bool = False) -> datetime:
    """The instant a date expression names: its start, or with `end=True` its last moment.

    `--since 2025-04` means from 1 April; `--until 2025-04` means to the end of April.
    QueryError (one line, with examples) for anything else.
    """
    first, last = period(text, now=now)
    return last if end else first
