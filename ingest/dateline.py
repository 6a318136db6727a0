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

The city is case-normalised and put in English (`ROMA` → `Rome`); the country is the one printed, else the
one a state or province implies (`Calif.`, `Alberta`), else the gazetteer's for the city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

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


_WORD = r"[^\W\d_](?:[\w.'’]|-(?!-))*"
_PLACE = rf"{_WORD}(?:(?:[ ]|\s*/\s*){_WORD}){{0,4}}"
_DATE = (
    r"(?:[^\W\d_]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:\s*,?\s*\d{4})?"  # April 16 / Dec.  03, 2019
    r"|\d{1,2}(?:er)?\.?\s+[^\W\d_]{3,10}\.?(?:\s+\d{4})?)"  # 26 mai 2020 / 28 LUG
)
_DASH = r"(?:-{1,2}|[–—])"
_CREDIT = (
    r"(?:\((?P<credit>[^()\d]{2,40})\)"  # (ANI)  (GLOBE NEWSWIRE)
    r"|/(?P<slash>[A-Za-z][A-Za-z .\-]{1,30})/"  # /PRNewswire/
    rf"|\s*--\s*\((?P<wire>[A-Za-z][A-Za-z .]{{1,30}}?)(?:\s*-\s*(?P<wiredate>[^()]{{4,30}}))?\)\s*{_DASH}?)"  # --(BUSINESS WIRE)--
)
_DATELINE = re.compile(
    rf"""^\s*
    (?:\((?P<pre>[A-Za-z][A-Za-z .]{{1,30}})\)\s*{_DASH}\s*)?           # (ANSA) -
    (?P<city>{_PLACE})
    (?:\s*\((?P<state>[A-Za-z][A-Za-z .\-]{{1,30}})\))?                 # (Maharashtra) or (AP)
    (?:\s*\[(?P<bracket>[^\[\]\d]{{2,30}})\])?                         # [India]
    (?:\s*,\s*(?P<region>{_PLACE}))?                                   # , Calif.  , Afghanistan
    (?:\s*,\s*(?P<region2>{_PLACE}))?
    (?:\s*,?\s+(?P<date>{_DATE}))?
    (?:\s*{_CREDIT}(?:\s*(?:{_DASH}|:)(?=\s|$))?                        # a credit ends it, a dash may follow
     |(?P<end>\s*(?:{_DASH}|:)(?=\s|$)|\s*$))                         # or a dash or colon alone
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


def _valid_date(text: str | None) -> bool:
    if not text:
        return True
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and month_number(words[0]) is not None


def _place(city: str, *regions: str | None) -> tuple[str | None, str | None]:
    city = " ".join(city.split()).strip(" .,")
    if not city:
        return None, None
    country = None
    for region in regions:
        if region:
            country = region_country(region.strip()) or country
            if country:
                break
    if country is None and "/" not in city:
        # a city that is itself a country ("SINGAPORE") names it; otherwise leave the country to the caller
        country = country_name(city)
    return canonical_city(city), country


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
    city, country = _place(match.group("city"))
    return DatelineMatch(raw=match.group("city"), city=city, country=country)


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
    credit_text = groups["credit"] or groups["slash"] or groups["wire"] or groups["pre"]
    credit = normalise_agency(credit_text) if credit_text else None
    date_text = groups["date"] or groups["wiredate"]
    if credit_text and not credit:
        return None
    if not all(_capitalised(groups[g]) for g in ("city", "state", "bracket", "region", "region2")):
        return None
    if not _valid_date(groups["date"]):
        return None
    raw = " ".join(match.group(0).split())
    if len(raw) > _MAX_RAW:
        return None
    city_text = groups["city"]
    words = city_text.split()
    has_marker = bool(credit or groups["date"] or groups["bracket"] or groups["state"])
    if not has_marker:
        # without a credit or date, only a short place name ending in a dash or colon, in capitals or
        # known to the gazetteer, is a dateline ("MONTGOMERY, Ala. --", "New Delhi:")
        if not (groups["end"] or "").strip() or len(words) > 4:
            return None
        if not (city_text.isupper() or city_country(city_text) or (groups["region"] and region_country(groups["region"]))):
            return None
    city, country = _place(city_text, groups["bracket"], groups["region2"], groups["region"], groups["state"])
    return DatelineMatch(raw=raw, city=city, country=country, credit=credit, date_text=date_text)


def _parse_trailing(text: str) -> DatelineMatch | None:
    match = _TRAILING.search(text[-200:])
    if not match or not normalise_agency(match.group("credit")) or not _valid_date(match.group("date")):
        return None
    city, country = _place(match.group("city"))
    return DatelineMatch(raw=" ".join(match.group("raw").split()), city=city, country=country,
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
    city, country = _place(two_words if end == "more" else match.group("city"))
    raw = " ".join(match.string[match.start():match.end(end)].split())
    return DatelineMatch(raw=raw, city=city, country=country, credit=normalise_agency(match.group("credit")),
                         date_text=match.group("date"))


def parse_byline(text: str) -> DatelineMatch | None:
    """A byline naming a wire and a city, `PTI, Washington`; None for anything else."""
    match = _BYLINE.match(text)
    if not match:
        return None
    credit = normalise_agency(match.group("credit"))
    if not credit or not city_country(match.group("city")):
        return None
    city, country = _place(match.group("city"))
    return DatelineMatch(raw=" ".join(match.group(0).split()), city=city, country=country, credit=credit)
