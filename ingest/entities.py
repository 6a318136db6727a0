"""People, organisations, places and acronym definitions, by rules, offline. Precision over recall.

- acronyms: `Society of Indian Defence Manufacturers (SIDM)` and `SIDM (Society of Indian Defence ...)`,
  kept only when the capitals of the long form spell the short one;
- organisations: capitalised spans ending in a suffix such as Ltd, Inc, Corporation, Ministry, Bank;
- people: capitalised spans after a title (Minister, CEO, President, Shri, Dr) or beside `said`;
- places: countries, and cities large enough to be unambiguous, from the gazetteer.
Each list is capped, most frequent first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import known_places, norm

__all__ = ["Entities", "find_entities", "find_acronyms"]

_MAX_ITEMS = 15

_CAP = r"[A-Z][\w&'’.\-]*"
_CONNECT = r"(?:of|for|and|the|de|du|&|on|in)"
_SPAN = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP}){{0,7}}"

_ORG_SUFFIXES = (
    "Ltd", "Ltd.", "Limited", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Company", "Co.", "LLC", "LLP", "PLC",
    "plc", "AG", "GmbH", "SA", "S.A.", "NV", "N.V.", "Group", "Holdings", "Bank", "Ministry", "Department",
    "Agency", "Authority", "Commission", "Council", "Association", "Society", "Institute", "University",
    "Foundation", "Federation", "Organisation", "Organization", "Board", "Bureau", "Party", "Police", "Court",
    "Technologies", "Systems", "Industries", "Airlines", "Motors", "Pharmaceuticals", "Energy", "Capital",
)
_ORG = re.compile(rf"\b((?:[A-Z][\w&'’.\-]*\s+(?:(?:of|for|and|&|on)\s+)?){{0,6}}(?:{'|'.join(re.escape(s) for s in _ORG_SUFFIXES)}))(?![\w])")
_ORG_PREFIX = re.compile(rf"\b((?:Ministry|Department|University|Bank|Institute|Government|Council|Embassy) of(?:\s+the)?\s+{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,4}})")

_TITLES = (
    "Minister", "Chief Minister", "Prime Minister", "President", "Vice-President", "Vice President", "CEO",
    "Chief Executive", "Chairman", "Chairperson", "Director", "Governor", "Secretary", "Senator", "Mayor",
    "Spokesperson", "Spokesman", "Founder", "Chancellor", "King", "Queen", "Judge", "Justice", "Shri", "Smt",
    "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Gen.", "General", "Commissioner", "Ambassador",
)
_PERSON = r"[A-Z][a-z'’\-]+(?:\s+(?:[A-Z]\.\s*)+)?(?:\s+(?:van|de|von|bin|al)?\s*[A-Z][a-z'’\-]+){1,3}"
_AFTER_TITLE = re.compile(rf"\b(?:{'|'.join(re.escape(t) for t in _TITLES)})\s+(?:{_CAP}\s+)?(?:of\s+{_CAP}\s+)?,?\s*({_PERSON})")
_SAID = re.compile(rf"(?:\bsaid\s+({_PERSON})\b|\b({_PERSON}),?\s+(?:said|says|told|added)\b)")
_NOT_A_NAME = frozenset(
    "the a an this that in on at for with monday tuesday wednesday thursday friday saturday sunday january "
    "february march april may june july august september october november december he she it they we".split()
)

_ACRONYM_AFTER = re.compile(rf"\b({_SPAN})\s+\(([A-Z][A-Za-z&]{{1,9}}[A-Z0-9]?)\)")
_ACRONYM_BEFORE = re.compile(rf"\b([A-Z][A-Za-z&]{{1,9}}[A-Z0-9]?)\s+\(({_SPAN})\)")
_MINOR = frozenset({"of", "for", "and", "the", "de", "du", "&", "on", "in"})


def _initials_match(long_form: str, short: str) -> str | None:
    """The tail of `long_form` whose word initials (or capitals) spell `short`, or None."""
    words = long_form.split()
    letters = short.upper().replace("&", "")
    for start in range(len(words)):
        tail = words[start:]
        if tail[0].lower() in _MINOR:
            continue
        initials = "".join(w[0].upper() for w in tail if w.lower() not in _MINOR)
        capitals = "".join(ch for w in tail for ch in w if ch.isupper())
        if initials == letters or (capitals == letters and len(tail) <= len(letters)):
            return " ".join(tail)
    return None


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms the text defines, short form to long form."""
    found: dict[str, str] = {}
    for match in _ACRONYM_AFTER.finditer(text):
        long_form = _initials_match(match.group(1), match.group(2))
        if long_form:
            found.setdefault(match.group(2), long_form)
    for match in _ACRONYM_BEFORE.finditer(text):
        long_form = _initials_match(match.group(2), match.group(1))
        if long_form and long_form == " ".join(match.group(2).split()):
            found.setdefault(match.group(1), long_form)
    return dict(list(found.items())[:_MAX_ITEMS * 2])


@dataclass(frozen=True)
class Entities:
    """The named things of one text."""

    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    acronyms: dict[str, str]


def _top(counter: Counter[str]) -> tuple[str, ...]:
    return tuple(name for name, _ in counter.most_common(_MAX_ITEMS))


_TITLE_WORDS = frozenset(w.lower().strip(".") for t in _TITLES for w in t.split()) | {"defence", "finance", "foreign", "home", "union", "state", "deputy", "former", "executive", "chief"}


def _clean_span(span: str) -> str:
    # a span never runs across a sentence end; titles and articles in front are not part of the name
    span = re.split(r"(?<=[a-z0-9])\.\s+", span)[-1]
    words = span.split()
    while words and (words[0].lower() in _NOT_A_NAME | _MINOR or words[0].lower().strip(".") in _TITLE_WORDS):
        words.pop(0)
    return " ".join(words).strip(" ,.;:")


def _people(text: str) -> Counter[str]:
    people: Counter[str] = Counter()
    for match in _AFTER_TITLE.finditer(text):
        people[_clean_span(match.group(1))] += 1
    for match in _SAID.finditer(text):
        people[_clean_span(match.group(1) or match.group(2))] += 1
    places = known_places()
    for name in list(people):
        first = name.split()[0].lower() if name else ""
        if len(name.split()) < 2 or first in _NOT_A_NAME or norm(name) in places:
            del people[name]
    return people


def _organizations(text: str) -> Counter[str]:
    orgs: Counter[str] = Counter()
    for pattern in (_ORG, _ORG_PREFIX):
        for match in pattern.finditer(text):
            name = _clean_span(match.group(1))
            if len(name.split()) >= 2:
                orgs[name] += 1
    return orgs


def _places(text: str) -> Counter[str]:
    table = known_places()
    counts: Counter[str] = Counter()
    for match in re.finditer(r"\b[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}", text):
        words = match.group(0).split()
        # the longest known name inside the capitalised run: "New Delhi" before "Delhi"
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                name = table.get(norm(" ".join(words[start:start + size])))
                if name:
                    counts[name] += 1
                    break
            else:
                continue
            break
    return counts


def find_entities(text: str) -> Entities:
    """People, organisations, places and acronyms named in `text`."""
    people = _people(text)
    orgs = _organizations(text)
    for name in list(people):
        if name in orgs:
            del people[name]
    return Entities(people=_top(people), organizations=_top(orgs), places=_top(_places(text)), acronyms=find_acronyms(text))
