"""Pseudo-relevance feedback (RM3): a query's best documents lend it more words.

Lavrenko and Croft's relevance model, interpolated with the query as in Abdul-Jaleel et al. (2004): the best
documents of a first search each spread its weight (its score, the scores summing to one) over its words in
proportion to their frequency in it; the heaviest words form the model, scored by BM25F like any term, each
as much as its weight. The query's own score counts (1 - weight), the model's weight; the model only
re-orders what the query matched. It is used in two ways:

- `search --expand` (`expanded`): the model of the `DOCUMENTS` best documents' whole text re-orders every hit.
- By default (`tail`), the hits after the first `TAIL_AFTER` are ordered by a small model of the openings
  (`Index.opening_at`: the first terms of headline and text, kept when the release was indexed) of the
  `TAIL_DOCUMENTS` best documents; the first `TAIL_AFTER` stay as the query's words rank them.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from wiredesk.index.analysis import terms

from .query import Node, Or, Term
from .scoring import Evaluator, Rescored, Weighted

__all__ = ["DOCUMENTS", "TERMS", "WEIGHT", "TAIL_AFTER", "TAIL_DOCUMENTS", "TAIL_TERMS", "TAIL_WEIGHT",
           "expanded", "tail"]

# Measured on TIME and SciFact (README, ranking): Recall@100 rises on both, nDCG@10 falls a little on both,
# and a query takes 2.5 to 4 times as long, so feedback over every hit is asked for (`search --expand`).
DOCUMENTS = 10
TERMS = 20
WEIGHT = 0.2

# Feedback that only orders the tail. The first page is the query's own: feedback moved SciFact's nDCG@10
# down wherever it reached the first ten. Past them, where a relevant document the query's words rank 101st
# is found or lost, it lifted Recall@100 above SQLite FTS5's on both collections over a broad range (3
# documents with 5 to 20 words and weights 0.1 to 0.3, openings of 24 terms to the whole text), which no
# change of BM25F's parameters did. Two documents were not enough on SciFact. The time it takes sets the
# rest: three documents, eight words, and the opening of each (`schema.OPENING_TERMS`), which the index keeps
# as terms (read from the stored release and analysed at each query, three openings cost a query as much as
# its own words).
TAIL_AFTER = 10
TAIL_DOCUMENTS = 3
TAIL_TERMS = 8
TAIL_WEIGHT = 0.2


def expanded(evaluator: Evaluator, node: Node, docnums: np.ndarray, scores: np.ndarray, *, query_terms: int) -> Node:
    """`node` rescored with the relevance model of the documents `docnums` (best first) and their scores;
    `query_terms`, the number of terms the query has, puts the model on the query's scale."""
    texts = [terms(evaluator.index.text_at(docnum)) for docnum in docnums[:DOCUMENTS].tolist()]
    extra = _model(texts, scores[:DOCUMENTS], words=TERMS, query_terms=query_terms)
    return node if extra is None else Rescored(node, extra, WEIGHT)


def tail(evaluator: Evaluator, docnums: np.ndarray, scores: np.ndarray, *, query_terms: int) -> Node | None:
    """The small relevance model that orders the hits after the first `TAIL_AFTER` (weight `TAIL_WEIGHT`):
    of the openings of the documents `docnums` (best first) with their scores, as in `expanded`."""
    openings = [evaluator.index.opening_at(docnum) for docnum in docnums[:TAIL_DOCUMENTS].tolist()]
    return _model(openings, scores[:TAIL_DOCUMENTS], words=TAIL_TERMS, query_terms=query_terms)


def _model(texts: list[list[str]], scores: np.ndarray, *, words: int, query_terms: int) -> Node | None:
    """The `words` heaviest words of the relevance model of documents (their terms) with their scores,
    weighted to add up to `query_terms`; None without a model."""
    total = float(scores.sum())
    if not texts or total <= 0:
        return None
    model: Counter[str] = Counter()
    for text, score in zip(texts, scores.tolist()):
        found = Counter(text)
        length = sum(found.values())
        for word, count in found.items():
            model[word] += score / total * count / length
    chosen = model.most_common(words)
    mass = sum(weight for _, weight in chosen)
    if not chosen or mass <= 0:
        return None
    return Or(tuple(Weighted(Term(None, word), query_terms * weight / mass) for word, weight in chosen))
