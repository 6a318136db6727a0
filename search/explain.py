"""How a hit's score was made (`search --explain`): each term's BM25F, field by field, adding up to the score.

A term's score (`scoring`) saturates the sum of its fields' normalised frequencies, so a field's share of
it is the term's score split in proportion to what each field put into that sum. Feedback terms
(`--expand`) are marked as such; every term carries the weight its BM25F counts with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from wiredesk.index import Segment

from .query import Node, Phrase, Term
from .scoring import Alternatives, Evaluator, Match

__all__ = ["FieldScore", "TermScore", "Explanation", "explain"]


@dataclass(frozen=True)
class FieldScore:
    field: str
    tf: float  # the term's frequency in the field (a word of the lead counts more)
    length: float  # the field's length in words, as the index keeps it
    normalised: float  # weighted and normalised for length: the field's part of the term's tf~
    score: float  # the field's share of the term's score


@dataclass(frozen=True)
class TermScore:
    term: str  # a word as typed, a phrase in quotes, alternatives joined by " | " (index terms otherwise)
    kind: str  # "word", "phrase", "acronym" (an acronym and its long form) or "expansion" (feedback)
    idf: float
    weight: float  # how many times the term's BM25F counts
    tf: float  # the fields' normalised frequencies added up, before saturation
    score: float
    fields: tuple[FieldScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "kind": self.kind, "idf": round(self.idf, 4), "weight": round(self.weight, 4),
                "tf": round(self.tf, 4), "score": round(self.score, 4),
                "fields": {f.field: {"tf": round(f.tf, 4), "length": round(f.length, 1),
                                     "normalised": round(f.normalised, 4), "score": round(f.score, 4)}
                           for f in self.fields}}


@dataclass(frozen=True)
class Explanation:
    """A hit's score as the sum of its terms' scores."""

    score: float
    terms: tuple[TermScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "terms": [term.to_dict() for term in self.terms]}


def explain(evaluator: Evaluator, match: Match, seg: Segment, local: int) -> Explanation:
    """The explanation of the document `local` of `seg`, from that segment's match made with `explain`."""
    terms = []
    for part in match.parts or ():
        score = float(part.scores[local])
        if score == 0.0:
            continue
        fields = []
        for name, (ids, frequencies) in part.frequencies.items():
            at = int(np.searchsorted(ids, local))
            if at < len(ids) and ids[at] == local:
                tf, length = float(frequencies[at]), float(seg.lengths(name)[local])
                fields.append((name, tf, length, float(evaluator.normalised(name, tf, length))))
        total = sum(normalised for *_, normalised in fields)
        terms.append(TermScore(label(part.term), part.kind, part.idf, part.weight, total, score, tuple(
            FieldScore(name, tf, length, normalised, score * normalised / total)
            for name, tf, length, normalised in fields)))
    return Explanation(float(match.scores[local]), tuple(terms))


def label(node: Node) -> str:
    """A term as a person reads it."""
    if isinstance(node, Term):
        return node.word or node.text
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Alternatives):
        return " | ".join(label(item) for item in node.items)
    return repr(node)
