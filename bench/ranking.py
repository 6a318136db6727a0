"""Ranking quality on every judged collection beside the checkout (`../shared/fixtures/ir-*`), next to
SQLite FTS5: `python -m bench ranking`.

Each collection goes through `../shared/tools/ir_eval.py`, which imports it into a temporary home with the
`wiredesk` of this Python's environment, runs every judged query with `search --batch`, and ranks the same
documents and queries with FTS5's bm25. A clone without `../shared` has no collections: the mode says so
and prints no table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

__all__ = ["collections", "evaluate", "table"]

_SYSTEM_LINE = re.compile(r"^system=(\S+) (.*)$")


def collections(shared: Path) -> list[Path]:
    """The judged collections under `shared`/fixtures, by name."""
    return sorted(path for path in (shared / "fixtures").glob("ir-*") if (path / "qrels").is_dir())


def evaluate(shared: Path, collection: Path, wiredesk: Path) -> dict[str, dict[str, str]]:
    """{"wiredesk": {"ndcg@10": ..., "recall@100": ..., "p95_ms": ...}, "fts5": {...}} for one collection."""
    command = [sys.executable, str(shared / "tools" / "ir_eval.py"), str(collection), "--", str(wiredesk)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RuntimeError(f"ir_eval.py on {collection.name} exited {done.returncode}: {last}")
    found: dict[str, dict[str, str]] = {}
    for line in done.stdout.splitlines():
        match = _SYSTEM_LINE.match(line.strip())
        if match:
            found[match[1]] = dict(pair.split("=", 1) for pair in match[2].split())
    return found


def table(results: dict[str, dict[str, dict[str, str]]]) -> str:
    """One row per collection: nDCG@10 and Recall@100 of wiredesk and FTS5, and wiredesk's query p95."""
    header = ("collection", "queries", "wiredesk nDCG@10", "FTS5 nDCG@10", "wiredesk R@100", "FTS5 R@100",
              "wiredesk p95 ms", "FTS5 p95 ms")
    rows = [header]
    for name, systems in results.items():
        ours, fts5 = systems.get("wiredesk", {}), systems.get("fts5", {})
        rows.append((name, ours.get("queries", "").split("/")[-1], ours.get("ndcg@10", ""), fts5.get("ndcg@10", ""),
                     ours.get("recall@100", ""), fts5.get("recall@100", ""), ours.get("p95_ms", ""),
                     fts5.get("p95_ms", "")))
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join(" --- " for _ in header) + "|")
    return "\n".join(lines)


def main(shared: Path) -> int:
    """Print the table; 0 when done or when there is nothing to rank on."""
    found = collections(shared) if (shared / "tools" / "ir_eval.py").is_file() else []
    if not found:
        print(f"ranking: no judged collections under {shared} (fixtures/ir-*, tools/ir_eval.py); skipped",
              file=sys.stderr)
        return 0
    wiredesk = Path(sys.executable).parent / "wiredesk"
    results = {}
    for collection in found:
        print(f"ranking: {collection.name}", file=sys.stderr, flush=True)
        results[collection.name.removeprefix("ir-")] = evaluate(shared, collection, wiredesk)
    print(table(results))
    return 0
