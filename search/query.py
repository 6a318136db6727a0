"""The query language, parsed into a small tree that `scoring` evaluates.

    words            ranked OR-leaning: every word may match, documents matching more rank higher
    "a phrase"       the words next to each other (stop words ignored)
    a AND b, a OR b, NOT a, -a, ( ... )     upper-case operators only; lower-case "and" is a word
    field:value      agency:ANI  country:Italy (the dateline's)  countries:India (the story's)
                     people:"Rajesh Kumar Singh"  title:budget
    defen*  te?t     wildcards;  budgte~  budgte~2  fuzzy
    published:[2025-04-01 TO 2025-04-30]   published:[2025 TO *]   year:2025   month:2025-04

Written by hand rather than with Whoosh's parser, which accepts nearly anything and guesses: here every
mistake is a QueryError of one line that says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as attribute
from datetime import datetime
from typing import Callable

from wiredesk.index.analysis import term as analyse
from wiredesk.index.analysis import terms as analyse_all
from wiredesk.index.analysis import value_key
from wiredesk.index.schema import CASE_SENSITIVE, DATE_FIELDS, EXACT_FIELDS, LOCAL_DATE, TEXT_FIELDS
from wiredesk.core.errors import QueryError

from .dates import is_calendar_date, period

__all__ = ["Node", "Term", "Phrase", "Pattern", "Fuzzy", "Range", "And", "Or", "Not", "All",
           "parse", "filter_node", "date_column", "FIELDS", "Stored", "MAX_FUZZY"]

# the singular, the British spelling and the short form of a field name mean the field
_ALIASES = {"lead": "body", "text": "body", "content": "body", "acronym": "acronyms", "organisations": "organizations",
            "organization": "organizations", "organisation": "organizations", "org": "organizations",
            "orgs": "organizations", "category": "categories", "person": "people", "place": "places",
            "author": "authors", "wire": "agency", "credit": "agency", "nation": "country"}
MAX_FUZZY = 2  # edits a fuzzy word may differ by: at 3 a five-letter word matches most words of its length
_PERIOD_FIELDS = ("year", "month", "day")
# (field, value as typed) -> the value as the index stores it
Stored = Callable[[str, str], str]
FIELDS = tuple(sorted(set(TEXT_FIELDS + EXACT_FIELDS + DATE_FIELDS + _PERIOD_FIELDS)))


class Node:
    """A parsed query; `field` None means the default text fields."""


@dataclass(frozen=True)
class Term(Node):
    field: str | None
    text: str  # the index term: a stem for text fields, a value key for exact ones
    # as typed, for suggestions; not part of what the term is, so that terms of the same text, however
    # written, share their postings and statistics (feedback's words are the query's again, read once)
    word: str = attribute(default="", compare=False)


@dataclass(frozen=True)
class Phrase(Node):
    field: str | None
    words: tuple[str, ...]  # index terms


@dataclass(frozen=True)
class Pattern(Node):
    field: str | None
    pattern: str  # lower-case, with * and ?


@dataclass(frozen=True)
class Fuzzy(Node):
    field: str | None
    text: str
    distance: int


@dataclass(frozen=True)
class Range(Node):
    field: str  # a date field
    low: datetime | None
    high: datetime | None


@dataclass(frozen=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    item: Node


@dataclass(frozen=True)
class All(Node):
    pass


# one token: ( ) "phrase" field:[range] or a run of other characters
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<quote>")|(?P<word>[^\s()"]+))')


@dataclass
class _Tok:
    kind: str  # "(", ")", "AND", "OR", "NOT", "word", "phrase", "range"
    text: str = ""
    field: str | None = None
    negate: bool = False
    at: int = 0


def _field_name(name: str, at: int) -> str:
    name = _ALIASES.get(name.lower(), name.lower())
    if name not in FIELDS:
        raise QueryError(f"unknown field {name!r} at character {at + 1} (fields: {', '.join(FIELDS)})")
    return name


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    while True:
        match = _TOKEN.match(text, i)
        if not match:
            break
        at = match.start(match.lastgroup) if match.lastgroup else i
        i = match.end()
        if match.group("paren"):
            tokens.append(_Tok(match.group("paren"), at=at))
        elif match.group("quote"):
            close = text.find('"', i)
            if close < 0:
                raise QueryError(f"unbalanced quote: the phrase opened at character {at + 1} is never closed")
            tokens.append(_Tok("phrase", text[i:close], at=at))
            i = close + 1
        else:
            word = match.group("word")
            if word in ("AND", "OR", "NOT"):
                tokens.append(_Tok(word, at=at))
                continue
            if word == "TO":
                raise QueryError("TO is only used inside a date range, e.g. published:[2025-04-01 TO 2025-04-30]")
            negate = word.startswith("-") and len(word) > 1
            word = word[1:] if negate or (word.startswith("+") and len(word) > 1) else word
            field, sep, value = word.partition(":")
            if not sep or not field.isalpha():
                tokens.append(_Tok("word", word, negate=negate, at=at))
                continue
            name = _field_name(field, at)
            if value:
                if value[0] in "[{":
                    close_char = "]" if value[0] == "[" else "}"
                    start = match.end("word") - len(value)
                    close = text.find(close_char, start)
                    if close < 0:
                        raise QueryError(f"unclosed range after {field}: at character {at + 1}; write "
                                         f"{field}:[2025-04-01 TO 2025-04-30]")
                    tokens.append(_Tok("range", text[start:close + 1], field=name, negate=negate, at=at))
                    i = close + 1
                else:
                    tokens.append(_Tok("word", value, field=name, negate=negate, at=at))
            elif text[i:i + 1] == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    raise QueryError(f"unbalanced quote: the phrase after {field}: is never closed")
                tokens.append(_Tok("phrase", text[i + 1:close], field=name, negate=negate, at=at))
                i = close + 1
            elif text[i:i + 1] == "(":  # title:(solar OR wind): the field for every word of the group
                close = _closing_parenthesis(text, i)
                if close < 0:
                    raise QueryError(f"unbalanced parenthesis: '(' at character {i + 1} is never closed")
                inner = _lex(text[i + 1:close])
                for tok in inner:
                    tok.at += i + 1
                    if tok.kind in ("word", "phrase", "range") and tok.field is None:
                        tok.field = name
                if negate:
                    tokens.append(_Tok("NOT", at=at))
                tokens.extend([_Tok("(", at=i), *inner, _Tok(")", at=close)])
                i = close + 1
            else:
                raise QueryError(f"{field}: has no value (write {field}:WORD or {field}:\"some words\")")
    return tokens


def _closing_parenthesis(text: str, opening: int) -> int:
    """Where the parenthesis opened at `opening` closes (quoted phrases skipped), or -1."""
    depth, quoted = 0, False
    for at in range(opening, len(text)):
        char = text[at]
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return at
    return -1


# Parentheses and NOTs nest at most this deep: the parser and the evaluator recurse once per level, and
# no real question needs more (200 levels ran out of Python's stack: "internal error").
MAX_DEPTH = 50


class _Parser:
    def __init__(self, tokens: list[_Tok], stored: Stored | None) -> None:
        self.tokens = tokens
        self.stored = stored
        self.i = 0
        self.depth = 0

    def deeper(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"the query nests parentheses or NOTs more than {MAX_DEPTH} deep "
                             f"(at character {tok.at + 1})")

    def peek(self) -> str:
        return self.tokens[self.i].kind if self.i < len(self.tokens) else "end"

    def take(self) -> _Tok:
        self.i += 1
        return self.tokens[self.i - 1]

    def parse(self) -> Node:
        node = self.alternatives()
        if self.peek() == ")":
            raise QueryError(f"unbalanced parenthesis: ')' at character {self.tokens[self.i].at + 1} has no '('")
        if self.peek() != "end":  # an operator left over, e.g. a trailing AND
            raise QueryError(f"{self.peek()} at character {self.tokens[self.i].at + 1} has nothing after it")
        return node if node is not None else All()

    def alternatives(self) -> Node | None:
        items = []
        first = self.sequence()
        if first is not None:
            items.append(first)
        while self.peek() == "OR":
            op = self.take()
            if not items:
                raise QueryError(f"OR at character {op.at + 1} has nothing before it")
            nxt = self.sequence()
            if nxt is None:
                raise QueryError(f"OR at character {op.at + 1} has nothing after it")
            items.append(nxt)
        if not items:
            return None
        return items[0] if len(items) == 1 else Or(tuple(items))

    def sequence(self) -> Node | None:
        """Words side by side: OR-leaning, with NOT / -word parts excluded from all of them."""
        items: list[Node] = []
        while self.peek() not in (")", "OR", "end"):
            if self.peek() == "AND":
                raise QueryError(f"AND at character {self.tokens[self.i].at + 1} has nothing before it")
            node = self.conjunction()
            if node is not None:
                items.append(node)
        return _combine(items)

    def conjunction(self) -> Node | None:
        items = [self.unary()]
        while self.peek() == "AND":
            op = self.take()
            if self.peek() in (")", "OR", "AND", "end"):
                raise QueryError(f"AND at character {op.at + 1} has nothing after it")
            items.append(self.unary())
        kept = [item for item in items if item is not None]
        if len(kept) < len(items) and not kept:
            return None
        return kept[0] if len(kept) == 1 else And(tuple(kept))

    def unary(self) -> Node | None:
        if self.peek() == "NOT":
            op = self.take()
            if self.peek() in (")", "OR", "AND", "end"):
                raise QueryError(f"NOT at character {op.at + 1} has nothing after it")
            self.deeper(op)
            inner = self.unary()
            self.depth -= 1
            return Not(inner) if inner is not None else None
        return self.primary()

    def primary(self) -> Node | None:
        kind = self.peek()
        if kind == "(":
            opened = self.take()
            self.deeper(opened)
            inner = self.alternatives()
            self.depth -= 1
            if self.peek() != ")":
                raise QueryError(f"unbalanced parenthesis: '(' at character {opened.at + 1} is never closed")
            self.take()
            if inner is None:
                raise QueryError(f"empty parentheses at character {opened.at + 1}")
            return inner
        if kind in ("OR", ")"):
            raise QueryError(f"{kind} at character {self.tokens[self.i].at + 1} is out of place")
        tok = self.take()
        node = _leaf(tok, self.stored)
        return Not(node) if tok.negate and node is not None else node


def _join_letters(tokens: list[_Tok]) -> list[_Tok]:
    """Single letters side by side ("u s", "u n") are an abbreviation whose dots were lost: "U.S." is
    indexed as one word, so the letters are looked up as that word. Done on tokens, before stop words
    would drop the "s" of "u s"."""
    out: list[_Tok] = []
    for tok in tokens:
        letter = tok.kind == "word" and tok.field is None and not tok.negate and len(tok.text) == 1 \
            and tok.text.isalpha()
        prev = out[-1] if out else None
        if letter and prev is not None and prev.kind == "word" and prev.field is None and not prev.negate \
                and re.fullmatch(r"[^\W\d_](?:\.[^\W\d_])*", prev.text):
            prev.text = f"{prev.text}.{tok.text}"
        else:
            out.append(_Tok(tok.kind, tok.text, tok.field, tok.negate, tok.at))
    return out


def _is_filter(node: Node) -> bool:
    """A clause on an exact field or a date: it narrows the results rather than ranking them."""
    if isinstance(node, (Term, Pattern)):
        return node.field is not None and node.field not in TEXT_FIELDS
    return isinstance(node, Range)


def _combine(items: list[Node]) -> Node | None:
    """Words side by side rank OR-leaning; `agency:ANI` or a date among them is required of every hit, and
    NOT parts exclude."""
    if not items:
        return None
    negatives = [item for item in items if isinstance(item, Not)]
    filters = [item for item in items if not isinstance(item, Not) and _is_filter(item)]
    words = [item for item in items if not isinstance(item, Not) and not _is_filter(item)]
    ranked: list[Node] = [] if not words else [words[0] if len(words) == 1 else Or(tuple(words))]
    required = ranked + filters + negatives
    if len(required) == 1 and not negatives:
        return required[0]
    if not ranked and not filters:
        required.insert(0, All())
    return And(tuple(required))


def _leaf(tok: _Tok, stored: Stored | None = None) -> Node | None:
    field = tok.field
    if tok.kind == "range":
        return _range(field or "published", tok.text)
    if field in DATE_FIELDS or field in _PERIOD_FIELDS:
        first, last = period(tok.text)
        return Range(date_column(field, tok.text), first, last)
    if field is not None and field not in TEXT_FIELDS:
        return _exact(field, tok.text, stored)
    if tok.kind == "phrase":
        words = tuple(analyse_all(tok.text))
        if not words:
            return None
        return Term(field, words[0], tok.text) if len(words) == 1 else Phrase(field, words)
    word = tok.text
    if "*" in word or "?" in word:
        return _pattern(field, word)
    fuzzy = re.fullmatch(r"(.+?)~(\d*)", word)
    if fuzzy:
        distance = int(fuzzy[2] or 1)
        if distance > MAX_FUZZY:
            raise QueryError(f"{word!r}: a fuzzy word may differ by at most {MAX_FUZZY} edits "
                             f"(write {fuzzy[1]}~{MAX_FUZZY})")
        stem = analyse(fuzzy[1])
        if not stem:
            return None
        return Fuzzy(field, stem, distance) if distance else Term(field, stem, fuzzy[1])
    found = analyse_all(word)  # "U.S.-India" is two words
    if not found:
        return None
    if len(found) > 1:
        return Phrase(field, tuple(found))
    return Term(field, found[0], word)


def _exact(field: str, text: str, stored: Stored | None) -> Node:
    if "*" in text or "?" in text:
        return Pattern(field, value_key(text))
    value = stored(field, text) if stored is not None else text
    return Term(field, value if field in CASE_SENSITIVE else value_key(value), text)


def _pattern(field: str | None, word: str) -> Node:
    pattern = word.lower()
    if not pattern.strip("*?"):
        raise QueryError(f"the wildcard {word!r} matches everything: give some letters too")
    return Pattern(field, pattern)


def _range(field: str, text: str) -> Node:
    if field not in DATE_FIELDS and field not in _PERIOD_FIELDS:
        raise QueryError(f"ranges work on dates ({', '.join(DATE_FIELDS)}), not on {field}")
    inner = text[1:-1].strip()
    parts = re.split(r"\s+TO\s+", inner)
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise QueryError(f"a range needs two ends: {field}:[2025-04-01 TO 2025-04-30] (use * for an open end)")
    low = None if parts[0].strip() == "*" else period(parts[0])[0]
    high = None if parts[1].strip() == "*" else period(parts[1])[1]
    if low is not None and high is not None and low > high:
        raise QueryError(f"the range {field}:{text} ends before it begins: no release can match")
    return Range(date_column(field, *parts), low, high)


def date_column(field: str, *ends: str) -> str:
    """The date column a date query reads: for a day, month or year of publication (`year:2025`,
    `published:[2025-04-01 TO 2025-04-30]`) the story's own day, `published_local`, so that a story filed
    at 02:30 in New Delhi on 16 April is found on the 16th; the instant otherwise."""
    name = "published" if field in _PERIOD_FIELDS else field
    if name == "published" and all(end.strip() == "*" or is_calendar_date(end) for end in ends):
        return LOCAL_DATE
    return name


def parse(text: str, *, stored: Stored | None = None) -> Node:
    """The tree of a query string; an empty query matches every document. QueryError for a bad one, and for
    one that holds something but nothing to search for (`.`, `""`, `the`): it would match every document.

    `stored(field, text)` gives the stored spelling of an exact field's value as people type it
    (`agency:PRNewswire` is "PR Newswire", `country:USA` "United States"); without it values are matched
    as typed, case and spaces aside."""
    node = _Parser(_join_letters(_lex(text)), stored).parse()
    if isinstance(node, All) and text.strip():
        raise QueryError(f"the query {text!r} holds no word to search for (punctuation and the commonest words, "
                         "such as 'the', are not indexed)")
    return node


def filter_node(field: str, value: str, *, stored: Stored | None = None) -> Node:
    """The node for `--filter FIELD=VALUE`: exact match on a facet field, as the facet displays it."""
    name = _ALIASES.get(field.strip().lower(), field.strip().lower())
    if name not in EXACT_FIELDS and name not in _PERIOD_FIELDS and name not in DATE_FIELDS:
        known = ", ".join(sorted(set(EXACT_FIELDS) | set(_PERIOD_FIELDS)))
        raise QueryError(f"cannot filter on {field!r} (fields: {known})")
    if name in _PERIOD_FIELDS or name in DATE_FIELDS:
        first, last = period(value)
        return Range(date_column(name, value), first, last)
    value_as_stored = stored(name, value) if stored is not None else value
    return Term(name, value_as_stored if name in CASE_SENSITIVE else value_key(value_as_stored), value)
