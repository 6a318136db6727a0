"""People, organisations, places, countries and acronym definitions of a story, by rules, offline.

- acronyms: every `Long Form (ACR)` and `ACR (Long Form)`: the long form is the tail of the capitalised
  words before the brackets whose initials spell the acronym ("Society of Indian Defence Manufacturers
  (SIDM)"), or, where none does (a name translated from another language: "Federation of Italian Companies
  for Aerospace, Defence and Security (AIAD)"), the whole run of them;
- organisations: capitalised spans ending in a word such as Ltd, Inc, Corporation, Ministry, Bank, or
  opening with "Ministry of", and the long forms of acronyms that hold such a word;
- people (`people.py`): full names beside a title, a verb of speech or a role, short forms folded in;
- places and countries (`places.py`): from the gazetteer, never out of a person's or organisation's name.
Each list is capped, most frequent first. Precision over recall.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .agency import normalise_agency
from .gazetteer import find_place
from .people import find_people
from .places import find_places
from .words import LEADERS, MINOR, ORG_SUFFIXES, TITLE_WORDS

__all__ = ["Entities", "find_entities", "find_acronyms"]

_MAX_ITEMS = 15

_CAP = r"[A-Z][\w&'’.\-]*"
# Spaces inside a name never include a line break: a heading and the paragraph under it are two spans.
_ORG = re.compile(rf"\b((?:[A-Z][\w&'’.\-]*[^\S\n]+(?:(?:of|for|and|&|on)[^\S\n]+)?){{0,6}}(?:{'|'.join(re.escape(s) for s in ORG_SUFFIXES)}))(?![\w])")
_ORG_PREFIX = re.compile(rf"\b((?:Ministry|Department|University|Bank|Institute|Government|Council|Embassy) of(?:\s+the)?\s+{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,4}})")

# Words that make an acronym's long form an organisation, in the languages of the wires' copy.
_ORG_WORDS = frozenset(w.casefold().strip(".") for w in ORG_SUFFIXES) | frozenset("""
    ministry department government alliance coalition confederation chamber forum network fund trust exchange
    centre center service office force army navy corps front movement league club secretariat tribunal
    parliament assembly congress senate cabinet administration reserve consortium consorzio associazione
    federazione confederazione istituto società banca ministero agenzia verband bundesverband gesellschaft
    stiftung institut ministerium bundesamt federación asociación confederación instituto sociedad ministerio
    banco fédération société banque ministère conseil agence autorité comité organización organisation
    """.split())

# A long form: capitalised words, joined by small words (in several languages) or by commas
_LONG_WORD = re.compile(r"[A-ZÀ-Þ][\w&'’.\-]*")
_JOINS = frozenset("of for and the on in de du des di del della per la le y e et und für &".split())
_SHORT = r"[A-Z][A-Za-z&]{0,8}[A-Z0-9]"
_ACRONYM_AFTER = re.compile(rf"[^\S\n]\(({_SHORT})\)")
_ACRONYM_BEFORE = re.compile(rf"\b({_SHORT})[^\S\n]+\(([^()\n]{{3,200}})\)")
_MAX_LONG_WORDS = 12
_MAX_RUN = 30  # words read back from an acronym's brackets


def _is_long_form(words: list[str]) -> bool:
    return bool(words) and all(_LONG_WORD.fullmatch(w.rstrip(",")) or w in _JOINS for w in words) \
        and words[0] not in _JOINS and words[-1] not in _JOINS


def _run_before(text: str, end: int) -> str:
    """The capitalised words (and the small words and commas between them) that end at `end`, on its line."""
    line = text[max(0, end - 400):end].rsplit("\n", 1)[-1]
    run: list[str] = []
    for word in reversed(line.split()):
        if not (_LONG_WORD.fullmatch(word.rstrip(",")) or word in _JOINS) or len(run) >= _MAX_RUN:
            break
        if not run and word.endswith(","):
            break  # "..., (ABC)" is no definition
        run.append(word)
    while run and run[-1] in _JOINS:
        run.pop()
    return " ".join(reversed(run))


def _initials_match(long_form: str, short: str) -> str | None:
    """The tail of `long_form` whose word initials (or capitals) spell `short`, or None."""
    words = long_form.split()
    letters = short.upper().replace("&", "")
    for start in range(len(words)):
        tail = [w.strip(",") for w in words[start:]]
        if tail[0].lower() in MINOR:
            continue
        initials = "".join(w[0].upper() for w in tail if w.lower() not in MINOR)
        capitals = "".join(ch for w in tail for ch in w if ch.isupper())
        if initials == letters or (capitals == letters and len(tail) <= len(letters)):
            return " ".join(words[start:]).rstrip(",")
    return None


def _whole_run(long_form: str) -> str | None:
    """A long form whose initials do not spell its acronym: the run from its last "the", or from its last
    list item ("India, Italy and the ..."), cut of leading filler; None when it is no name."""
    words = long_form.split()
    articles = [i for i, w in enumerate(words) if w.casefold() == "the"]
    if articles:
        words = words[articles[-1] + 1:]
    while words and (words[0].casefold().strip(",") in LEADERS or words[0].casefold() in MINOR):
        words.pop(0)
    capitals = [w for w in words if w[:1].isupper()]
    if len(capitals) < 2 or len(words) > _MAX_LONG_WORDS:
        return None
    return " ".join(words).rstrip(",")


def _acronym(short: str, long_form: str, *, exact: bool) -> str | None:
    if sum(ch.isupper() for ch in short) < 2 or normalise_agency(short):
        return None  # a wire's credit, "(PTI)", is no definition
    found = _initials_match(long_form, short)
    if found is None:
        found = _whole_run(long_form)
    elif exact and found != " ".join(long_form.split()):
        return None
    if found is None or find_place(found) is not None:
        return None
    return found


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms the text defines, short form to long form."""
    found: dict[str, str] = {}
    for match in _ACRONYM_AFTER.finditer(text):
        run = _run_before(text, match.start())
        long_form = _acronym(match.group(1), run, exact=False) if run else None
        if long_form:
            found.setdefault(match.group(1), long_form)
    for match in _ACRONYM_BEFORE.finditer(text):
        if _is_long_form(match.group(2).split()):
            long_form = _acronym(match.group(1), match.group(2), exact=True)
            if long_form:
                found.setdefault(match.group(1), long_form)
    return dict(list(found.items())[:_MAX_ITEMS * 2])


@dataclass(frozen=True)
class Entities:
    """The named things of one story."""

    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    countries: tuple[str, ...]
    acronyms: dict[str, str]


def _top(counter: Counter[str]) -> tuple[str, ...]:
    return tuple(name for name, _ in counter.most_common(_MAX_ITEMS))


def _sentence_tail(span: str) -> str:
    # a span never runs across a sentence end
    return re.split(r"(?<=[a-z0-9])\.\s+", span)[-1]


def _strip_based(words: list[str]) -> list[str]:
    """"Bengaluru-based Kaveri Aerospace Systems" names Kaveri Aerospace Systems."""
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower().endswith("-based"):
            return words[index + 1:]
    return words


def _org_name(span: str) -> str:
    """An organisation's full name in a span: leading filler cut, and the span ended where a title begins
    ("Ministry of Defence Raksha Mantri ..." is the Ministry of Defence)."""
    words = _strip_based(_sentence_tail(span).split())
    # "Raksha Mantri The Defence Research ...": an article inside the span starts the name
    inner = [i for i, w in enumerate(words) if i and w == "The"]
    if inner:
        words = words[inner[-1]:]
    while words and (words[0].lower() in LEADERS | MINOR or words[0].lower().strip(".") in TITLE_WORDS):
        words.pop(0)
    # "Managing Director and CEO of Acme Bank", "Officer of Acme": the organisation follows the role
    for index, word in enumerate(words):
        if word == "of" and index and all(w.lower().strip(".") in TITLE_WORDS | MINOR for w in words[:index]):
            words = words[index + 1:]
            break
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(".,") in TITLE_WORDS and word.lower() not in ("general",):
            words = words[:index]
            break
    while words and words[-1].lower() in MINOR:
        words.pop()
    return " ".join(words).strip(" ,.;:")


def _looks_like_org(name: str) -> bool:
    words = name.replace(",", " ").split()
    return len(words) >= 2 and any(w.casefold().strip(".") in _ORG_WORDS for w in words)


def _organizations(text: str, acronyms: dict[str, str]) -> tuple[Counter[str], list[tuple[int, int]]]:
    """The organisations of `text`, and the spans that name them."""
    orgs: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    for pattern in (_ORG, _ORG_PREFIX):
        for match in pattern.finditer(text):
            name = _org_name(match.group(1))
            if len(name.split()) >= 2:
                orgs[name] += 1
                start = text.find(name, match.start(1), match.end(1))
                spans.append((start, start + len(name)) if start >= 0 else match.span(1))
    # an acronym's long form is the organisation's full name
    for long_form in acronyms.values():
        if _looks_like_org(long_form):
            orgs[long_form] += 1
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(long_form), text)]
    return _merge_variants(orgs), spans


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


def find_entities(text: str, *, title: str = "", dateline_country: str | None = None) -> Entities:
    """People, organisations, places, countries and acronyms named in a story's `text` (its body) and
    `title`; `dateline_country` is counted among the countries it is about."""
    acronyms = find_acronyms(f"{title}\n\n{text}" if title else text)
    orgs, org_spans = _organizations(text, acronyms)
    people: Counter[str] = Counter()
    person_spans: list[tuple[int, int]] = []
    for person in find_people(text):
        if any(_contains_words(org, person.name) for org in orgs):
            continue
        people[person.name] = person.count
        person_spans += person.spans
    mentions = find_places(text, headline=title, people=person_spans, organizations=org_spans,
                           dateline_country=dateline_country)
    return Entities(people=_top(people), organizations=_top(orgs), places=mentions.places[:_MAX_ITEMS],
                    countries=mentions.countries[:_MAX_ITEMS], acronyms=acronyms)
