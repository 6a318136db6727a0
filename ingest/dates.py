"""Publication dates: read from every place a page states them, parsed, and chosen in order of trust.

Trust, highest first: JSON-LD (`NewsArticle` and kin), `article:`/Open Graph and other named meta tags,
`<time datetime>`, a visible `Posted On` line, the dateline, the feed's hints, and last a scan of the page
(htmldate). A time without a zone is read in the zone the caller gives (the story's local zone); a date
without a time is midnight there. A dateline's `April 16` takes its year from the page's other dates or the
fetch date, and is never in the future. Every result is aware, in the offset the text gives (or the zone
given), so the caller has both the instant and the story's own time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterable

from dateutil import parser as date_parser

from .agency import normalise_agency

__all__ = ["month_number", "parse_date", "parse_day_month", "visible_date", "is_date_line", "IST"]

IST = timezone(timedelta(hours=5, minutes=30), "IST")

# Month names and abbreviations in the languages wires use (English, French, Italian, German, Spanish,
# Portuguese, Dutch). ANSA writes `LUG`, GlobeNewswire's French releases `mai`.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janv janvier gennaio gen januar jän enero ene janeiro januari",
        "february feb febr fevr fevrier février febbraio februar febrero febrer fevereiro fev februari",
        "march mar mars marzo märz marz março marco maart",
        "april apr avr avril aprile abril abr",
        "may mai maggio mag mayo maio mei",
        "june jun juin giugno giu juni junio junho",
        "july jul juil juillet luglio lug juli julio julho",
        "august aug aout août agosto ago augustus",
        "september sep sept septembre settembre set septiembre setembro",
        "october oct octobre ottobre ott oktober octubre outubro out okt",
        "november nov novembre novembro noviembre",
        "december dec déc decembre décembre dicembre dic dezember dez diciembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number


def month_number(word: str) -> int | None:
    """1..12 for a month name or abbreviation in a wire language (`Dec.`, `mai`, `LUG`), else None."""
    return _MONTHS.get(word.strip(". ").casefold())


# Zone abbreviations wires print (dateutil knows only UTC/GMT by itself); seconds east of UTC.
_ZONE_NAMES = {
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
    "PST": -8 * 3600, "PDT": -7 * 3600, "ET": -5 * 3600, "IST": 19800, "CET": 3600, "CEST": 7200, "BST": 3600,
    "JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "MSK": 3 * 3600,
}



def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """dateutil's zone for a parsed date: a stated offset, a known abbreviation's, else None (the date is
    then taken in the caller's zone: an abbreviation no one can read is not UTC, nor the machine's zone)."""
    return offset if offset is not None else _ZONE_NAMES.get(name or "")


_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, *, zone: tzinfo = timezone.utc) -> datetime | None:
    """An aware datetime from ISO 8601, RFC 2822, epoch seconds or milliseconds, or free text such as
    `09 AUG 2026 12:45PM`, in the offset it states; None when `text` holds no date. A value without a zone
    is taken in `zone`."""
    text = " ".join(str(text).split())
    if not text or len(text) > 80:
        return None
    if _EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        moment = _free_text_date(text)
        if moment is None or moment.year == 1:
            return None
    if not 1900 <= moment.year <= 2200:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        moment.astimezone(timezone.utc)  # an offset that puts it outside the calendar is no date
    except (OverflowError, ValueError):
        return None
    return moment


def _free_text_date(text: str) -> datetime | None:
    """A date in free text; words around it (`Published 2025-04-16 08:10`) are passed over, numbers never."""
    try:
        return date_parser.parse(text, default=datetime(1, 1, 1), tzinfos=_zone_offset)
    except (ValueError, OverflowError, date_parser.ParserError):
        pass
    try:
        moment, skipped = date_parser.parse(text, default=datetime(1, 1, 1), tzinfos=_zone_offset, fuzzy_with_tokens=True)
    except (ValueError, OverflowError, date_parser.ParserError):
        return None
    return None if any(ch.isdigit() for token in skipped for ch in token) else moment


def is_date_only(text: str) -> bool:
    return bool(_ISO_DATE_ONLY.match(text.strip()))


def parse_day_month(text: str, *, reference: datetime, zone: tzinfo = timezone.utc) -> datetime | None:
    """A dateline's date (`April 16`, `Dec.  03, 2019`, `26 mai 2020`, `28 LUG`): midnight in `zone`.

    Without a year, the year is the reference's, or the one before when that would put the date after the
    reference (a dateline is never in the future).
    """
    words = re.findall(r"[^\W\d_]+", text)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not words or not numbers:
        return None
    month = month_number(words[0])
    if month is None:
        return None
    day = numbers[0]
    year = next((n for n in numbers[1:] if 1900 <= n <= 2200), None)
    local_reference = reference.astimezone(zone)
    try:
        if year is None:
            year = local_reference.year
            if date(year, month, day) > local_reference.date() + timedelta(days=1):
                year -= 1
        return datetime.combine(date(year, month, day), time(0, 0), tzinfo=zone)
    except ValueError:
        return None


def first_date(values: Iterable[str], *, zone: tzinfo = timezone.utc) -> datetime | None:
    """The first value that parses as a date."""
    for value in values:
        moment = parse_date(value, zone=zone)
        if moment is not None:
            return moment
    return None


# A date with a time of day as pages print it above a story: `2012-06-04 09:20:26`, `17:08 10/04/2011`,
# `10.04.2011 17:08`. A time beside it tells a publication stamp from the other dates of a page.
_CLOCK = r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
_NUMERIC_DAY = r"(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
_VISIBLE = re.compile(rf"\b(?:{_NUMERIC_DAY}\s+{_CLOCK}|{_CLOCK.replace('clock', 'clock2')}\s+{_NUMERIC_DAY.replace('date', 'date2')})\b")


def visible_date(text: str, *, zone: tzinfo = timezone.utc) -> datetime | None:
    """The first date printed with a time of day in a page's visible text, in `zone` (UTC).

    `10/04/2011` is read day first, as in most of the world, unless only the first number can be a month
    (`04/23/2011`)."""
    for match in _VISIBLE.finditer(text):
        day_text = match.group("date") or match.group("date2")
        clock = match.group("clock") or match.group("clock2")
        numbers = [int(n) for n in re.findall(r"\d+", day_text)]
        if len(day_text.split("-")) == 3:
            year, month, day = numbers
        else:
            day, month, year = numbers
            if month > 12 >= day:
                day, month = month, day
        hour, minute = (int(n) for n in clock.split(":")[:2])
        try:
            moment = datetime(year, month, day, hour, minute, tzinfo=zone)
        except ValueError:
            continue
        if 1900 <= year <= 2200:
            return moment.astimezone(timezone.utc)
    return None


# The parts of a printed date and time: `1987-04-07`, `07/04/1987`, `11:05`, `10:18am`, `8`, `2025`, `Apr.`,
# `Tuesday`, `IST`, `UTC+5:30`; and the separators between a byline's parts.
_DATE_TOKEN = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?)?|\d{1,4}(?:st|nd|rd|th)?\b|[+-]\d{1,2}:?\d{2}",
    re.I)
# a whole date or a time of day: `1987-04-07`, `07/04/1987`, `11:05`, `April 8, 2025`, `8 Apr 2025`
_WHOLE_DATE = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}:\d{2}"
    r"|[^\W\d_]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:1[89]|2[01])\d{2}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?,?\s+(?:1[89]|2[01])\d{2})\b")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split())
_MAX_LINE_WORDS = 4  # words besides the date: `Reuters |`, `Updated on`, `By Jane Doe ·`, `Published:`
# the small words of such a line; any other word in it is a name (capitalised, or a wire's: `dpa`)
_STAMP_WORDS = frozenset("by on at in updated published posted first last modified created edited".split())


def is_date_line(text: str) -> bool:
    """Whether a line is a date printed around a headline, with at most a few names or stamp words besides
    (a wire's name, "Updated"): `Reuters | 1987-04-07 11:05`, `Updated: April 8, 2025 10:18 am IST`. Its date
    has a year or a time of day, and a story's own words are none of those: `Pay April 15, record April 1` and
    `Year to September 30, 1986` are no date lines."""
    whole = _WHOLE_DATE.search(text) if len(text) <= 100 else None
    if whole is None or not (":" in whole.group(0) or any(map(month_number, re.findall(r"[^\W\d_]+", whole.group(0))))
                             or not re.search(r"[^\W\d_]", whole.group(0))):
        return False
    words = [w.strip(".,") for w in re.split(r"[\s|·•,:;()\[\]/–—-]+", _DATE_TOKEN.sub(" ", text)) if w.strip(".,")]
    rest = [w for w in words if not (month_number(w) or w.casefold() in _WEEKDAYS or w.upper() in _ZONE_NAMES
                                     or w.upper() in ("UTC", "GMT", "AM", "PM"))]
    return len(rest) <= _MAX_LINE_WORDS and all(
        w[:1].isupper() or w.casefold() in _STAMP_WORDS or normalise_agency(w) for w in rest)
