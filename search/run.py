"""Run a search request: match, count facets, order, cut the page, and build hits with snippets."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

import numpy as np

from wiredesk.index import MISSING, Index
from wiredesk.index.analysis import spans
from wiredesk.core.errors import QueryError

from . import facets as facet_counts
from .dates import parse_when
from .query import And, Node, Not, Or, Range, Stored, Term, date_column, filter_node, parse
from .results import Hit, Results
from . import feedback
from .explain import explain
from .scoring import Evaluator, Match, positive_terms, rescored, scaled, scored_terms
from .snippets import snippet

__all__ = ["SearchRequest", "SORTS", "run", "export", "batch"]

SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    facets: tuple[str, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()
    since: str | None = None
    until: str | None = None
    sort: str = "relevance"
    limit: int = 10
    page: int = 1
    collapse: bool = False
    expand: bool = False  # pseudo-relevance feedback (`feedback`)
    explain: bool = False  # each hit says how its score was made (`explain`)
    facet_limit: int = facet_counts.DEFAULT_TOP  # values per value facet, count-descending
    # the stored spelling of a value as people type it (`wiredesk.desk` gives ingest's tables)
    stored: Stored | None = field(default=None, compare=False, repr=False)


@dataclass
class _Matches:
    """Every matching document of a snapshot, in no particular order."""

    docnums: np.ndarray  # global document numbers
    scores: np.ndarray
    published: np.ndarray
    masks: list[np.ndarray]  # per segment, for facets
    terms: set[str]  # text terms to highlight
    found: list[Match]  # per segment, with the parts of the scores when asked to explain them
    # positions that lead the order by relevance, in their order: the query's own first hits, which feedback
    # over the tail (`feedback.tail`) leaves as they were, their scores and `first_found` the query's alone
    first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    first_found: list[Match] | None = None


def _plan(request: SearchRequest) -> tuple[Node, Node]:
    """(the query as typed, the query with filters and dates): parsed and checked before any reading."""
    if request.sort not in SORTS:
        raise QueryError(f"unknown sort {request.sort!r} (sorts: {', '.join(SORTS)})")
    if request.limit < 1 or request.page < 1:
        raise QueryError("--limit and --page must be at least 1")
    if request.facet_limit < 1:
        raise QueryError("the facet limit must be at least 1")
    facet_counts.check_fields(request.facets)
    typed = parse(request.query, stored=request.stored)
    parts = [typed] + [filter_node(name, value, stored=request.stored) for name, value in request.filters]
    if request.since and request.until and parse_when(request.since) > parse_when(request.until, end=True):
        raise QueryError(f"--since {request.since} is after --until {request.until}: no release can match")
    if request.since:
        parts.append(Range(date_column("published", request.since), parse_when(request.since), None))
    if request.until:
        parts.append(Range(date_column("published", request.until), None, parse_when(request.until, end=True)))
    return typed, parts[0] if len(parts) == 1 else And(tuple(parts))


def _match(evaluator: Evaluator, node: Node, *, expand: bool = False, explain: bool = False,
           tail: bool = False) -> _Matches:
    """The matches of a query; with `expand`, ordered by feedback (`feedback.expanded`); else with `tail`, the
    hits after the first `feedback.TAIL_AFTER` ordered by feedback (`feedback.tail`)."""
    node = evaluator.expand(node)
    matches = _matched(evaluator, node, explain=explain and not expand)
    if expand and len(matches.docnums):
        top = _order(matches, "relevance", needed=min(feedback.DOCUMENTS, len(matches.docnums)))[:feedback.DOCUMENTS]
        node = feedback.expanded(evaluator, node, matches.docnums[top], matches.scores[top],
                                 query_terms=len(scored_terms(node)))
        matches = _matched(evaluator, node, explain=explain)
    elif tail and len(matches.docnums) > feedback.TAIL_AFTER:
        matches = _with_tail(evaluator, matches, query_terms=len(scored_terms(node)), explain=explain)
    return matches


def _with_tail(evaluator: Evaluator, matches: _Matches, *, query_terms: int, explain: bool) -> _Matches:
    """The matches with the query's first `feedback.TAIL_AFTER` leading as they were and the others scored
    with feedback's model: only the model's terms are read and scored, the query's scores are reused."""
    top = _order(matches, "relevance", needed=max(feedback.TAIL_AFTER, feedback.TAIL_DOCUMENTS))
    model = feedback.tail(evaluator, matches.docnums[top], matches.scores[top], query_terms=query_terms)
    if model is None:
        return matches
    found = [rescored(base, extra, feedback.TAIL_WEIGHT)
             for base, extra in zip(matches.found, evaluator.match(model, explain=explain))]
    scores = _scores(found, matches.masks)
    first = top[:feedback.TAIL_AFTER]
    # The hits after the tenth show below it. Feedback's words can outweigh a query of common words (whose
    # idf is near its floor), so where one would score above the tenth hit, the whole tail is scaled down
    # alike: its order stays, and its explanations still add up.
    tenth, rest = float(matches.scores[first].min()), np.delete(scores, first)
    if tenth > 0 and len(rest) and float(rest.max()) >= tenth:
        found = [scaled(match, tenth / float(rest.max()) * _STRICTLY_BELOW) for match in found]
        scores = _scores(found, matches.masks)
    scores[first] = matches.scores[first]
    return replace(matches, scores=scores, found=found, first=first, first_found=matches.found)


# a factor that keeps a scaled score under its bound whatever float32 rounding does (a few units in the last place)
_STRICTLY_BELOW = 1 - 1e-6


def _scores(found: list[Match], masks: list[np.ndarray]) -> np.ndarray:
    """The scores of the matching documents, segment after segment (the order of `_Matches.docnums`)."""
    return np.concatenate([match.scores[np.flatnonzero(mask)] for match, mask in zip(found, masks)])


def _matched(evaluator: Evaluator, node: Node, *, explain: bool) -> _Matches:
    docnums, scores, published, masks = [], [], [], []
    matched = evaluator.match(node, explain=explain)
    for seg, found in zip(evaluator.segments, matched):
        mask = found.mask & seg.live
        local = np.flatnonzero(mask)
        masks.append(mask)
        docnums.append(local + seg.offset)
        scores.append(found.scores[local])
        published.append(seg.numbers("published")[local])
    empty = np.zeros(0, dtype=np.int64)
    return _Matches(np.concatenate(docnums) if docnums else empty,
                    np.concatenate(scores) if scores else np.zeros(0, dtype=np.float32),
                    np.concatenate(published) if published else empty, masks, positive_terms(node), matched)


def _order(matches: _Matches, sort: str, *, needed: int) -> np.ndarray:
    """Positions into `matches`, best first; at least the first `needed` are exact, the rest may be cut. By
    relevance, the positions `matches.first` lead."""
    if sort != "relevance" or not len(matches.first):
        return _sorted(matches, sort, np.arange(len(matches.docnums)), needed=needed)
    rest = np.delete(np.arange(len(matches.docnums)), matches.first)
    return np.concatenate([matches.first, _sorted(matches, sort, rest, needed=max(needed - len(matches.first), 1))])


def _sorted(matches: _Matches, sort: str, positions: np.ndarray, *, needed: int) -> np.ndarray:
    """`positions` (into `matches`) best first, as `_order` gives them."""
    scores, published, docnums = matches.scores[positions], matches.published[positions], matches.docnums[positions]
    known = published != MISSING
    if sort == "relevance":
        primary = -scores.astype(np.float64)
        keys = (docnums, np.where(known, -published, np.iinfo(np.int64).max), primary)
    elif sort == "newest":
        primary = np.where(known, -published, np.iinfo(np.int64).max).astype(np.float64)
        keys = (docnums, -scores, primary)
    else:
        primary = np.where(known, published, np.iinfo(np.int64).max).astype(np.float64)
        keys = (docnums, -scores, primary)
    if needed < len(docnums) // 4:
        # only the top of a large result set is shown: sort those that can reach it (ties included)
        cut = np.partition(primary, needed - 1)[needed - 1]
        chosen = np.flatnonzero(primary <= cut)
        return positions[chosen[np.lexsort(tuple(k[chosen] for k in keys))]]
    return positions[np.lexsort(keys)]


def _hit(evaluator: Evaluator, matches: _Matches, position: int, *, explained: bool = False) -> Hit:
    """The hit at a position into `matches`, with its explanation if asked."""
    docnum = int(matches.docnums[position])
    release = evaluator.index.release_at(docnum)
    text, marks = snippet(release.body or release.lead or release.title, matches.terms)
    explanation = None
    if explained:
        number = _segment_of(evaluator, docnum)
        seg = evaluator.segments[number]
        found = matches.first_found if matches.first_found is not None and position in matches.first.tolist() \
            else matches.found
        explanation = explain(evaluator, found[number], seg, docnum - seg.offset)
    return Hit(id=release.id, score=float(matches.scores[position]), title=release.title, url=release.url,
               published=release.published, agency=release.agency, source=release.source, dateline=release.dateline,
               snippet=text, highlights=marks, cluster=release.cluster, explanation=explanation, release=release)


def _segment_of(evaluator: Evaluator, docnum: int) -> int:
    """The number of the segment holding a global document number."""
    return int(np.searchsorted(evaluator.offsets, docnum, side="right")) - 1


def _clusters(evaluator: Evaluator, matches: _Matches, order: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each cluster's representative, as a position into matches, best first; each one's number of copies;
    every match's cluster key, by position). A match without a cluster is a story of its own.

    Keys are numbers, so the grouping is numpy's: a cluster's name is looked up once per segment it is in,
    never once per match (a search for everything at 100k releases groups 100k matches)."""
    keys = np.empty(len(matches.docnums), dtype=np.int64)
    numbers: dict[str, int] = {}
    at = 0
    for seg, mask in zip(evaluator.segments, matches.masks):
        codes, table = seg.codes("cluster")
        used, inverse = np.unique(codes[mask], return_inverse=True)
        named = np.asarray([numbers.setdefault(table[code], len(numbers)) if table[code] else -1
                            for code in used.tolist()], dtype=np.int64)
        found = named[inverse.reshape(-1)] if len(used) else np.zeros(0, dtype=np.int64)
        alone = np.flatnonzero(found < 0)
        found[alone] = -(at + alone) - 1  # its own key, below every cluster's
        keys[at:at + len(found)] = found
        at += len(found)
    _, first, copies = np.unique(keys[order], return_index=True, return_counts=True)
    best_first = np.argsort(first, kind="stable")
    return order[first[best_first]], copies[best_first], keys


def _copy_sources(evaluator: Evaluator, matches: _Matches, order: np.ndarray, keys: np.ndarray,
                  position: int) -> list[str]:
    """The sources of a representative's cluster among the matches, in rank order, each once."""
    sources: list[str] = []
    for member in order[keys[order] == keys[position]].tolist():
        docnum = int(matches.docnums[member])
        seg = evaluator.segments[_segment_of(evaluator, docnum)]
        codes, table = seg.codes("source")
        source = table[codes[docnum - seg.offset]]
        if source and source not in sources:
            sources.append(source)
    return sources


def _plain_terms(node: Node) -> list[Term]:
    if isinstance(node, Term) and node.field is None and node.word:
        return [node]
    if isinstance(node, (And, Or)):
        return [t for item in node.items if not isinstance(item, Not) for t in _plain_terms(item)]
    return []


def _suggest(evaluator: Evaluator, query: str, typed: Node) -> str | None:
    """The query with each word the index does not know replaced by the closest common one it does.

    A word typed with a capital letter is a name or an acronym: it is replaced only by a word the releases
    write with a capital too, never by a common word ("Arrow Exploration" is not "arrive Exploration")."""
    index = evaluator.index
    suggestion, changed = query, False
    for term in _plain_terms(typed):
        if any(index.doc_frequency(name, term.text) for name in ("title", "body")):
            continue
        distance = 1 if len(term.text) <= 4 else 2
        near = [(index.doc_frequency("body", c), c) for c in index.terms_within("body", term.text, distance, prefix=1)]
        if not near:
            continue
        forms = _surfaces(evaluator, max(near)[1])
        if not forms:
            continue
        if term.word[:1].isupper():
            if not all(form[:1].isupper() for form in forms):
                continue
            word = forms[0]
        else:
            word = forms[0].lower()
        suggestion = re.sub(rf"(?<!\w){re.escape(term.word)}(?!\w)", word, suggestion, count=1)
        changed = True
    return suggestion if changed and suggestion != query else None


_SURFACE_DOCUMENTS = 3  # releases read for the ways a stem is written


def _surfaces(evaluator: Evaluator, stem: str) -> list[str]:
    # the index holds stems ("manufactur"); the words as releases write them ("Manufacturers", "manufacturers")
    forms = []
    for docnum in evaluator.index.documents_with("body", stem).tolist()[:_SURFACE_DOCUMENTS]:
        release = evaluator.index.release_at(docnum)
        text = f"{release.lead}\n{release.body}"
        forms.extend(text[start:end] for _, start, end in spans(text, {stem}))
    return forms


def run(index: Index, request: SearchRequest) -> Results:
    """One search. QueryError for a bad query, filter, facet, sort or date."""
    return _run(Evaluator(index), request)


@dataclass
class _Page:
    """A request's matches, their facets, and the hits of the page asked for as positions into the matches
    (with collapse, the positions of their clusters' representatives)."""

    typed: Node  # the query as typed
    node: Node  # with the filters and dates
    matches: _Matches
    shown: np.ndarray
    counted: dict[str, list[tuple[str, int]]]
    more: dict[str, int]
    clusters: int | None = None  # with collapse: the clusters of the matches
    copies: list[int] = field(default_factory=list)  # with collapse: the size of each shown hit's cluster
    full: np.ndarray | None = None  # with collapse: every match in order, and each one's cluster key
    keys: np.ndarray | None = None


def _paged(evaluator: Evaluator, request: SearchRequest) -> _Page:
    typed, node = _plan(request)
    # the first hits are the query's own with feedback over the tail or without: it is made only when hits
    # after them are shown (or their clusters' may be)
    tail = request.sort == "relevance" and (request.collapse or request.page * request.limit > feedback.TAIL_AFTER)
    matches = _match(evaluator, node, expand=request.expand, explain=request.explain, tail=tail)
    counted, more = facet_counts.count(evaluator.segments, matches.masks, request.facets, top=request.facet_limit) \
        if request.facets else ({}, {})
    first, last = (request.page - 1) * request.limit, request.page * request.limit
    if request.collapse and len(matches.docnums):
        full = _order(matches, request.sort, needed=len(matches.docnums))
        representatives, copies, keys = _clusters(evaluator, matches, full)
        return _Page(typed, node, matches, representatives[first:last], counted, more, len(representatives),
                     copies[first:last].tolist(), full, keys)
    order = _order(matches, request.sort, needed=min(len(matches.docnums), last)) \
        if len(matches.docnums) else np.zeros(0, dtype=np.int64)
    return _Page(typed, node, matches, order[first:last], counted, more, 0 if request.collapse else None)


def _run(evaluator: Evaluator, request: SearchRequest) -> Results:
    started = time.perf_counter()
    page = _paged(evaluator, request)
    matches = page.matches
    hits = [_hit(evaluator, matches, position, explained=request.explain) for position in page.shown.tolist()]
    if page.full is not None and page.keys is not None:
        hits = [_with_copies(hit, count, _copy_sources(evaluator, matches, page.full, page.keys, position))
                for hit, count, position in zip(hits, page.copies, page.shown.tolist())]
    total = len(matches.docnums)
    return Results(query=request.query, total=total, page=request.page, hits=tuple(hits), facets=page.counted,
                   facets_more=page.more, suggestion=_suggest(evaluator, request.query, page.typed),
                   clusters=page.clusters, took_ms=(time.perf_counter() - started) * 1000,
                   reason=None if total else _why_none(evaluator, page.typed, page.node))


def _why_none(evaluator: Evaluator, typed: Node, node: Node) -> str | None:
    """Why a search found nothing, when it is not the query's words: an empty index, or filters and dates
    that leave out every release the query matches."""
    if not evaluator.index.document_count():
        return "the index holds no releases yet: run `wiredesk ingest` or `wiredesk import FILE` first"
    if node is not typed:
        found = len(_match(evaluator, typed).docnums)
        if found:
            return (f"{found} release{'s' if found != 1 else ''} match{'es' if found == 1 else ''} the query, "
                    "but none passes the filters and dates given")
    return None


def _with_copies(hit: Hit, copies: int, sources: list[str]) -> Hit:
    return replace(hit, copies=copies, copy_sources=tuple(sources))


def _ids(evaluator: Evaluator, docnums: np.ndarray) -> list[str]:
    """The ids of global document numbers, read from the segments' id columns (`batch`): a stored release to
    unpack for each would cost most of a query. The segments are found for all the numbers at once."""
    ids = []
    numbers = np.searchsorted(evaluator.offsets, docnums, side="right") - 1
    for docnum, number in zip(docnums.tolist(), numbers.tolist()):
        seg = evaluator.segments[number]
        codes, table = seg.codes("id")
        ids.append(table[codes[docnum - seg.offset]])
    return ids


def matching_ids(index: Index, request: SearchRequest, ids: Iterable[str]) -> list[str]:
    """Which of `ids` (in their order) a request's query, filters and dates match; limit, page, sort and
    facets play no part. One evaluation for any number of ids: alerts check every commit's new releases."""
    evaluator = Evaluator(index)
    _, node = _plan(request)
    matched = _match(evaluator, node).docnums
    found = []
    for id in dict.fromkeys(ids):
        docnum = evaluator.index.document_number(id)
        if docnum is not None:
            found.append((id, docnum))
    hit = np.isin(np.array([docnum for _, docnum in found], dtype=np.int64), matched)
    return [id for (id, _), yes in zip(found, hit.tolist()) if yes]


def export(index: Index, request: SearchRequest) -> Iterator[Hit]:
    """Every hit of a request, in its order (`limit` and `page` ignored), for --jsonl and --csv."""
    evaluator = Evaluator(index)
    _, node = _plan(request)
    matches = _match(evaluator, node, expand=request.expand, tail=request.sort == "relevance")
    if not len(matches.docnums):
        return
    for position in _order(matches, request.sort, needed=len(matches.docnums)):
        yield _hit(evaluator, matches, position)


def batch(index: Index, lines: Iterable[str], *, request: SearchRequest = SearchRequest()) -> Iterator[dict]:
    """`qid<TAB>query` lines -> {"qid", "total", "took_ms", "hits": [{"id", "score"}]}, one snapshot for all.

    Each line's query is searched as `request` says (its filters, dates, sort, page, limit, collapse,
    expansion; with facets, each row has "facets" too). A bad query, or a line whose query is empty when
    there is no filter or date to search by, gives its row total 0 and an "error"; the batch goes on.
    Blank lines are skipped; a line without a tab is a query whose qid is its line number.
    """
    _plan(request)  # a bad filter, facet, sort or date is the whole batch's error, raised before any line
    evaluator = Evaluator(index)
    filtered = bool(request.filters or request.since or request.until)
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        qid, tab, query = line.partition("\t")
        if not tab:
            qid, query = str(number), line
        started = time.perf_counter()
        try:
            if not query.strip() and not filtered:
                raise QueryError("the line holds no query (an empty query would match every release)")
            page = _paged(evaluator, replace(request, query=query))
            # ids and scores are all a row shows: no Hit is made
            hits = [{"id": id, "score": round(score, 4)} for id, score in
                    zip(_ids(evaluator, page.matches.docnums[page.shown]), page.matches.scores[page.shown].tolist())]
        except QueryError as exc:
            yield {"qid": qid, "total": 0, "took_ms": round((time.perf_counter() - started) * 1000, 3), "hits": [],
                   "error": str(exc)}
            continue
        took = round((time.perf_counter() - started) * 1000, 3)
        row = {"qid": qid, "total": len(page.matches.docnums), "took_ms": took, "hits": hits}
        if request.facets:
            shown = Results(query=query, total=row["total"], page=request.page, hits=(), facets=page.counted,
                            facets_more=page.more).to_dict()
            row.update(facets=shown["facets"], facets_more=shown["facets_more"])
        yield row
