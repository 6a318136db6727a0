"""Datelines: the place (and often date and wire) that opens a wire story, as printed and as parsed.

Forms read (the body keeps them; they are stored beside it):

    Rome [Italy], April 16 (ANI):                  NEW YORK, June 11, 2020 /PRNewswire/ --
    Mumbai (Maharashtra) [India], Jan 13 (ANI):    PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --
    New Delhi, Nov 24 (PTI)                        SAN FRANCISCO--(BUSINESS WIRE)--
    CALGARY, Alberta, Dec.  03, 2019  (GLOBE NEWSWIRE) --
    TORONTO, 26 mai 2020 (GLOBE NEWSWIRE) --       SAN FRANCISCO, CA--(Marketwired - April 06, 2016) -
    KABUL, Afghanistan (AP) --    MOSCOW (AP) —    BEIRUT/THE HAGUE, March 7 (Reuters) -    (Reuters) -
    SEOUL, Aug. 20 (Yonhap) --    (ANSA) - ROMA, 28 LUG -    Rheine (ots) -    MONTGOMERY, Ala. --
    New Delhi:    【6月18日 AFP】    MOSCOW, April 10 (RIA Novosti)   (closing a story)
    Posted On: 09 AUG 2026 12:45PM by PIB Delhi    PTI, Washington   (bylines)

The city is case-normalised and put in English (`ROMA` → `Rome`; `printed` keeps `Roma`); the country is
the one printed, else the one a state or province implies (`Calif.`, `Alberta`), else the gazetteer's for
the city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence, TypedDict

from .agency import normalise_agency
from .dates import month_number
from .gazetteer import canonical_city, city_country, country_name, region_country

__all__ = ["DatelineMatch", "parse_dateline", "find_dateline", "parse_posted_line", "parse_byline"]


@dataclass(frozen=True)
class DatelineMatch:
    """A dateline found in text: as printed (`raw`), its place, the wire it credits and its date text."""

    raw: str
    city: str | None = None
    country: str | None = None
    credit: str | None = None
    date_text: str | None = None
    closing: bool = False  # printed at the end of the story (RIA Novosti), not opening it
    printed: str | None = None  # the city as printed, only title-cased (`PEKING` → `Peking`, where `city` is Beijing)


_WORD = r"[^\W\d_](?:[\w.'’]|-(?!-))*"
_PLACE = rf"{_WORD}(?:(?:[ ]|\s*/\s*){_WORD}){{0,4}}"
_DATE = (
    r"(?:[^\W\d_]{3,10}\.?\s+\d{1,3}(?:st|nd|rd|th)?(?:\s*,?\s*\d{4})?"  # April 16 / Dec.  03, 2019 / March 215
    r"|\d{1,2}(?:er)?\.?\s+[^\W\d_]{3,10}\.?(?:\s+\d{4})?)"  # 26 mai 2020 / 28 LUG
)
_DASH = r"(?:-{1,2}|[–—])"
_CREDIT = (
    rf"(?:\s*,\s*(?P<bare>[A-Za-z]{{2,15}})(?=\s*{_DASH}\s)"  # BRUSSELS, March 27, Reuter -
    r"|\((?P<credit>[^()\d]{2,40})\)"  # (ANI)  (GLOBE NEWSWIRE)
    r"|/(?P<slash>[A-Za-z][A-Za-z .\-]{1,30})/"  # /PRNewswire/
    rf"|\s*--\s*\((?P<wire>[A-Za-z][A-Za-z .]{{1,30}}?)(?:\s*-\s*(?P<wiredate>[^()]{{4,30}}))?\)\s*{_DASH}?)"  # --(BUSINESS WIRE)--
)
_DATELINE = re.compile(
    rf"""^\s*
    (?:\((?P<pre>[A-Za-z][A-Za-z .]{{1,30}})\)\s*{_DASH}\s*            # (ANSA) -
     |(?P<slug>[A-Z]{{2,12}})(?:\s+-{{1,2}}|\s*--)\s*(?=[A-Z]))?        # RPT --LUDWIGSHAFEN (a desk's tag)
    (?P<city>{_PLACE})
    (?:\s*\((?P<state>[A-Za-z][A-Za-z .\-]{{1,30}})\))?                 # (Maharashtra) or (AP)
    (?:\s*\[(?P<bracket>[^\[\]\d]{{2,30}})\])?                         # [India]
    (?:\s*,\s*(?P<region>{_PLACE}))?                                   # , Calif.  , Afghanistan
    (?:\s*,\s*(?P<region2>{_PLACE}))?
    (?:(?:\s*,\s*|\s+)(?P<date>{_DATE}))?
    (?:\s*{_CREDIT}(?:\s*(?:{_DASH}|:)(?=\s|$))?                        # a credit ends it, a dash may follow
     |(?P<end>\s*,?\s*(?:{_DASH}|:)(?=\s|$)|\s*$))                   # or a dash or colon alone
    """,
    re.X,
)
_CREDIT_ONLY = re.compile(rf"^\s*\((?P<credit>[A-Za-z][A-Za-z .]{{1,30}})\)\s*{_DASH}(?=\s)")
_CJK = re.compile(r"^\s*【(?P<date>[^】]*?)\s*(?P<credit>[A-Za-z][A-Za-z .]{1,20})】")
_TRAILING = re.compile(rf"(?P<raw>\b(?P<city>[A-Z][A-Z .'\-]{{2,30}}),\s+(?P<date>{_DATE})\s*\((?P<credit>[^()\d]{{2,40}})\))\s*\.?$")
_POSTED = re.compile(
    r"(?i:Posted\s+On):?\s*(?P<date>\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}(?:\s+\d{1,2}:\d{2}\s*[AP]M)?)\s+by\s+(?P<credit>[A-Z]{2,10})\s+(?P<city>[A-Z][A-Za-z]+)(?P<more>\s[A-Z][a-z]+)?",
)
# Reuters' old pages print the city alone in capitals: "SAN FRANCISCO Venture capitalists are ..."
_BARE_CAPS = re.compile(r"^\s*(?P<city>[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3})\s+(?=[A-Z][a-z])")
_BYLINE = re.compile(r"^\s*(?P<credit>[A-Za-z][A-Za-z .]{1,30}?)\s*,\s*(?P<city>[A-Z][A-Za-z .'\-]{2,30}?)\s*,?\s*$")

_MAX_RAW = 120


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")


def _typed_month(word: str) -> bool:
    """A month name as a hurried desk typed it: cut short (`Apri`), one letter added, lost or changed
    (`Marchg`, `Aprl`), or two swapped (`Macrh`)."""
    word = word.casefold().rstrip(".")
    if len(word) < 4:
        return False
    return any(name.startswith(word) or _one_edit(word, name) for name in _MONTH_NAMES)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _valid_date(text: str | None) -> bool:
    if not text:
        return True
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and (month_number(words[0]) is not None or _typed_month(words[0]))


class _Place(TypedDict):
    city: str | None
    country: str | None
    printed: str | None


def _place(city: str, *regions: str | None) -> _Place:
    """The city (in English), its country and the city as printed, as `DatelineMatch` fields."""
    city = " ".join(city.split()).strip(" .,")
    if not city:
        return {"city": None, "country": None, "printed": None}
    country = None
    for region in regions:
        if region:
            country = region_country(region.strip()) or country
            if country:
                break
    if country is None and "/" not in city:
        # a city that is itself a country ("SINGAPORE") names it; otherwise leave the country to the caller
        country = country_name(city)
    return {"city": canonical_city(city), "country": country, "printed": canonical_city(city, translate=False)}


def parse_dateline(text: str) -> DatelineMatch | None:
    """The dateline opening `text`, or None. The country is only what the dateline itself implies."""
    head = text[:300]
    match = _CJK.match(head)
    if match:
        return DatelineMatch(raw=" ".join(match.group(0).split()), credit=normalise_agency(match.group("credit")),
                             date_text=match.group("date") or None)
    return _parse_place_dateline(head) or _parse_credit_only(head) or _parse_bare_caps(head)


def _parse_credit_only(head: str) -> DatelineMatch | None:
    match = _CREDIT_ONLY.match(head)
    if match and normalise_agency(match.group("credit")):
        return DatelineMatch(raw=" ".join(match.group(0).split()), credit=normalise_agency(match.group("credit")))
    return None


def _parse_bare_caps(head: str) -> DatelineMatch | None:
    match = _BARE_CAPS.match(head)
    if not match or len(match.group("city")) < 4 or not city_country(match.group("city")):
        return None
    place = _place(match.group("city"))
    return DatelineMatch(raw=match.group("city"), **place)


def _capitalised(text: str | None) -> bool:
    small = ("de", "la", "of", "the", "am", "upon", "du", "sur")
    return not text or all(w[:1].isupper() for w in text.replace("/", " ").split() if w.lower() not in small)


def _parse_place_dateline(head: str) -> DatelineMatch | None:
    match = _DATELINE.match(head)
    if not match:
        return None
    groups = match.groupdict()
    if groups["state"] and normalise_agency(groups["state"]) and not groups["bracket"]:
        # "MOSCOW (AP) —": the bracket after the city is the credit, not a state
        groups["credit"], groups["state"] = groups["state"], None
    credit_text = groups["credit"] or groups["slash"] or groups["wire"] or groups["pre"] or groups["bare"]
    credit = normalise_agency(credit_text) if credit_text else None
    date_text = groups["date"] or groups["wiredate"]
    if credit_text and not credit:
        return None
    if not _valid_date(groups["date"]):
        return None
    raw = " ".join(match.group(0).split())
    if len(raw) > _MAX_RAW:
        return None
    city_text = groups["city"]
    words = city_text.split()
    known = bool(city_country(city_text) or (groups["region"] and region_country(groups["region"])))
    if not all(_capitalised(groups[g]) for g in ("city", "state", "bracket", "region", "region2")):
        # a dateline typed in lower case ("peoria, april 7 -") still has its date, and a place we know
        if not (groups["date"] and city_country(city_text)):
            return None
    dashed = bool(credit or (groups["end"] or "").strip())
    if not dashed and not (city_text.isupper() or known):
        return None  # a paragraph that is only "Pay 1 May" names no place
    has_marker = bool(credit or groups["date"] or groups["bracket"] or groups["state"])
    if not has_marker:
        # without a credit or date, only a short place name ending in a dash or colon, in capitals or
        # known to the gazetteer, is a dateline ("MONTGOMERY, Ala. --", "New Delhi:"), and the story after
        # it begins with a word ("WHEAT - 2,602,000 bushels" is a line of a table)
        if not dashed or len(words) > 4 or not (city_text.isupper() or known):
            return None
        following = head[match.end():].lstrip()[:1]
        if following and not (following.isalpha() or following in "\"“‘'(<"):
            return None
    place = _place(city_text, groups["bracket"], groups["region2"], groups["region"], groups["state"])
    return DatelineMatch(raw=raw, **place, credit=credit, date_text=date_text)


def _parse_trailing(text: str) -> DatelineMatch | None:
    match = _TRAILING.search(text[-200:])
    if not match or not normalise_agency(match.group("credit")) or not _valid_date(match.group("date")):
        return None
    place = _place(match.group("city"))
    return DatelineMatch(raw=" ".join(match.group("raw").split()), **place,
                         credit=normalise_agency(match.group("credit")), date_text=match.group("date"))


_LOOKAHEAD = 8  # summary bullets and photo captions may come before the paragraph that opens the story
_TAIL = 8  # share prompts and "top multimedia" lines may follow a closing dateline
_SHORT_LINE = 100  # characters; page furniture after a closing dateline is shorter than this


def _closing_only(paragraph: str) -> bool:
    """A paragraph that is nothing but a closing dateline (`MOSCOW, April 10 (RIA Novosti)`)."""
    found = _parse_trailing(paragraph)
    return bool(found) and found.raw == " ".join(paragraph.split()).rstrip(" .")


def find_dateline(paragraphs: Sequence[str]) -> tuple[int, DatelineMatch] | None:
    """The dateline of a story and the index of its paragraph: opening one of the first paragraphs, or
    opening a later one (in the first two thirds) with a wire credit, under captions or teasers, or
    (RIA Novosti's habit) closing the story, with at most short lines after it."""
    for index, paragraph in enumerate(paragraphs[:_LOOKAHEAD]):
        if index and _closing_only(paragraph):
            break
        found = parse_dateline(paragraph)
        if found:
            return index, found
        if len(paragraph) > 300:  # the story has begun without a dateline
            break
    for index, paragraph in enumerate(paragraphs[: len(paragraphs) * 2 // 3]):
        found = parse_dateline(paragraph)
        if found and found.credit and len(paragraph) > 2 * len(found.raw):
            return index, found
    for index in range(len(paragraphs) - 1, max(len(paragraphs) - _TAIL, 0) - 1, -1):
        found = _parse_trailing(paragraphs[index])
        if found:
            return index, replace(found, closing=True)
        if len(paragraphs[index]) > _SHORT_LINE:
            break
    return None


def parse_posted_line(text: str) -> DatelineMatch | None:
    """PIB's `Posted On: 09 AUG 2026 12:45PM by PIB Delhi`, found anywhere in `text`."""
    match = _POSTED.search(text)
    if not match or not normalise_agency(match.group("credit")):
        return None
    # "by PIB New Delhi" has a two-word city; "by PIB Delhi In a major ..." runs into the text
    two_words = match.group("city") + (match.group("more") or "")
    end = "more" if match.group("more") and city_country(two_words) else "city"
    place = _place(two_words if end == "more" else match.group("city"))
    raw = " ".join(match.string[match.start():match.end(end)].split())
    return DatelineMatch(raw=raw, **place, credit=normalise_agency(match.group("credit")),
                         date_text=match.group("date"))


def parse_byline(text: str) -> DatelineMatch | None:
    """A byline naming a wire and a city, `PTI, Washington`; None for anything else."""
    match = _BYLINE.match(text)
    if not match:
        return None
    credit = normalise_agency(match.group("credit"))
    if not credit or not city_country(match.group("city")):
        return None
    place = _place(match.group("city"))
    return DatelineMatch(raw=" ".join(match.group(0).split()), **place, credit=credit)
