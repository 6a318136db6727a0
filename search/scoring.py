"""Evaluate a query tree over each segment with numpy: a boolean match mask and a BM25F-style score.

A term's whole posting list is read as arrays and scored at once; AND, OR and NOT are mask algebra, date
ranges compare a column array, filters are posting masks that add nothing to the score. Every text field is
scored with BM25 (its own length normalisation `B`), weighted by `WEIGHTS` and summed, so a title match
outranks a body match and a document matching more of the words outranks one matching fewer.
Wildcards, fuzzy terms and acronyms are rewritten into plain terms and phrases first (`expand`).
"""

from __future__ import annotations

import fnmatch
import math
import re
from dataclasses import dataclass, field
from functools import reduce

import numpy as np

from wiredesk.index import MISSING, Index, Segment
from wiredesk.index.analysis import term as analyse
from wiredesk.index.analysis import terms as analyse_all
from wiredesk.index.schema import TEXT_FIELDS

from .query import All, And, Fuzzy, Node, Not, Or, Pattern, Phrase, Range, Term

__all__ = ["WEIGHTS", "B", "K1", "Evaluator", "Match"]

# Tuned on general grounds, not on one collection: headlines are short and dense, so their length matters
# little (low B) and a word there says more (weight 2.5); acronym expansions are a short list (no length
# normalisation). K1 1.2 is the usual saturation.
WEIGHTS = {"title": 2.5, "body": 1.0, "acronyms": 1.0}
B = {"title": 0.3, "body": 0.75, "acronyms": 0.0}
K1 = 1.2
_IDF_FLOOR = 0.05  # far below the idf of any informative word (0.69 for one in a third of the documents)
_MAX_EXPANSIONS = 128  # terms a wildcard or fuzzy word may stand for
_NO_DOCS = np.zeros(0, dtype=np.int64)


@dataclass
class Match:
    """The documents of one segment that match, with their scores."""

    mask: np.ndarray
    scores: np.ndarray


@dataclass
class Evaluator:
    """Scores query trees against one snapshot of an index; reusable across queries (batch)."""

    index: Index
    _idf: dict[tuple[str, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.segments: list[Segment] = self.index.segments()
        self.documents = max(self.index.document_count(), 1)
        self.avg_length = {f: (self.index.field_length(f) / max(self.index.document_count(include_deleted=True), 1))
                           or 1.0 for f in TEXT_FIELDS}
        # acronym look-ups of this snapshot, kept for the next query of a batch
        self._long_forms: dict[str, tuple[str, ...]] = {}
        self._forms_from: dict[str, list[tuple[tuple[str, ...], str]]] = {}

    # rewriting

    def expand(self, node: Node) -> Node:
        """Replace wildcards and fuzzy words by the terms they stand for, and add acronym alternatives."""
        if isinstance(node, (And, Or)):
            items = tuple(self.expand(item) for item in node.items)
            if isinstance(node, Or):
                items += self._contractions_in(node.items)
            return type(node)(items)
        if isinstance(node, Not):
            return Not(self.expand(node.item))
        if isinstance(node, Pattern):
            return self._pattern(node)
        if isinstance(node, Fuzzy):
            return self._fuzzy(node)
        if isinstance(node, Term) and node.field is None:
            long = self._long_form(node.word)
            if long:
                return Or((node, Phrase(None, long) if len(long) > 1 else Term(None, long[0])))
        if isinstance(node, Phrase) and node.field is None:
            shorts = self._acronyms_in(node.words, whole=True)
            if shorts:
                return Or((node, *shorts))
        return node

    def _contractions_in(self, items: tuple[Node, ...]) -> tuple[Node, ...]:
        # words typed side by side that spell out a known long form also find its acronym
        return self._acronyms_in(tuple(item.text for item in items if isinstance(item, Term) and item.field is None))

    def _acronyms_in(self, words: tuple[str, ...], *, whole: bool = False) -> tuple[Term, ...]:
        """The acronyms whose long forms these index terms spell out: as a whole, or anywhere in them."""
        found: dict[str, None] = {}
        for start in range(min(len(words), 1) if whole else len(words)):
            if words[start] not in self._forms_from:
                self._forms_from[words[start]] = self.index.long_forms_from(words[start])
            for long, short in self._forms_from[words[start]]:
                spelt = words == long if whole else words[start:start + len(long)] == long
                short_term = analyse(short)
                if spelt and short_term:
                    found[short_term] = None
        return tuple(Term(None, short_term) for short_term in found)

    def _long_form(self, word: str) -> tuple[str, ...]:
        """The index terms of the long form of `word` as an acronym the index knows, else ()."""
        if word not in self._long_forms:
            long = self.index.acronym_long_form(word)
            self._long_forms[word] = tuple(analyse_all(long)) if long else ()
        return self._long_forms[word]

    def _fields(self, name: str | None) -> tuple[str, ...]:
        return TEXT_FIELDS if name is None else (name,)

    def _pattern(self, node: Pattern) -> Node:
        regex = re.compile(fnmatch.translate(node.pattern))
        prefix = re.split(r"[*?]", node.pattern, maxsplit=1)[0]
        terms: list[Node] = []
        for name in self._fields(node.field):
            for text in self.index.expand_prefix(name, prefix):
                if regex.match(text):
                    terms.append(Term(name, text))
                    if len(terms) >= _MAX_EXPANSIONS:
                        break
        return Or(tuple(terms))

    def _fuzzy(self, node: Fuzzy) -> Node:
        terms: list[Node] = []
        for name in self._fields(node.field):
            near = self.index.terms_within(name, node.text, node.distance, prefix=1)
            terms.extend(Term(name, text) for text in list(near)[:_MAX_EXPANSIONS])
        return Or(tuple(terms))

    # evaluation

    def evaluate(self, node: Node, seg: Segment) -> Match:
        if isinstance(node, Term):
            return self._term(node, seg)
        if isinstance(node, Phrase):
            return self._phrase(node, seg)
        if isinstance(node, Range):
            return self._range(node, seg)
        if isinstance(node, All):
            return Match(np.ones(seg.size, dtype=bool), np.zeros(seg.size, dtype=np.float32))
        if isinstance(node, Or):
            mask = np.zeros(seg.size, dtype=bool)
            scores = np.zeros(seg.size, dtype=np.float32)
            for item in node.items:
                sub = self.evaluate(item, seg)
                mask |= sub.mask
                scores += sub.scores
            return Match(mask, scores)
        if isinstance(node, And):
            mask = np.ones(seg.size, dtype=bool)
            scores = np.zeros(seg.size, dtype=np.float32)
            for item in node.items:
                if not mask.any():
                    break  # no document of this segment is left: the other parts need not be read
                if isinstance(item, Not):
                    mask &= ~self.evaluate(item.item, seg).mask
                else:
                    sub = self.evaluate(item, seg)
                    mask &= sub.mask
                    scores += sub.scores
            return Match(mask, scores * mask)
        if isinstance(node, Not):
            return Match(~self.evaluate(node.item, seg).mask, np.zeros(seg.size, dtype=np.float32))
        raise TypeError(f"cannot evaluate {node!r}")

    def idf(self, name: str, text: str) -> float:
        """Robertson and Spärck Jones' idf, as in SQLite FTS5: a word in half the documents or more is no
        evidence of relevance (only a floor, so that matching it still counts and more of it counts more), where Lucene's log(1 + ...)
        keeps paying for it; with long queries in plain words that works as a stop list made from the index."""
        key = (name, text)
        if key not in self._idf:
            # the frequency counts deleted documents until a merge drops them; the total does not
            df = min(self.index.doc_frequency(name, text), self.documents)
            self._idf[key] = max(math.log((self.documents - df + 0.5) / (df + 0.5)), _IDF_FLOOR)
        return self._idf[key]

    def _bm25(self, name: str, text: str, seg: Segment, mask: np.ndarray, scores: np.ndarray,
              postings: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Add a term's BM25 to `scores` and its documents to `mask`; `postings` (ids, weights), when given,
        stand for the term's list in the segment (a phrase scores only the documents it matched)."""
        ids, tf = postings if postings is not None else seg.postings(name, text)
        if not len(ids):
            return
        lengths = seg.lengths(name)[ids]
        b = B[name]
        norm = K1 * (1.0 - b + b * lengths / self.avg_length[name])
        scores[ids] += WEIGHTS[name] * self.idf(name, text) * tf * (K1 + 1.0) / (tf + norm)
        mask[ids] = True

    def _term(self, node: Term, seg: Segment) -> Match:
        mask = np.zeros(seg.size, dtype=bool)
        scores = np.zeros(seg.size, dtype=np.float32)
        if node.field is None or node.field in TEXT_FIELDS:
            for name in self._fields(node.field):
                self._bm25(name, node.text, seg, mask, scores)
        else:
            ids, _ = seg.postings(node.field, node.text)
            mask[ids] = True
        return Match(mask, scores)

    def _phrase(self, node: Phrase, seg: Segment) -> Match:
        mask = np.zeros(seg.size, dtype=bool)
        scores = np.zeros(seg.size, dtype=np.float32)
        for name in self._fields(node.field):
            if not all(seg.has_term(name, word) for word in set(node.words)):
                continue  # a word the field lacks: no need to read the others' positions, often long lists
            read = {word: seg.positions(name, word) for word in set(node.words)}
            ids = phrase_docs(read, node.words)
            if not len(ids):
                continue
            for word in node.words:
                word_ids, weights = read[word][:2]
                keep = _member(word_ids, ids)
                self._bm25(name, word, seg, mask, scores, (word_ids[keep], weights[keep]))
        return Match(mask, scores)

    def _range(self, node: Range, seg: Segment) -> Match:
        values = seg.numbers(node.field)
        mask = values != MISSING
        if node.low is not None:
            mask &= values >= int(node.low.timestamp())
        if node.high is not None:
            mask &= values <= int(node.high.timestamp())
        return Match(mask, np.zeros(seg.size, dtype=np.float32))


def phrase_docs(read: dict[str, tuple[np.ndarray, ...]], words: tuple[str, ...]) -> np.ndarray:
    """The documents (ascending) where `words` occur at consecutive positions, from each word's
    `Segment.positions` in `read`.

    A document matches where some start p has word k at p + k for every k, so each word contributes the
    set of keys doc * 2**32 + (position - k) and the phrase starts are their intersection. Keys are built
    only for the documents still in the running (holding every word, then every start so far), rarest word
    first, which keeps the arrays near the size of the answer rather than of the common words' lists."""
    docs = reduce(_intersect, sorted((read[word][0] for word in set(words)), key=len))
    starts: np.ndarray | None = None
    for k, word in sorted(enumerate(words), key=lambda kw: len(read[kw[1]][3])):
        if not len(docs):
            return _NO_DOCS
        ids, _, counts, positions = read[word]
        keys = _start_keys(ids, counts, positions, docs, k)
        starts = keys if starts is None else _intersect(starts, keys)
        docs = _distinct(starts >> 32)
    return docs


def _start_keys(ids: np.ndarray, counts: np.ndarray, positions: np.ndarray, docs: np.ndarray,
                offset: int) -> np.ndarray:
    # where a phrase would start if this word were its `offset`-th, as doc * 2**32 + start (ascending, as
    # ids and each posting's positions are), for `docs` only
    keep = np.repeat(_member(ids, docs), counts)
    doc_of = np.repeat(ids, counts)[keep]
    start = positions[keep] - offset
    inside = start >= 0  # a word too near the field's start cannot be that far into a phrase
    return (doc_of[inside] << 32) | start[inside]


def _distinct(ascending: np.ndarray) -> np.ndarray:
    # np.unique for an ascending array, without its sort
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # np.intersect1d for ascending, duplicate-free arrays, without its sorts
    return a[_member(a, b)]


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    # np.isin for an ascending, duplicate-free set: one binary search per value
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)  # not .clip: a Python wrapper
    return sorted_set[at] == values


def positive_terms(node: Node) -> set[str]:
    """The text terms a query looks for (not those under NOT), for snippets and highlighting."""
    if isinstance(node, Term) and (node.field is None or node.field in TEXT_FIELDS):
        return {node.text}
    if isinstance(node, Phrase) and (node.field is None or node.field in TEXT_FIELDS):
        return set(node.words)
    if isinstance(node, (And, Or)):
        found: set[str] = set()
        for item in node.items:
            if not isinstance(item, Not):
                found |= positive_terms(item)
        return found
    return set()
