"""Text analysis in one pass: a regular expression finds the words, a cached C stemmer reduces them.

Whoosh's stock analyzers chain a tokenizer and several filters, each a Python generator over Token objects;
for a 400-word release that chain costs more than the rest of indexing. Here a word goes through one
dictionary look-up once it has been seen: raw word -> index term (or None for a stop word). The same
function serves indexing, query parsing and snippets, so the three always agree on what a term is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Collection, Iterator

import Stemmer

__all__ = ["STOP_WORDS", "term", "terms", "tokens", "spans", "value_key", "LEAD_WEIGHT"]

# Word characters, plus the combining vowel signs of the Indic scripts, which `\w` does not match, so that a
# Hindi or Tamil word stays one word. Everything else separates words, as in SQLite's unicode61 and in the
# `\w+` splitting most evaluation tools apply to queries: "Nam's" is "nam" + "s", "3.5" is "3" + "5",
# "COVID-19" is "covid" + "19", so a query typed either way finds the same terms. One exception: single
# letters joined by dots ("U.S", "e.g") are one abbreviation, "us" (the query parser joins "u s" likewise).
_WORD_CHARS = r"[\w\u0900-\u0963\u0966-\u0dff]"
_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"(?<![\w.]){_LETTER}(?:\.{_LETTER})+(?![\w])|{_WORD_CHARS}+")
# the abbreviations `_WORD` finds in a lower-cased ASCII text
_ASCII_ABBREVIATION = r"(?<![a-z0-9_.])[a-z](?:\.[a-z])+(?![a-z0-9_])"
# Most texts hold no abbreviation, and without one `_WORD` finds exactly the runs of word characters, which
# a plain pattern finds in half the time. This one is a quick necessary condition for an abbreviation: a
# letter, not after a word character or a dot, then a dot and a letter.
_PLAIN_WORD = re.compile(rf"{_WORD_CHARS}+")
_MAYBE_ABBREVIATION = re.compile(rf"\.(?<=(?<![\w.]){_LETTER}\.){_LETTER}")

# Short and conservative: words that carry no topic in news prose. "us" and "new" stay (U.S., New Delhi).
# The remnants of split contractions and possessives ('s, n't, 'll, 're, 've, 'd, 'm) carry nothing either.
STOP_WORDS = frozenset("""
a an and are as at be been but by for from had has have he her his i if in into is it its of on or our
she such than that the their them then there these they this those to was we were which who will with
would you your s t ll re ve d m
""".split())

LEAD_WEIGHT = 0.5  # a word in the first paragraph counts this much more than one further down

_stemmer = Stemmer.Stemmer("english")
# Raw word -> term; the vocabulary of a corpus is small next to its running words. Bounded so that a
# long-lived process indexing junk (hashes, numbers) cannot grow it without limit.
_CACHE: dict[str, str | None] = {}
_CACHE_LIMIT = 500_000


def _fold(word: str) -> str:
    # Strip Latin accents only: Indic vowel signs are combining marks too, and carry meaning.
    decomposed = unicodedata.normalize("NFKD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f"))


def _compute(raw: str) -> str | None:
    word = raw.lower().replace(".", "")  # U.S -> us
    if not word.isascii():
        word = _fold(word)
    if not word or word in STOP_WORDS:
        return None
    if word.isalpha():
        return _stemmer.stemWord(word)
    return word


def term(raw: str) -> str | None:
    """The index term of one word as written, or None for a stop word."""
    try:
        return _CACHE[raw]
    except KeyError:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        result = _CACHE[raw] = _compute(raw)
        return result


def _words(text: str) -> list[str]:
    return (_WORD if _MAYBE_ABBREVIATION.search(text) else _PLAIN_WORD).findall(text)


def terms(text: str) -> list[str]:
    """The index terms of a text, in order, stop words left out (adjacency counts only kept words)."""
    cache = _CACHE
    out = []
    append = out.append
    for raw in _words(text):
        t = cache.get(raw, "")
        if t == "":
            t = term(raw)
        if t is not None:
            append(t)
    return out


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of every kept word of a text, in order: the words `terms` gives, with where they
    are written (for an analyzer that reports character offsets)."""
    for match in (_WORD if _MAYBE_ABBREVIATION.search(text) else _PLAIN_WORD).finditer(text):
        t = term(match.group())
        if t is not None:
            yield t, match.start(), match.end()


def spans(text: str, wanted: Collection[str]) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) for every word of a text whose term is in `wanted`, for snippets and highlighting.

    A stem begins as its word does but where the stemmer changed the word's ending (`_beginning`), so in an
    ASCII text only the abbreviations and the words that begin like a wanted term are looked up: one regular
    expression finds them, where looking up every word of a long body cost a search several milliseconds
    for its ten snippets.
    """
    if not wanted:
        return
    if text.isascii():  # lower-cased, an ASCII text keeps its offsets
        found = _beginnings(frozenset(wanted)).finditer(text.lower())
    else:
        found = _WORD.finditer(text)
    for match in found:
        t = term(match.group())
        if t in wanted:
            yield t, match.start(), match.end()


def _beginning(stem: str) -> str:
    """A regular expression for how a word with this term begins. English Snowball keeps a word's beginning
    but at its end, where it turns y into i ("happy" is "happi"), adds or drops an e ("hoping" is "hope",
    "valency" "valence"), makes "dying" "die" and "-bility" "-bl": there the stem less its last letter or two
    must be followed by a letter the word may have instead. Every other stem is its words' beginning. Checked
    against every word of the Reuters, TIME and SciFact corpora (93,687 words): a shorter prefix ("se" for
    "see") had a snippet look up ten times the words."""
    if not stem.isalpha():
        return re.escape(stem)
    if stem.endswith("ie"):
        return f"{re.escape(stem[:-2])}(?=[iy])"
    if stem.endswith("e"):
        return f"{re.escape(stem[:-1])}(?=[eiy])"
    if stem[-1] in "iy":
        return f"{re.escape(stem[:-1])}(?=[iy])"
    if stem.endswith("bl"):
        return f"{re.escape(stem[:-1])}(?=[il])"
    return re.escape(stem)


@lru_cache(maxsize=256)
def _beginnings(stems: frozenset[str]) -> re.Pattern[str]:
    # what `_WORD` finds in a lower-cased ASCII text, but only the abbreviations and the words that begin as
    # a word of one of the stems (longest tried first)
    alternatives = "|".join(_beginning(t) for t in sorted(stems, key=len, reverse=True))
    return re.compile(rf"{_ASCII_ABBREVIATION}|(?<![a-z0-9_])(?:{alternatives})[a-z0-9_]*")


def value_key(value: str) -> str:
    """The case- and space-normalised form of an exact value (agency, city, person), as indexed and matched."""
    return " ".join(value.casefold().split())
