"""Evaluate a query tree over the segments of a snapshot with numpy: a boolean match mask and a BM25F score.

Ranking is BM25F (Robertson, Zaragoza and Taylor, 2004). For a query term t and a document d with the text
fields f (title, body, acronyms):

    tf~(t, d)   = sum over f of  W[f] * tf(t, d, f) / (1 - B[f] + B[f] * len(d, f) / avglen(f))
    score(t, d) = idf(t) * (K1 + 1) * tf~(t, d) / (K1 + tf~(t, d))
    idf(t)      = max(log((N - df(t) + 0.5) / (df(t) + 0.5)), IDF_FLOOR)

where tf(t, d, f) is the term's frequency in the field (a word of the body's first paragraph counts
`LEAD_WEIGHT` more), len and avglen the field's length and its mean over the index, N the documents and
df(t) those holding t in any field. The fields' length-normalised frequencies are weighted and added first,
then saturated once, so a word in the title and again in the body is one piece of evidence, not two.
A document's score is the sum of its terms' scores; AND, OR and NOT are mask algebra; filters and date
ranges only narrow.

A term is anything with a frequency per field, and each is scored by the same formula:
- a word;
- a phrase: tf counts the times its words stand side by side in the field, df the documents holding it;
- alternatives (`Alternatives`, an acronym and its long form): tf adds up the alternatives' frequencies
  field by field, df counts the documents holding any of them.
Wildcards and fuzzy words are rewritten first (`expand`) into the words they stand for, each a term.
"""

from __future__ import annotations

import fnmatch
import math
import re
from dataclasses import dataclass, field

import numpy as np

from wiredesk.index import MISSING, Index, Segment
from wiredesk.index.analysis import term as analyse
from wiredesk.index.analysis import terms as analyse_all
from wiredesk.index.schema import TEXT_FIELDS

from .arrays import added
from .positions import phrase_frequencies
from .query import All, And, Fuzzy, Node, Not, Or, Pattern, Phrase, Range, Term

__all__ = ["WEIGHTS", "B", "K1", "IDF_FLOOR", "Alternatives", "Weighted", "Rescored", "Part", "Match", "Evaluator",
           "rescored", "scaled", "scored_terms", "positive_terms"]

# Chosen on two judged collections together, news (TIME) and science abstracts (SciFact), then checked on
# the bundled sample; the README's ranking section has the figures, the notes every candidate. A headline
# word says more than a body word (W) and headlines are short, so their length matters less (B). Over both
# collections K1 1.2-1.5 and the body's B 0.85-0.9 lie on one plateau, a little above the textbook 1.2 and
# 0.75 on each. An acronym list is short and unnormalised; neither collection has one, so it keeps W 1.
WEIGHTS = {"title": 2.5, "body": 1.0, "acronyms": 1.0}
B = {"title": 0.3, "body": 0.85, "acronyms": 0.0}
K1 = 1.4
# Robertson and Spärck Jones' idf, as in SQLite FTS5: a word in half the documents or more is no evidence,
# which with long queries in plain words works as a stop list made from the index; the floor, far below any
# informative word's idf (0.69 for one in a third of the documents), lets matching it still count a little.
# Lucene's log(1 + ...) keeps paying for such words: it lost 0.015 nDCG@10 on TIME and gained nothing on SciFact.
IDF_FLOOR = 0.05
_MAX_EXPANSIONS = 128  # terms a wildcard or fuzzy word may stand for


@dataclass(frozen=True)
class Alternatives(Node):
    """Ways of writing one thing (an acronym and its long form), scored as one term: Terms and Phrases."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Weighted(Node):
    """A part of a query whose score counts `weight` times."""

    item: Node
    weight: float


@dataclass(frozen=True)
class Rescored(Node):
    """The documents `query` matches, scored (1 - weight) by it and `weight` by `extra` (`feedback`)."""

    query: Node
    extra: Node
    weight: float


Frequencies = dict[str, tuple[np.ndarray, np.ndarray]]  # field -> (local document numbers ascending, tf)
Combined = tuple[np.ndarray, np.ndarray]  # (local document numbers holding a term in any field ascending, tf~)


@dataclass
class Part:
    """One term's share of every document's score in a segment, kept to explain a score."""

    term: Node
    kind: str  # "word", "phrase", "acronym" or "expansion"
    idf: float
    weight: float  # how many times the term's BM25F counts
    frequencies: Frequencies
    scores: np.ndarray


@dataclass
class Match:
    """The documents of one segment that match, with their scores (and what made them, if asked)."""

    mask: np.ndarray
    scores: np.ndarray
    parts: list[Part] | None = None


@dataclass
class _Statistics:
    """One query's terms over the snapshot: each term's frequencies in every segment, and its idf."""

    frequencies: dict[Node, list[Frequencies]]
    combined: dict[Node, list[Combined]]  # the fields' frequencies weighted, normalised and added (tf~)
    idf: dict[Node, float]
    explain: bool


@dataclass
class Evaluator:
    """Scores query trees against one snapshot of an index; reusable across queries (batch)."""

    index: Index
    _document_frequencies: dict[Node, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.segments: list[Segment] = self.index.segments()
        self.offsets = np.array([seg.offset for seg in self.segments], dtype=np.int64)  # ascending
        self.documents = max(self.index.document_count(), 1)
        self.avg_length = {f: (self.index.field_length(f) / max(self.index.document_count(include_deleted=True), 1))
                           or 1.0 for f in TEXT_FIELDS}
        # acronym look-ups of this snapshot, kept for the next query of a batch
        self._long_forms: dict[str, tuple[str, ...]] = {}
        self._forms_from: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # the frequencies read for the last query, and tf~ made of them
        self._latest: dict[Node, tuple[list[Frequencies], list[Combined]]] = {}

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
                return Alternatives((node, Phrase(None, long) if len(long) > 1 else Term(None, long[0])))
        if isinstance(node, Phrase) and node.field is None:
            shorts = self._acronyms_in(node.words, whole=True)
            if shorts:
                return Alternatives((node, *(Term(None, short) for short in shorts.values())))
        return node

    def _contractions_in(self, items: tuple[Node, ...]) -> tuple[Node, ...]:
        # words typed side by side that spell out a known long form also find its acronym: the long form as
        # a phrase, or the acronym, is one more term of the query
        words = tuple(item.text for item in items if isinstance(item, Term) and item.field is None)
        return tuple(Alternatives((Phrase(None, long), Term(None, short)))
                     for long, short in self._acronyms_in(words).items())

    def _acronyms_in(self, words: tuple[str, ...], *, whole: bool = False) -> dict[tuple[str, ...], str]:
        """The acronyms (as index terms) whose long forms of several words these index terms spell out, as a
        whole or anywhere in them, by long form."""
        found: dict[tuple[str, ...], str] = {}
        for start in range(min(len(words), 1) if whole else len(words)):
            if words[start] not in self._forms_from:
                self._forms_from[words[start]] = self.index.long_forms_from(words[start])
            for long, short in self._forms_from[words[start]]:
                spelt = words == long if whole else words[start:start + len(long)] == long
                short_term = analyse(short)
                if spelt and short_term:
                    found.setdefault(long, short_term)
        return found

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
        found: dict[str, None] = {}
        for name in self._fields(node.field):
            for text in self.index.expand_prefix(name, prefix):
                if len(found) >= _MAX_EXPANSIONS:
                    break
                if regex.match(text):
                    found[text] = None
        return Or(tuple(Term(node.field, text) for text in found))

    def _fuzzy(self, node: Fuzzy) -> Node:
        found: dict[str, None] = {}
        for name in self._fields(node.field):
            found.update(dict.fromkeys(self.index.terms_within(name, node.text, node.distance, prefix=1)))
        return Or(tuple(Term(node.field, text) for text in list(found)[:_MAX_EXPANSIONS]))

    # statistics

    def idf(self, df: int) -> float:
        """The idf of a term held by `df` of the snapshot's documents (the module's formula)."""
        df = min(df, self.documents)
        return max(math.log((self.documents - df + 0.5) / (df + 0.5)), IDF_FLOOR)

    def field_frequency(self, name: str, text: str) -> int:
        """How many documents hold a word in one field, deleted ones included until a merge drops them: a
        cheap estimate where the exact count over every field is not worth reading postings for."""
        return self.index.doc_frequency(name, text)

    def _statistics(self, node: Node, *, explain: bool) -> _Statistics:
        read: dict[Node, tuple[list[Frequencies], list[Combined]]] = {}
        unread: list[Node] = []
        for term in dict.fromkeys(scored_terms(node)):
            if term in self._latest:  # the last query's, as feedback's second pass asks for them again
                read[term] = self._latest[term]
            else:
                read[term] = [], []
                unread.append(term)
        for seg in self.segments:
            found = [self._frequencies(term, seg) for term in unread]
            for term, frequencies, combined in zip(unread, found, self._combined(found, seg)):
                read[term][0].append(frequencies)
                read[term][1].append(combined)
        self._latest = read
        idf = {}
        for term, (_, combined) in read.items():
            if term not in self._document_frequencies:
                self._document_frequencies[term] = sum(
                    int(np.count_nonzero(seg.live[ids])) for seg, (ids, _) in zip(self.segments, combined))
            idf[term] = self.idf(self._document_frequencies[term])
        return _Statistics({term: found for term, (found, _) in read.items()},
                           {term: combined for term, (_, combined) in read.items()}, idf, explain)

    def _frequencies(self, node: Node, seg: Segment) -> Frequencies:
        """A term's frequency in each text field of one segment's documents (fields without it left out)."""
        found: Frequencies = {}
        if isinstance(node, Term):
            for name in self._fields(node.field):
                ids, tf = seg.postings(name, node.text)
                if len(ids):
                    found[name] = (ids, tf)
        elif isinstance(node, Phrase):
            for name in self._fields(node.field):
                if not all(seg.has_term(name, word) for word in set(node.words)):
                    continue  # a word the field lacks: no need to read the others' positions, often long lists
                ids, counts = phrase_frequencies({word: seg.positions(name, word) for word in set(node.words)},
                                                 node.words)
                if len(ids):
                    found[name] = (ids, counts.astype(np.float32))
        elif isinstance(node, Alternatives):
            each = [self._frequencies(item, seg) for item in node.items]
            for name in TEXT_FIELDS:
                lists = [alternative[name] for alternative in each if name in alternative]
                if lists:
                    found[name] = added(lists)
        return found

    def normalised(self, name: str, tf: float, length: float) -> float:
        """A field's term frequency weighted and normalised for the field's length: its share of tf~."""
        b = B[name]
        return WEIGHTS[name] * tf / (1.0 - b + b * length / self.avg_length[name])

    # evaluation

    def match(self, node: Node, *, explain: bool = False) -> list[Match]:
        """An expanded query's matches, one per segment of the snapshot (deleted documents included); with
        `explain`, each keeps the terms' `Part`s of the scores."""
        statistics = self._statistics(node, explain=explain)
        return [self._evaluate(node, number, seg, statistics) for number, seg in enumerate(self.segments)]

    def _evaluate(self, node: Node, number: int, seg: Segment, statistics: _Statistics) -> Match:
        if _is_scored(node):
            idf = statistics.idf[node]
            mask, scores = self._bm25f(statistics.combined[node][number], idf, seg)
            parts = [Part(node, _kind(node), idf, 1.0, statistics.frequencies[node][number], scores)] \
                if statistics.explain else None
            return Match(mask, scores, parts)
        if isinstance(node, Term):  # an exact field: a filter
            mask = np.zeros(seg.size, dtype=bool)
            mask[seg.postings(node.field, node.text)[0]] = True
            return _unscored(mask, statistics)
        if isinstance(node, Range):
            return _unscored(self._range(node, seg), statistics)
        if isinstance(node, All):
            return _unscored(np.ones(seg.size, dtype=bool), statistics)
        if isinstance(node, Not):
            return _unscored(~self._evaluate(node.item, number, seg, statistics).mask, statistics)
        if isinstance(node, Weighted):
            sub = self._evaluate(node.item, number, seg, statistics)
            return _scaled(sub, sub.mask, node.weight)
        if isinstance(node, Rescored):
            return rescored(self._evaluate(node.query, number, seg, statistics),
                            self._evaluate(node.extra, number, seg, statistics), node.weight)
        if isinstance(node, Or) and not statistics.explain and all(map(_is_bag_item, node.items)):
            return self._bag(node.items, number, seg, statistics)
        if isinstance(node, Or):
            subs = [self._evaluate(item, number, seg, statistics) for item in node.items]
            mask = np.zeros(seg.size, dtype=bool)
            for sub in subs:
                mask |= sub.mask
            return _summed(mask, subs)
        if isinstance(node, And):
            mask = np.ones(seg.size, dtype=bool)
            subs = []
            for item in node.items:
                if not mask.any():
                    break  # no document of this segment is left: the other parts need not be read
                if isinstance(item, Not):
                    mask &= ~self._evaluate(item.item, number, seg, statistics).mask
                else:
                    sub = self._evaluate(item, number, seg, statistics)
                    mask &= sub.mask
                    subs.append(sub)
            return _scaled(_summed(mask, subs), mask, 1.0)
        raise TypeError(f"cannot evaluate {node!r}")

    def _combined(self, found: list[Frequencies], seg: Segment) -> list[Combined]:
        """For each of several terms, the documents of a segment holding it in any field, and its tf~ in each
        (the module's formula). All the terms go through each step at once: at a few hundred postings a
        term, a step's cost is its call, not its length, and a question in plain words or feedback's model
        has ten terms or more."""
        keys, values = [], []
        for name in TEXT_FIELDS:
            lists = [(number, frequencies[name]) for number, frequencies in enumerate(found) if name in frequencies]
            if not lists:
                continue
            ids = np.concatenate([ids for _, (ids, _) in lists])
            owners = np.repeat(np.array([number for number, _ in lists], dtype=np.int64),
                               [len(ids) for _, (ids, _) in lists])
            keys.append(owners * seg.size + ids)
            values.append(self.normalised(name, np.concatenate([tf for _, (_, tf) in lists]), seg.lengths(name)[ids]))
        if not keys:
            empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
            return [empty] * len(found)
        # a term's postings of every field, by document: the fields' shares of one document are added
        key, value = added(list(zip(keys, values)))
        bounds = np.searchsorted(key, np.arange(len(found) + 1, dtype=np.int64) * seg.size).tolist()
        ids = key - np.repeat(np.arange(len(found), dtype=np.int64) * seg.size, np.diff(bounds))
        return [(ids[start:end], value[start:end]) for start, end in zip(bounds, bounds[1:])]

    def _bm25f(self, combined: Combined, idf: float, seg: Segment) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term, and their scores by the formula of the module's docstring."""
        ids, tf = combined
        mask = np.zeros(seg.size, dtype=bool)
        mask[ids] = True
        scores = np.zeros(seg.size, dtype=np.float32)
        scores[ids] = idf * _saturated(tf)
        return mask, scores

    def _bag(self, items: tuple[Node, ...], number: int, seg: Segment, statistics: _Statistics) -> Match:
        """Any of several terms (each maybe `Weighted`) in one segment: the sum of their BM25F scores, made
        for all the terms at once (a query in plain words, feedback's model)."""
        terms = [item.item if isinstance(item, Weighted) else item for item in items]
        combined = [statistics.combined[term][number] for term in terms]
        ids = np.concatenate([ids for ids, _ in combined])
        tf = np.concatenate([tf for _, tf in combined])
        factors = np.array([statistics.idf[term] * (item.weight if isinstance(item, Weighted) else 1.0)
                            for term, item in zip(terms, items)], dtype=np.float32)
        factor = np.repeat(factors, [len(term_ids) for term_ids, _ in combined])
        mask = np.zeros(seg.size, dtype=bool)
        mask[ids] = True
        scores = np.bincount(ids, weights=factor * _saturated(tf), minlength=seg.size).astype(np.float32)
        return Match(mask, scores)

    def _range(self, node: Range, seg: Segment) -> np.ndarray:
        values = seg.numbers(node.field)
        mask = values != MISSING
        if node.low is not None:
            mask &= values >= int(node.low.timestamp())
        if node.high is not None:
            mask &= values <= int(node.high.timestamp())
        return mask


def rescored(match: Match, extra: Match, weight: float) -> Match:
    """The documents `match` holds, scored (1 - weight) by it and `weight` by `extra` (feedback's terms,
    whose parts become "expansion"); the sum `Rescored` stands for."""
    if extra.parts is not None:
        for part in extra.parts:
            part.kind = "expansion"
    return _summed(match.mask, [_scaled(match, match.mask, 1.0 - weight), _scaled(extra, match.mask, weight)])


def scaled(match: Match, factor: float) -> Match:
    """A match with every score, and every part of it, counted `factor` times."""
    return _scaled(match, match.mask, factor)


def _unscored(mask: np.ndarray, statistics: _Statistics) -> Match:
    return Match(mask, np.zeros(len(mask), dtype=np.float32), [] if statistics.explain else None)


def _scaled(match: Match, mask: np.ndarray, weight: float) -> Match:
    """A match's scores counted `weight` times where `mask` holds, and nothing elsewhere."""
    factor = mask * np.float32(weight)
    parts = None if match.parts is None else [
        Part(part.term, part.kind, part.idf, part.weight * weight, part.frequencies, part.scores * factor)
        for part in match.parts]
    return Match(match.mask, match.scores * factor, parts)


def _summed(mask: np.ndarray, matches: list[Match]) -> Match:
    scores = np.zeros(len(mask), dtype=np.float32)
    for match in matches:
        scores += match.scores
    parts = None if matches and matches[0].parts is None else [part for match in matches for part in match.parts or ()]
    return Match(mask, scores, parts)


def _is_scored(node: Node) -> bool:
    """A term of BM25F: a word or phrase of the text fields, or alternatives."""
    if isinstance(node, (Term, Phrase)):
        return node.field is None or node.field in TEXT_FIELDS
    return isinstance(node, Alternatives)


def _saturated(tf: np.ndarray) -> np.ndarray:
    """A term's tf~ saturated once: its BM25F score per unit of idf (the module's formula)."""
    return (K1 + 1.0) * tf / (K1 + tf)


def _is_bag_item(node: Node) -> bool:
    return _is_scored(node.item if isinstance(node, Weighted) else node)


def _kind(node: Node) -> str:
    return "word" if isinstance(node, Term) else "phrase" if isinstance(node, Phrase) else "acronym"


def scored_terms(node: Node) -> list[Node]:
    """The BM25F terms of a query tree, in order, those under NOT included (their matches exclude)."""
    if _is_scored(node):
        return [node]
    if isinstance(node, (And, Or)):
        return [term for item in node.items for term in scored_terms(item)]
    if isinstance(node, (Not, Weighted)):
        return scored_terms(node.item)
    if isinstance(node, Rescored):
        return scored_terms(node.query) + scored_terms(node.extra)
    return []


def positive_terms(node: Node) -> set[str]:
    """The text terms a query looks for (not those under NOT, nor feedback's), for snippets and highlighting."""
    if isinstance(node, Term) and (node.field is None or node.field in TEXT_FIELDS):
        return {node.text}
    if isinstance(node, Phrase) and (node.field is None or node.field in TEXT_FIELDS):
        return set(node.words)
    if isinstance(node, Rescored):
        return positive_terms(node.query)
    if isinstance(node, Weighted):
        return positive_terms(node.item)
    if isinstance(node, (And, Or, Alternatives)):
        found: set[str] = set()
        for item in node.items:
            if not isinstance(item, Not):
                found |= positive_terms(item)
        return found
    return set()
