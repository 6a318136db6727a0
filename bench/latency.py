"""Search latency of the query mix: wiredesk in-process and through `search --batch`, beside FTS5 and tantivy.

In-process, one open index, one open FTS5 database and (when the tantivy package is installed) one open
tantivy index answer every query, each without and with the facets agency, country and month. The modes are
interleaved query by query, after one untimed warm-up pass, so that a busy spell of the shared machine slows all four alike
and the ratios stay fair. Each sample is the wall time of the whole call, hits and snippets included.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .fts5 import FACETS, Fts5
from .importing import wiredesk_command
from .measure import run_child
from .queries import Query

__all__ = ["MODES", "KINDS", "batch_latency", "percentiles", "search_latency"]

MODES = ("wiredesk", "wiredesk+facets", "fts5", "fts5+facets")
KINDS = ("keywords", "phrase", "filter", "dates", "3 facets")  # the last: every query, with three facets


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 (nearest rank), mean and max of millisecond samples."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": round(rank(50), 2), "p95": round(rank(95), 2), "p99": round(rank(99), 2),
            "mean": round(sum(ordered) / len(ordered), 2), "max": round(ordered[-1], 2)}


def _by_kind(queries: Sequence[Query], samples: dict[str, list[float]]) -> dict[str, dict[str, dict[str, float]]]:
    """{kind: {engine: {"p50", "p95"}}}: each kind without facets, and "3 facets" over every query."""
    engines = [mode for mode in samples if "+" not in mode]
    found: dict[str, dict[str, dict[str, float]]] = {}
    for kind in KINDS:
        if kind == "3 facets":
            picked = {engine: samples[f"{engine}+facets"] for engine in engines}
        elif any(q.kind == kind for q in queries):
            picked = {engine: [s for q, s in zip(queries, samples[engine]) if q.kind == kind] for engine in engines}
        else:
            continue
        found[kind] = {engine: {p: figures[p] for p in ("p50", "p95")}
                       for engine, figures in ((e, percentiles(v)) for e, v in picked.items())}
    return found


def search_latency(index_root: Path, fts_db: Path, queries: Sequence[Query],
                   tantivy_folder: Path | None = None) -> tuple[dict[str, object], dict[str, int]]:
    """(the figures, wiredesk's total per qid, for checking the batch path against)."""
    from wiredesk.index import open_index
    from wiredesk.search import SearchRequest, run

    index = open_index(index_root, create=False)
    fts = Fts5(fts_db)
    calls: dict[str, Callable[[Query], int]] = {
        "wiredesk": lambda q: run(index, SearchRequest(query=q.text)).total,
        "wiredesk+facets": lambda q: run(index, SearchRequest(query=q.text, facets=FACETS)).total,
        "fts5": lambda q: fts.search(q, facets=False).total,
        "fts5+facets": lambda q: fts.search(q, facets=True).total,
    }
    if tantivy_folder is not None:
        from .tantivy_baseline import Tantivy

        tantivy = Tantivy(tantivy_folder)
        calls["tantivy"] = lambda q: tantivy.search(q, facets=False).total
        calls["tantivy+facets"] = lambda q: tantivy.search(q, facets=True).total
    for query in queries:  # warm-up: segment arrays, column caches, SQLite's page cache
        for call in calls.values():
            call(query)
    samples: dict[str, list[float]] = {mode: [] for mode in calls}
    totals: dict[str, dict[str, int]] = {mode: {} for mode in calls}
    for query in queries:
        for mode, call in calls.items():
            started = time.perf_counter()
            totals[mode][query.qid] = call(query)
            samples[mode].append((time.perf_counter() - started) * 1000)
    fts.close()
    index.close()

    summary = {mode: percentiles(samples[mode]) for mode in calls}
    kinds = sorted({q.kind for q in queries})
    by_kind = {kind: {mode: percentiles([s for q, s in zip(queries, samples[mode]) if q.kind == kind])["p95"]
                      for mode in calls} for kind in kinds}
    ratios = {f"{mine}/{theirs}": {p: round(summary[mine][p] / max(summary[theirs][p], 1e-3), 2)
                                   for p in ("p50", "p95", "p99")}
              for mine, theirs in (("wiredesk", "fts5"), ("wiredesk+facets", "fts5+facets"))}
    slowest = sorted(zip(samples["wiredesk+facets"], queries), key=lambda pair: -pair[0])[:5]
    same = sum(totals["wiredesk"][q.qid] == totals["fts5"][q.qid] for q in queries)
    close = sum(abs(totals["wiredesk"][q.qid] - totals["fts5"][q.qid]) <= 0.05 * max(totals["fts5"][q.qid], 1)
                for q in queries)
    figures = {
        "queries": len(queries),
        "modes": summary,
        "p95_by_kind": by_kind,
        "kinds": _by_kind(queries, samples),
        "ratios": ratios,
        "slowest_with_facets": [{"qid": q.qid, "ms": round(ms, 1), "query": q.text, "total": totals["wiredesk"][q.qid]}
                                for ms, q in slowest],
        # the two engines stem and tokenise differently; this shows they do comparable work all the same
        "totals_equal": same,
        "totals_within_5pct": close,
        "tantivy_totals_equal": (sum(totals["wiredesk"][q.qid] == totals["tantivy"][q.qid] for q in queries)
                                 if "tantivy" in totals else None),
        "median_total": sorted(totals["wiredesk"].values())[len(queries) // 2],
    }
    return figures, totals["wiredesk"]


def batch_latency(config: Path, queries: Sequence[Query], work: Path,
                  expected: dict[str, int] | None = None) -> dict[str, object]:
    """`wiredesk search --batch`: the took_ms it reports per query, and the child's wall time."""
    lines = work / "queries.tsv"
    lines.write_text("".join(f"{q.qid}\t{q.text}\n" for q in queries), encoding="utf-8")
    run = run_child([*wiredesk_command(), "--config", str(config), "search", "--batch", str(lines),
                     "--limit", "10"]).check("search --batch")
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    errors = [row for row in rows if "error" in row]
    mismatched = [row["qid"] for row in rows if expected and expected.get(row["qid"]) != row["total"]]
    return {
        "took_ms": percentiles([row["took_ms"] for row in rows]),
        "wall_seconds": round(run.seconds, 2),
        "peak_rss_mb": round(run.peak_rss / 1e6, 1),
        "errors": len(errors),
        "totals_differ_from_in_process": len(mismatched),
    }
