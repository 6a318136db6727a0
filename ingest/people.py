"""People named in a story, by rules, offline: full names kept whole, later short forms folded into them.

A run of capitalised words ("Finance Minister Rajesh Kumar Singh", "Alfredo del Mazo", "Clayton K. Yeutter")
names a person when the text says so around it:
- a title or role goes before the name, inside the run or just ahead of it ("Treasury Secretary James
  Baker", "Bank president Barber Conable", "Mr Volcker");
- a verb of speech follows or goes before it ("Jorio Dauster said", "said Willy De Clercq");
- a role follows it after a comma ("Carl Icahn, chairman of TWA").
The title is cut off; the name is the rest of the run. A single word ("Reagan") counts only after a title.
Runs that hold an organisation's or a group's word ("Television Producers"), or that the text treats as a
thing ("the Rodong Sinmun", "Rodong Sinmun newspaper") are not people. Once a full name is known, a later
run that is its tail ("Singh", "Kumar Singh") is the same person: it is counted with the full name and
its span is the person's too, so no place is read out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import demonym_country, find_place
from .words import GROUP_WORDS, LEADERS, MINOR, NOT_A_NAME, PORTFOLIO_WORDS, TITLE_WORDS

__all__ = ["Person", "find_people"]

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}][\w'’]*(?:-[\w'’]+)*"
_INITIAL = rf"[{_UPPER}]\.(?:[{_UPPER}]\.)*"
_PARTICLE = r"(?:van|von|de|der|den|del|della|di|da|du|dos|das|bin|binti|ibn|al|el|la|le|ter|ten|zu|y)"
# one space between the words of a name: a comma, a line break or a full stop ends it
_RUN = re.compile(rf"(?<![\w.’'-])(?:{_INITIAL}|{_WORD})(?: (?:{_PARTICLE} )*(?:{_INITIAL}|{_WORD}))*")
_SPEECH = r"(?:said|says|told|added|stated|noted|explained|wrote|announced|declared|replied|insisted|argued|warned|confirmed|disclosed|predicted|estimated|testified)"
_SPEECH_AFTER = re.compile(rf",? (?:also |later |today |on \w+ )?{_SPEECH}\b")
_ROLES = (r"(?:president|chairman|chairwoman|chairperson|chief|director|minister|secretary|spokesman|spokeswoman|"
          r"spokesperson|governor|head|leader|founder|owner|analyst|economist|executive|officer|manager|partner|"
          r"professor|ambassador|commissioner|adviser|advisor|treasurer|vice|deputy|senator|lawyer|attorney|"
          r"official|representative|member|researcher|scientist|engineer|consultant|strategist|trader|dealer|"
          r"banker|broker|editor|correspondent|negotiator|envoy|delegate|administrator|coordinator|inspector)")
_ROLE_AFTER = re.compile(rf", (?:a |an |the )?(?:[\w'’.-]+ ){{0,4}}?{_ROLES}\b", re.IGNORECASE)
# What a run is when the text calls it a thing: "the Rodong Sinmun", "Rodong Sinmun newspaper"
_THING_AFTER = re.compile(r"(?:'s)? (?:newspaper|daily|weekly|paper|magazine|journal|agency|news|television|radio|"
                          r"channel|broadcaster|website|group|company|firm|party|index|fund|programme|program|"
                          r"project|system|scheme|plan|report|brand|ship|vessel|field|crude)\b")
_MAX_NAME_WORDS = 4
_LOOK = 40  # characters read on either side of a run for its context


@dataclass(frozen=True)
class Person:
    """A person of the story, the spans of text that name them, and how often."""

    name: str
    count: int
    spans: tuple[tuple[int, int], ...]


@dataclass
class _Candidate:
    words: list[str]
    start: int
    end: int
    titled: bool  # a title or role goes before it
    cue: bool  # a title, a verb of speech or a role beside the run


_PARTICLES = frozenset(_PARTICLE.strip("(?:)").split("|"))
_ABBREVIATIONS = frozenset("mr mrs ms dr gen sen rep gov lt col capt prof st jr sr".split())
_SPEECH_WORDS = frozenset(_SPEECH.strip("(?:)").split("|"))
_CUT, _NAME, _NOT_NAME = 0, 1, 2


def _bare(word: str) -> str:
    """A word without its possessive ending."""
    return word[:-2] if word.endswith(("'s", "’s")) else word.rstrip("'’")


@lru_cache(maxsize=16384)
def _word_kind(word: str) -> int:
    """Whether a word of a run ends what goes before a name (a title, role, filler, nationality, country,
    acronym, an adjective such as "Paris-based"), may be part of a name, or may not."""
    if word.casefold() in _PARTICLES or _INITIAL_WORD.fullmatch(word):
        return _NAME
    folded = word.casefold().strip(".,")
    place = find_place(word)
    head, _, tail = word.partition("-")
    if (folded in PORTFOLIO_WORDS or folded in LEADERS or folded in MINOR or demonym_country(word)
            or (place is not None and place.kind == "country") or (word.isupper() and len(word) > 1)
            or (tail.islower() and (tail == "based" or find_place(head) is not None))):
        return _CUT
    return _NOT_NAME if folded in NOT_A_NAME or folded in GROUP_WORDS else _NAME


_INITIAL_WORD = re.compile(_INITIAL)


def _cut(words: list[str]) -> int:
    """Where the name starts in a run: after its last title, role, leading filler, nationality, country or
    possessive ("Japanese Prime Minister Yasuhiro Nakasone", "India's Narendra Modi")."""
    cut = 0
    for index, word in enumerate(words):
        if _word_kind(_bare(word)) == _CUT or (index < len(words) - 1 and _bare(word) != word):
            cut = index + 1
    return cut


def _is_place(words: list[str]) -> bool:
    """A run that is a place, or places and nationalities only ("New York", "Hong Kong", "Sri Lankan")."""
    name = " ".join(words)
    return (find_place(name) is not None or demonym_country(name) is not None
            or all(find_place(w) or demonym_country(w) for w in words if w.casefold() not in _PARTICLES))


def _words_before(text: str, start: int) -> list[str]:
    """The words of the sentence just before `start` (up to four), as printed."""
    words: list[str] = []
    for word in reversed(text[max(0, start - _LOOK):start].split()[-4:]):
        if word[-1] in ".!?:;\"”(" and word.casefold().strip(".") not in _ABBREVIATIONS:
            break  # "... per head. Cattle prices" : a sentence ended
        words.insert(0, word)
    return words


def _is_title(word: str) -> bool:
    return word.casefold().strip(".") in TITLE_WORDS


def _titled(words: list[str], cut: int, before: list[str], *, single: bool) -> bool:
    """Whether a title goes before the name: right before it ("Chairman Paul Volcker", "president Barber
    Conable"), or, for a full name, before the portfolio in front of it ("Secretary of Agriculture Richard
    Lyng", "Finance Minister ...")."""
    if cut:
        if _is_title(_bare(words[cut - 1])):
            return True
    elif before and not before[-1].endswith(",") and _is_title(before[-1]):
        return True
    if single:
        return False
    if any(_is_title(w) for w in words[:cut]):
        return True
    return (cut > 0 and bool(before) and before[-1] in ("of", "the", "for")
            and any(_is_title(w.rstrip(",")) for w in before[:-1]))


def _candidate(text: str, match: re.Match[str]) -> _Candidate | None:
    words = match.group(0).split(" ")
    start = match.start()
    cut = _cut(words)
    name = words[cut:]
    if not name:
        return None
    name[-1] = _bare(name[-1])
    while name and (name[-1].casefold() in _PARTICLES or _INITIAL_WORD.fullmatch(name[-1])):
        name.pop()
    if (not name or any(_word_kind(w) == _NOT_NAME for w in name) or (cut and _is_place([_bare(words[cut - 1]), *name]))
            or sum(1 for w in name if w.casefold() not in _PARTICLES) > _MAX_NAME_WORDS):
        return None
    before = _words_before(text, start)
    titled = _titled(words, cut, before, single=len(name) == 1)
    cue = titled or (not cut and bool(before) and before[-1].casefold().rstrip(",") in _SPEECH_WORDS)
    if not cue and len(name) > 1:  # a single word needs a title; look no further for one
        after = text[match.end():match.end() + _LOOK]
        cue = bool(_SPEECH_AFTER.match(after) or _ROLE_AFTER.match(after))
    offset = start + sum(len(w) + 1 for w in words[:cut])
    return _Candidate(name, offset, offset + len(" ".join(name)), titled, cue)


def _things(text: str, names: set[str]) -> set[str]:
    """The names the text treats as things somewhere: after "the", or before a noun such as "newspaper"."""
    things = set()
    for name in names:
        for found in re.finditer(re.escape(name), text):
            if (text[max(0, found.start() - 4):found.start()].casefold() == "the "
                    or _THING_AFTER.match(text, found.end())):
                things.add(name)
                break
    return things


def find_people(text: str) -> list[Person]:
    """The people of `text`, most often named first."""
    candidates = [c for c in (_candidate(text, m) for m in _RUN.finditer(text)) if c is not None]
    full: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        if len(candidate.words) >= 2 and candidate.cue and not _is_place(candidate.words):
            full.setdefault(" ".join(candidate.words), []).append(candidate)
    for name in _things(text, {n for n, found in full.items() if not any(c.titled for c in found)}):
        del full[name]
    # a name that is the tail of a longer one ("Kumar Singh" of "Rajesh Kumar Singh") is that person
    names = sorted(full, key=lambda n: len(n.split()), reverse=True)
    owner: dict[tuple[str, ...], str | None] = {}
    for name in names:
        words = name.split()
        for size in range(1, len(words) + 1):
            tail = tuple(words[-size:])
            if tail != tuple(words):
                owner[tail] = name if owner.get(tail, name) == name else None  # two owners: no one's
    people: dict[str, list[tuple[int, int]]] = {}
    for name in names:
        home = owner.get(tuple(name.split())) or name
        people.setdefault(home, []).extend((c.start, c.end) for c in full[name])
    for candidate in candidates:
        key = tuple(candidate.words)
        if " ".join(key) in full:
            continue
        home = owner.get(key)
        if home:
            people[home].append((candidate.start, candidate.end))
        elif len(key) == 1 and candidate.titled and not _is_place(candidate.words):
            people.setdefault(key[0], []).append((candidate.start, candidate.end))
    ranked = sorted(people.items(), key=lambda item: (-len(item[1]), min(item[1])))
    return [Person(name, len(spans), tuple(sorted(spans))) for name, spans in ranked]
