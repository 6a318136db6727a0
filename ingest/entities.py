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
from functools import lru_cache

from .gazetteer import known_places, norm

__all__ = ["Entities", "find_entities", "find_acronyms"]

_MAX_ITEMS = 15

_CAP = r"[A-Z][\w&'’.\-]*"
_CONNECT = r"(?:of|for|and|the|de|du|&|on|in)"
_SPAN = rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP}){{0,7}}"

_ORG_SUFFIXES = (
    "Committee", "Mission", "Organisation", "Organization",
    "Ltd", "Ltd.", "Limited", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Company", "Co.", "LLC", "LLP", "PLC",
    "plc", "AG", "GmbH", "SA", "S.A.", "NV", "N.V.", "Group", "Holdings", "Bank", "Ministry", "Department",
    "Agency", "Authority", "Commission", "Council", "Association", "Society", "Institute", "University",
    "Foundation", "Federation", "Organisation", "Organization", "Board", "Bureau", "Party", "Police", "Court",
    "Technologies", "Systems", "Industries", "Airlines", "Motors", "Pharmaceuticals", "Energy", "Capital",
)
# Spaces inside a name never include a line break: a heading and the paragraph under it are two spans.
_ORG = re.compile(rf"\b((?:[A-Z][\w&'’.\-]*[^\S\n]+(?:(?:of|for|and|&|on)[^\S\n]+)?){{0,6}}(?:{'|'.join(re.escape(s) for s in _ORG_SUFFIXES)}))(?![\w])")
_ORG_PREFIX = re.compile(rf"\b((?:Ministry|Department|University|Bank|Institute|Government|Council|Embassy) of(?:\s+the)?\s+{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,4}})")

_TITLES = (
    "Minister", "Chief Minister", "Prime Minister", "President", "Vice-President", "Vice President", "CEO",
    "Chief Executive", "Chairman", "Chairperson", "Director", "Governor", "Secretary", "Senator", "Mayor",
    "Spokesperson", "Spokesman", "Founder", "Chancellor", "King", "Queen", "Judge", "Justice", "Shri", "Smt",
    "Dr", "Dr.", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Gen.", "General", "Commissioner", "Ambassador",
    "Raksha Mantri", "Mantri", "Managing Director", "Officer", "Head", "Adviser", "Advisor", "Professor", "Prof.",
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


# Words of titles and roles that go before a name ("Managing Director", "Shri"): never part of one.
_TITLE_WORDS = frozenset(w.lower().strip(".") for t in _TITLES for w in t.split())
# Words of job titles that name a portfolio ("Minister for Defence Procurement Alistair Rowe"): cut in front
# of a person's name, but kept in an organisation's ("Defence Research and Development Organisation").
_PORTFOLIO_WORDS = _TITLE_WORDS | {
    "defence", "finance", "foreign", "home", "union", "state", "deputy", "former", "executive", "chief", "senior",
    "procurement", "development", "technology", "energy", "health", "production", "research", "affairs",
    "operations", "trade", "commerce", "industry", "external", "interior", "financial", "technical", "company",
}
# Words that open a span but not a name: "About Acme Inc", "SOURCE Acme", "State-run Acme", "Shares of Acme".
_LEADERS = frozenset("about source shares state-run state-owned privately-held listed unit units the a an".split())


def _sentence_tail(span: str) -> str:
    # a span never runs across a sentence end
    return re.split(r"(?<=[a-z0-9])\.\s+", span)[-1]


def _strip_based(words: list[str]) -> list[str]:
    """"Bengaluru-based Kaveri Aerospace Systems" names Kaveri Aerospace Systems."""
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower().endswith("-based"):
            return words[index + 1:]
    return words


def _person_name(span: str) -> str:
    """The name in a span found beside a title: titles, roles and portfolios in front of it cut."""
    words = _strip_based(_sentence_tail(span).split())
    last_title = max((i for i, w in enumerate(words) if w.lower().strip(".,") in _PORTFOLIO_WORDS | _MINOR), default=-1)
    words = words[last_title + 1:]
    while words and words[0].lower() in _NOT_A_NAME:
        words.pop(0)
    return " ".join(words).strip(" ,.;:")


def _org_name(span: str) -> str:
    """An organisation's full name in a span: leading filler cut, and the span ended where a title begins
    ("Ministry of Defence Raksha Mantri ..." is the Ministry of Defence)."""
    words = _strip_based(_sentence_tail(span).split())
    # "Raksha Mantri The Defence Research ...": an article inside the span starts the name
    inner = [i for i, w in enumerate(words) if i and w == "The"]
    if inner:
        words = words[inner[-1]:]
    while words and (words[0].lower() in _LEADERS | _MINOR or words[0].lower().strip(".") in _TITLE_WORDS):
        words.pop(0)
    # "Managing Director and CEO of Acme Bank", "Officer of Acme": the organisation follows the role
    for index, word in enumerate(words):
        if word == "of" and index and all(w.lower().strip(".") in _TITLE_WORDS | _MINOR for w in words[:index]):
            words = words[index + 1:]
            break
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(".,") in _TITLE_WORDS and word.lower() not in ("general",):
            words = words[:index]
            break
    while words and words[-1].lower() in _MINOR:
        words.pop()
    return " ".join(words).strip(" ,.;:")


def _people(text: str) -> Counter[str]:
    people: Counter[str] = Counter()
    for match in _AFTER_TITLE.finditer(text):
        people[_person_name(match.group(1))] += 1
    for match in _SAID.finditer(text):
        people[_person_name(match.group(1) or match.group(2))] += 1
    places = known_places()
    for name in list(people):
        words = name.split()
        if len(words) < 2 or words[0].lower() in _NOT_A_NAME or norm(name) in places or words[-1] in _ORG_SUFFIXES:
            del people[name]
    return people


def _looks_like_org(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and any(w in _ORG_SUFFIXES or w in ("Ministry", "Department", "Government") for w in words)


def _organizations(text: str, acronyms: dict[str, str]) -> Counter[str]:
    orgs: Counter[str] = Counter()
    for pattern in (_ORG, _ORG_PREFIX):
        for match in pattern.finditer(text):
            name = _org_name(match.group(1))
            if len(name.split()) >= 2:
                orgs[name] += 1
    # an acronym's long form is the organisation's full name
    for long_form in acronyms.values():
        if _looks_like_org(long_form):
            orgs[long_form] += 1
    return _merge_variants(orgs)


def _contains_words(longer: str, shorter: str) -> bool:
    return f" {shorter.casefold()} " in f" {longer.casefold()} "


def _merge_variants(names: Counter[str]) -> Counter[str]:
    """Fold each name into the longest name that contains its words in order ("Indian Council" and
    "Council of Medical Research" into "Indian Council of Medical Research"), adding up the counts."""
    merged: Counter[str] = Counter()
    by_length = sorted(names, key=lambda n: (len(n.split()), names[n]), reverse=True)
    for name in by_length:
        home = next((kept for kept in merged if _contains_words(kept, name)), name)
        merged[home] += names[name]
    return merged


@lru_cache(maxsize=8192)
def _known_place(name: str) -> str | None:
    """The place a run of words names. Cached: the same capitalised runs recur across a wire's releases."""
    return known_places().get(norm(name))


def _places(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for match in re.finditer(r"\b[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,2}", text):
        words = match.group(0).split()
        # the longest known name inside the capitalised run: "New Delhi" before "Delhi"
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                name = _known_place(" ".join(words[start:start + size]))
                if name:
                    counts[name] += 1
                    break
            else:
                continue
            break
    return counts


def find_entities(text: str) -> Entities:
    """People, organisations, places and acronyms named in `text`."""
    acronyms = find_acronyms(text)
    orgs = _organizations(text, acronyms)
    people = _merge_variants(_people(text))
    for name in list(people):
        if any(_contains_words(org, name) for org in orgs):
            del people[name]
    return Entities(people=_top(people), organizations=_top(orgs), places=_top(_places(text)), acronyms=acronyms)
