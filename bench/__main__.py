"""`python -m bench [COMMAND ...]`: run benchmarks, print the table, write --json (and RESULTS.md on request).

    python -m bench all                                   everything at 10k (ingestion after the first size)
    python -m bench search --sizes 10000,100000 --results search latency at both sizes, into RESULTS.md
    python -m bench ingest fetch                          the loopback ingestion benchmarks only
    python -m bench import search --docs /tmp/reuters/docs.jsonl   a real corpus (JSON lines) and its own query mix
    python -m bench entities                              entities against reuters-dev's codes (its own options)
    python -m bench ranking                               nDCG@10 and Recall@100 on ../shared's collections, beside FTS5
    python -m bench web --sizes 100000 --results          the search page of `wiredesk serve`, whole, over HTTP

Search latency puts wiredesk beside SQLite FTS5 and, when the tantivy package is installed (the `bench`
extra), tantivy.

Corpora, indexes and the FTS5 baseline are built under --out once and reused; `import` always builds
a fresh index (it is what it measures). `search` and `cli` reuse the index unless index/'s
SCHEMA_VERSION changed since it was built, or `--fresh` is given (do so after any change to index/).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import fts5, report, tantivy_baseline
from .corpus import Corpus, describe, write_corpus
from .importing import home_for, import_corpus, index_is_current
from .measure import machine

COMMANDS = ("corpus", "import", "search", "cli", "web", "fetch", "ingest")
SIZE_COMMANDS = ("corpus", "import", "search", "cli", "web")
HERE = Path(__file__).resolve().parent


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commands", nargs="+", choices=("all", *COMMANDS), metavar="COMMAND",
                        help="all, or any of: " + ", ".join(COMMANDS))
    parser.add_argument("--sizes", default="10000", help="corpus sizes, comma-separated (default: 10000)")
    parser.add_argument("--docs", type=Path, action="append", default=[],
                        help="a real corpus as JSON lines (id, title, body, ...; or BEIR's _id, title, text) instead "
                             "of the generated one; repeat for several")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work folder (default: bench/out/)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--results", action="store_true",
                        help="merge the figures into OUT/results.json and rewrite the figures block of bench/RESULTS.md")
    parser.add_argument("--seed", type=int, default=7, help="corpus and query seed (default: 7)")
    parser.add_argument("--pages", type=int, default=2000, help="pages on the loopback site (default: 2000)")
    parser.add_argument("--stage-pages", type=int, default=400, help="pages for the stage-alone timings (default: 400)")
    parser.add_argument("--runs", type=int, default=15, help="runs per CLI start timing (default: 15)")
    parser.add_argument("--import-runs", type=int, default=3,
                        help="imports per size, the median kept: one run on a shared VM can be a third off (default: 3)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the index even where one exists")
    parser.add_argument("--shared", action="store_true", help="note that the cores were shared with other work")
    args = parser.parse_args(argv)
    if args.results:
        _check_merge(parser, args.out / "results.json")
    args.commands = COMMANDS if "all" in args.commands else tuple(c for c in COMMANDS if c in args.commands)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    return args


def _say(text: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def _import_section(args: argparse.Namespace, corpus: Path, home: Path, count: int, label: str) -> dict[str, Any]:
    """Import the corpus into `home` (the median of --import-runs runs) when asked, or when a search needs an
    index and the one there is missing, stale or --fresh is given."""
    needs_index = any(command in args.commands for command in ("search", "cli", "web"))
    if not ("import" in args.commands or (needs_index and (args.fresh or not index_is_current(home)))):
        return {}
    runs = []
    for run in range(args.import_runs if "import" in args.commands else 1):
        _say(f"import {label}, run {run + 1}")
        runs.append(import_corpus(corpus, home, size=count))
    return {"import": {**sorted(runs, key=lambda r: r["docs_per_s"])[len(runs) // 2],
                       "docs_per_s_runs": [r["docs_per_s"] for r in runs]}}


def _size_sections(args: argparse.Namespace, size: int) -> dict[str, Any]:
    from .queries import query_mix
    from .startup import cli_start

    found: dict[str, Any] = {}
    _say(f"corpus {size}")
    corpus = write_corpus(args.out, size, seed=args.seed)
    if "corpus" in args.commands:
        found["corpus"] = describe(corpus)
    home = home_for(args.out, size, args.seed)
    found.update(_import_section(args, corpus, home, size, str(size)))
    config = home / "config.toml"
    queries = query_mix(Corpus(args.seed).vocabulary, seed=args.seed)
    if "search" in args.commands:
        found.update(_search_sections(args, corpus, home, queries, str(size)))
    if "cli" in args.commands:
        _say(f"CLI start {size}")
        query = next(q.text for q in queries if q.kind == "keywords" and len(q.words) == 2)
        found["cli"] = cli_start(config, query, runs=args.runs)
    if "web" in args.commands:
        found.update(_web_section(config, queries, str(size)))
    return found


def _web_section(config: Path, queries: list, label: str) -> dict[str, Any]:
    from .web import page_latency

    _say(f"web pages {label}")
    return {"web": page_latency(config, queries)}


def _search_sections(args: argparse.Namespace, corpus: Path, home: Path, queries: list, label: str) -> dict[str, Any]:
    """The baselines' builds, then search latency of the mix in-process and through `search --batch`."""
    from .latency import batch_latency, search_latency

    found: dict[str, Any] = {}
    stem = corpus.stem.removeprefix("corpus-")
    _say(f"FTS5 baseline {label}")
    db = args.out / f"fts5-{stem}.sqlite"
    found["fts5_build"] = fts5.build(corpus, db)
    folder = None
    if tantivy_baseline.available():
        _say(f"tantivy baseline {label}")
        folder = args.out / f"tantivy-{stem}"
        found["tantivy_build"] = tantivy_baseline.build(corpus, folder)
    _say(f"search latency {label}")
    found["search"], totals = search_latency(home / "index", db, queries, folder)
    found["batch"] = batch_latency(home / "config.toml", queries, args.out, expected=totals)
    return found


def _docs_sections(args: argparse.Namespace, source: Path) -> dict[str, Any]:
    from .docs import docs_query_mix, normalise
    from .startup import cli_start

    label = source.parent.name or source.stem
    found: dict[str, Any] = {}
    corpus = normalise(source, args.out)
    count = sum(1 for _ in corpus.open(encoding="utf-8"))
    home = args.out / f"home-docs-{label}"
    found.update(_import_section(args, corpus, home, count, label))
    queries = docs_query_mix(corpus, seed=args.seed)
    if "search" in args.commands:
        found.update(_search_sections(args, corpus, home, queries, label))
    if "cli" in args.commands:
        _say(f"CLI start {label}")
        query = next(q.text for q in queries if q.kind == "keywords" and len(q.words) == 2)
        found["cli"] = cli_start(home / "config.toml", query, runs=args.runs)
    if "web" in args.commands:
        found.update(_web_section(home / "config.toml", queries, label))
    return found


def _ingest_sections(args: argparse.Namespace) -> dict[str, Any]:
    from .ingestion import fetch_stage, ingest_e2e, stages_alone
    from .server import Site

    corpus = Corpus(args.seed)
    found: dict[str, Any] = {}
    with Site([corpus.release(i) for i in range(args.pages)]) as site:
        if "fetch" in args.commands:
            _say("fetch stage alone")
            found["fetch"] = fetch_stage(site)
        if "ingest" in args.commands:
            _say("end-to-end ingest")
            found["e2e"] = ingest_e2e(site, args.out)
            _say("stages alone")
            found["stages"] = stages_alone(site, args.out, pages=args.stage_pages)
    return found


def _check_merge(parser: argparse.ArgumentParser, path: Path) -> None:
    """Refuse --results, before anything runs, where the merge file lacks runs the figures block shows."""
    known = len(json.loads(path.read_text())["runs"]) if path.exists() else 0
    listed = report.runs_listed(HERE / "RESULTS.md")
    if known < listed:
        parser.error(f"--results would drop figures of the {listed} runs bench/RESULTS.md shows: {path} holds "
                     f"{known} (run with --out where their file is, write this run's with --json FILE, or empty "
                     "the block to start it anew)")


def _merge(path: Path, results: dict[str, Any]) -> dict[str, Any]:
    """The figures of earlier runs with this run's sections laid over them; `taken` names each one's run."""
    merged = json.loads(path.read_text()) if path.exists() else {"runs": [], "sizes": {}, "ingest": {}, "taken": {}}
    run_id = len(merged["runs"])
    merged["runs"].append({key: results[key] for key in ("date", "command", "machine", "shared")})
    for size, sections in results["sizes"].items():
        for name, figures in sections.items():
            merged["sizes"].setdefault(size, {})[name] = figures
            merged["taken"][f"{size}/{name}"] = run_id
    for name, figures in results["ingest"].items():
        merged["ingest"][name] = figures
        merged["taken"][f"ingest/{name}"] = run_id
    merged["machine"] = results["machine"]
    return merged


def _fetch_child(argv: list[str]) -> None:
    from .ingestion import fetch_child

    parser = argparse.ArgumentParser(prog="python -m bench fetch-child")
    parser.add_argument("--base", required=True)
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--fetch", default="{}", help="[fetch] keys as a JSON object")
    args = parser.parse_args(argv)
    print(json.dumps(fetch_child(args.base, args.pages, json.loads(args.fetch))))


def _ranking(argv: list[str]) -> None:
    from .ranking import main as ranking

    parser = argparse.ArgumentParser(prog="python -m bench ranking",
                                     description="Ranking quality on every ../shared/fixtures/ir-* collection, "
                                                 "beside SQLite FTS5 (skipped without ../shared).")
    parser.add_argument("--shared-dir", type=Path, default=HERE.parent.parent / "shared",
                        help="the shared material beside the checkout (default: ../shared)")
    args = parser.parse_args(argv)
    sys.exit(ranking(args.shared_dir))


def main(argv: list[str]) -> None:
    if argv[:1] == ["fetch-child"]:  # internal: the fetch stage in a process of its own, for its memory
        _fetch_child(argv[1:])
        return
    if argv[:1] == ["entities"]:  # a quality measure, not a speed one: its own options and table
        from .entities import main as entities_main

        entities_main(argv[1:])
        return
    if argv[:1] == ["ranking"]:  # quality, not speed: none of the sizes, corpora or results files
        _ranking(argv[1:])
        return
    args = _arguments(argv)
    results: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python -m bench " + shlex.join(argv),
        "machine": machine(),
        "shared": args.shared,
        "sizes": {},
        "ingest": {},
    }
    for source in args.docs:
        results["sizes"][f"docs:{source.parent.name or source.stem}"] = _docs_sections(args, source)
    for number, size in enumerate(sorted(args.sizes) if not args.docs else []):
        if any(c in args.commands for c in SIZE_COMMANDS):
            results["sizes"][str(size)] = _size_sections(args, size)
        if number == 0 and ("fetch" in args.commands or "ingest" in args.commands):
            # after the smallest size, so a long large-size run comes last
            results["ingest"] = _ingest_sections(args)
    print(report.table(report.rows(results)))
    if args.json:
        report.write_json(args.json, results)
    if args.results:
        merged = _merge(args.out / "results.json", results)
        report.write_json(args.out / "results.json", merged)
        report.update_results(HERE / "RESULTS.md", merged)


if __name__ == "__main__":
    main(sys.argv[1:])
