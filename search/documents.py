"""One release and its neighbours: `show`, `similar` (more like this) and `stats`."""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import datetime, timezone

import numpy as np

from wiredesk.index import MISSING, Index
from wiredesk.index.analysis import terms
from wiredesk.core.errors import NotFoundError
from wiredesk.core.release import Release

from . import facets as facet_counts
from .query import And, Not, Or, Term
from .results import Results
from .run import _hit, _match, _order
from .scoring import Evaluator

__all__ = ["show", "similar", "stats"]

_SIMILAR_TERMS = 25  # the most distinctive words of a release make its "more like this" query


def _release(index: Index, id: str) -> Release:
    release = index.get(id)
    if release is None:
        raise NotFoundError(f"no release with id {id!r} in the index")
    return release


def show(index: Index, id: str) -> tuple[Release, list[dict]]:
    """The release and its syndicated copies [{"id", "source", "url", "title"}], the earliest published first
    (then by id: the same every time, whatever order a run indexed them in); NotFoundError for an unknown id."""
    release = _release(index, id)
    others = []
    if release.cluster:
        others = [index.release_at(docnum) for docnum in index.documents_with("cluster", release.cluster).tolist()]
    others.sort(key=lambda other: (other.published is None, other.published or 0, other.id))
    return release, [{"id": other.id, "source": other.source, "url": other.url, "title": other.title}
                     for other in others if other.id != release.id]


def similar(index: Index, id: str, *, limit: int = 10) -> Results:
    """Releases most like this one (its copies left out); NotFoundError for an unknown id."""
    started = time.perf_counter()
    release = _release(index, id)
    evaluator = Evaluator(index)
    counts = Counter(terms(f"{release.title}\n{release.body}"))
    weighted = sorted(counts, key=lambda t: (-counts[t] * evaluator.idf(evaluator.field_frequency("body", t)), t))[:_SIMILAR_TERMS]
    if not weighted:
        return Results(query=f"similar:{id}", total=0, page=1, hits=())
    exclude = Term("cluster", release.cluster) if release.cluster else Term("id", release.id)
    node = And((Or(tuple(Term(None, t) for t in weighted)), Not(exclude), Not(Term("id", release.id))))
    matches = _match(evaluator, node)
    order = _order(matches, "relevance", needed=min(limit, len(matches.docnums)))[:limit] \
        if len(matches.docnums) else np.zeros(0, dtype=np.int64)
    hits = tuple(_hit(evaluator, matches, p) for p in order)
    return Results(query=f"similar:{id}", total=len(matches.docnums), page=1, hits=hits,
                   took_ms=(time.perf_counter() - started) * 1000)


def stats(index: Index) -> dict:
    """{"documents", "agencies": {NAME: n}, "sources": {NAME: n}, "index_bytes", "oldest", "newest"}."""
    segments = index.segments()
    live = [seg.live for seg in segments]
    counted, _ = facet_counts.count(segments, live, ("agency", "source"), top=sys.maxsize)
    dates = [seg.numbers("published")[seg.live] for seg in segments]
    known = np.concatenate(dates) if dates else np.zeros(0, dtype=np.int64)
    known = known[known != MISSING]

    def iso(epoch: int) -> str:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).isoformat()

    return {
        "documents": index.document_count(),
        "agencies": dict(counted["agency"]),
        "sources": dict(counted["source"]),
        "index_bytes": index.size_bytes(),
        "oldest": iso(known.min()) if len(known) else None,
        "newest": iso(known.max()) if len(known) else None,
    }
