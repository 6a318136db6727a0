"""Places a story names, and the countries it is about, from the gazetteer, offline.

A place is a run of capitalised words the gazetteer knows (a country, a state or province, a large city or
a capital), read longest first ("New Delhi" before "Delhi"). It never comes from words that name a person
or an organisation (the caller passes their spans): "Chris Van Hollen" holds no Van, "Bank of Japan" no
Japan. A single word that is also a common word or name ("Sale", "Jordan", "Brent") needs more: it must
not stand beside another capitalised word that is not a title or a place ("Brent Hoberman"), and a city
must appear once inside a sentence, not only at its start or in a headline.

The countries a story is about are the countries of its places, the countries its nationality adjectives
name ("Japanese officials", but not "American Express": an adjective before a capitalised word is part of
a name), countries named inside an organisation's name ("Bank of Japan" is about Japan) and its
dateline's country.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .gazetteer import Place, country_name, demonym_country, find_place, may_start_place
from .words import MONTHS_AND_DAYS, PORTFOLIO_WORDS

__all__ = ["Mentions", "find_places"]

_MAX_WORDS = 6  # "Saint Vincent and the Grenadines"
# a run: capitalised tokens, one space apart, with the small words of place names between them
_RUN = re.compile(r"(?<![\w.'’-])(?:(?:[A-Z]\.){2,}|St\.|[A-Z][\w'’\-]*)"
                  r"(?: (?:(?:of|and|the|de|del|es|da|do|al|el|la|le|sur|upon|on) )?(?:(?:[A-Z]\.){2,}|St\.|[A-Z][\w'’\-]*))*")
# country names that are also common words or given names: held to the single-word city rules
_AMBIGUOUS_COUNTRIES = frozenset({"chad", "jordan", "georgia", "turkey", "guinea", "niger", "jersey", "china",
                                  "israel", "kenya", "mali", "togo", "oman", "cuba", "peru", "chile"})
_SENTENCE_END = ".!?:\"“”‘'(\n"
_FILLER = frozenset("in at from to for on by with and but of the as after near outside across into".split())


@dataclass(frozen=True)
class Mentions:
    """The places of a text, most often named first, and the countries it is about."""

    places: tuple[str, ...]
    countries: tuple[str, ...]


@dataclass
class _Hit:
    place: Place | None
    country: str | None  # for an adjective of nationality
    start: int
    end: int
    initial: bool  # at the start of a sentence or in a headline
    single: bool  # one word that may be a common word or a name
    fenced: bool  # beside a capitalised word that is neither a title nor a place


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" ")
    return not before or before[-1] in _SENTENCE_END


def _neutral(word: str) -> bool:
    """A capitalised word that may stand beside a place without making it part of another name."""
    folded = word.casefold().strip(".,")
    return (folded in PORTFOLIO_WORDS or folded in _FILLER or folded in MONTHS_AND_DAYS
            or find_place(word) is not None or demonym_country(word) is not None)


def _hits(text: str, base: int, headline: bool) -> Iterable[_Hit]:
    for run in _RUN.finditer(text):
        words = run.group(0).split(" ")
        starts = []
        position = run.start()
        for word in words:
            starts.append(position)
            position += len(word) + 1
        index = 0
        while index < len(words):
            if not may_start_place(words[index]):
                index += 1
                continue
            for size in range(min(_MAX_WORDS, len(words) - index), 0, -1):
                start, end = starts[index], starts[index + size - 1] + len(words[index + size - 1])
                name = text[start:end]
                place = find_place(name)
                country = None if place else demonym_country(name)
                if place is None and country is None:
                    continue
                before = words[index - 1] if index else ""
                after = words[index + size] if index + size < len(words) else ""
                if place is None:  # an adjective names a country only when no capitalised noun follows it
                    single, fenced = True, bool(after and not _neutral(after))
                else:
                    single = size == 1 and (place.kind != "country" or name.casefold() in _AMBIGUOUS_COUNTRIES)
                    fenced = bool((before and not _neutral(before)) or (after and not _neutral(after)))
                yield _Hit(place, country, base + start, base + end, headline or _initial(text, start), single, fenced)
                index += size
                break
            else:
                index += 1


_CURRENCY = re.compile(r"(?:'s)? (?:dollars?|dlrs?|francs?|lire|lira|marks?|yen|pounds?|sterling|pesos?|crowns?|"
                       r"kron(?:a|e|er|or)|rupees?|riyals?|rand|yuan|won|schillings?|guilders?|escudos?|cruzados?|"
                       r"reais|real|bonds?|treasur(?:y|ies)|currency)\b", re.IGNORECASE)


def find_places(text: str, *, headline: str = "", people: list[tuple[int, int]], organizations: list[tuple[int, int]],
                dateline_country: str | None = None) -> Mentions:
    """The places and countries of a story: `text` is its body; `people` and `organizations` are the spans of
    `text` that name them. The headline counts too, but it capitalises every word, so only for names that
    stand alone."""
    hits = list(_hits(text, 0, False)) + [
        # the headline's spans lie before the body's: shifted out of their way
        hit for hit in _hits(headline, -len(headline) - 1, True)]
    hits = [hit for hit in hits if not _overlaps(hit.start, hit.end, people)]
    inside = {hit.place.name for hit in hits if hit.place and not hit.initial and not hit.fenced}
    lead_end = text.find("\n\n")
    lead_end = len(text) if lead_end < 0 else lead_end
    places: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    strong: set[str] = set()
    if dateline_country:
        name = country_name(dateline_country) or dateline_country
        countries[name] += 1
        strong.add(name)
    for hit in hits:
        in_org = _overlaps(hit.start, hit.end, organizations)
        if hit.start >= 0 and _CURRENCY.match(text, hit.end):  # "U.S. dlrs", "Swiss francs": money, not a subject
            continue
        country = None
        if hit.place is None:
            if not hit.fenced and not in_org:
                country = hit.country or ""
        elif hit.single and (hit.fenced or (hit.initial and hit.place.name not in inside)):
            continue
        elif in_org:
            if hit.place.kind == "country":
                country = hit.place.country
        else:
            places[hit.place.name] += 1
            country = hit.place.country
        if country:
            countries[country] += 1
            if hit.start < lead_end:
                strong.add(country)
    # a country named once, past the first paragraph, is a passing mention: not what the story is about
    countries = Counter({c: n for c, n in countries.items() if c in strong or n >= 2})
    return Mentions(places=tuple(n for n, _ in places.most_common()), countries=tuple(n for n, _ in countries.most_common()))
