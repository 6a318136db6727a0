"""Search latency of the query mix: wiredesk in-process and through `search --batch`, beside FTS5.

In-process, one open index and one open FTS5 database answer every query in four modes (wiredesk and
FTS5, each without and with the facets agency, country and month). The modes are interleaved query by
query, after one untimed warm-up pass, so that a busy spell of the shared machine slows all four alike
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

__all__ = ["MODES", "batch_latency", "percentiles", "search_latency"]

MODES = ("wiredesk", "wiredesk+facets", "fts5", "fts5+facets")


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 (nearest rank), mean and max of millisecond samples."""
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"p50": round(rank(50), 2), "p95": round(rank(95), 2), "p99": round(rank(99), 2),
            "mean": round(sum(ordered) / len(ordered), 2), "max": round(ordered[-1], 2)}


def search_latency(index_root: Path, fts_db: Path, queries: Sequence[Query]) -> tuple[dict[str, object], dict[str, int]]:
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
    for query in queries:  # warm-up: segment arrays, column caches, SQLite's page cache
        for call in calls.values():
            call(query)
    samples: dict[str, list[float]] = {mode: [] for mode in MODES}
    totals: dict[str, dict[str, int]] = {mode: {} for mode in MODES}
    for query in queries:
        for mode, call in calls.items():
            started = time.perf_counter()
            totals[mode][query.qid] = call(query)
            samples[mode].append((time.perf_counter() - started) * 1000)
    fts.close()
    index.close()

    summary = {mode: percentiles(samples[mode]) for mode in MODES}
    kinds = sorted({q.kind for q in queries})
    by_kind = {kind: {mode: percentiles([s for q, s in zip(queries, samples[mode]) if q.kind == kind])["p95"]
                      for mode in MODES} for kind in kinds}
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
        "ratios": ratios,
        "slowest_with_facets": [{"qid": q.qid, "ms": round(ms, 1), "query": q.text, "total": totals["wiredesk"][q.qid]}
                                for ms, q in slowest],
        # the two engines stem and tokenise differently; this shows they do comparable work all the same
        "totals_equal": same,
        "totals_within_5pct": close,
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
