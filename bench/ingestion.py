"""Ingestion from the loopback site: end to end through `wiredesk ingest`, then each stage alone.

- end to end: `wiredesk --config TMP ingest --json` against the site's RSS feed (delay 0, per_host
  raised, robots.txt obeyed), in a child process whose whole tree is watched for memory; the tree's RSS
  is noted as the site serves each quarter of its pages (500, 1,000, ... of 2,000), to show whether
  memory stays flat;
- fetch alone (issue 3): `ingest.Fetcher` in a child process (`python -m bench fetch-child`), bodies
  counted and dropped, at the shipped limits and with per_host raised;
- archive, extraction and indexing alone, in this process, on pages rendered by the site: the archive's
  `put_page`, `extract` on one core and on two processes, `IndexWriter.add` into a scratch index.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .importing import folder_bytes, wiredesk_command, write_config
from .measure import run_child
from .server import Site

__all__ = ["FETCH_VARIANTS", "fetch_child", "fetch_stage", "ingest_e2e", "stages_alone"]

# name -> ([fetch] keys, pages to fetch; None: all). The shipped delay of 0.5 s holds one host to two
# pages a second by design, so that variant is timed on a few pages only.
FETCH_VARIANTS: dict[str, tuple[dict[str, Any], int | None]] = {
    "shipped (delay 0.5, per_host 2)": ({}, 40),
    "delay 0, per_host 2": ({"delay": 0}, None),
    "delay 0, per_host 8": ({"delay": 0, "per_host": 8}, None),
    "delay 0, per_host 16, concurrency 16": ({"delay": 0, "per_host": 16, "concurrency": 16}, None),
}
E2E_FETCH = {"delay": 0, "per_host": 8, "concurrency": 8, "respect_robots": True, "timeout": 30}


def _marks(pages: int) -> tuple[int, ...]:
    """Where memory is noted: after a quarter, half, three quarters and all of the pages."""
    return tuple(sorted({max(1, pages * k // 4) for k in (1, 2, 3, 4)}))


def ingest_e2e(site: Site, work: Path) -> dict[str, Any]:
    home = work / "ingest-home"
    shutil.rmtree(home, ignore_errors=True)
    config = write_config(home, fetch=E2E_FETCH, sources=[{"name": "loopback", "kind": "feed",
                                                             "url": f"{site.base}/feed.xml"}])
    served_before = site.pages_served
    rss_at: dict[int, int] = {}
    marks = _marks(len(site.pages))

    def note(rss: int) -> None:
        served = site.pages_served - served_before
        for mark in marks:
            if served >= mark and mark not in rss_at:
                rss_at[mark] = rss

    run = run_child([*wiredesk_command(), "--config", str(config), "ingest", "--json"], on_poll=note).check("ingest")
    report = json.loads(run.stdout)
    pages = len(site.pages)
    errors = [e for s in report["sources"].values() for e in s["errors"]]
    first, last = min(rss_at, default=0), max(rss_at, default=0)
    return {
        "pages": pages,
        "indexed": report["indexed"],
        "errors": len(errors),
        "error_sample": errors[:3],
        "seconds": round(run.seconds, 2),
        "pages_per_s": round(report["indexed"] / run.seconds, 1),
        "peak_rss_mb": round(run.peak_rss / 1e6, 1),
        "peak_tree_rss_mb": round(run.peak_tree_rss / 1e6, 1),
        "tree_rss_mb_at_pages": {str(mark): round(rss / 1e6, 1) for mark, rss in sorted(rss_at.items())},
        # flat: the tree holds no more than 15% more at the last mark than at the first
        "memory_flat": bool(rss_at) and rss_at[last] <= 1.15 * rss_at[first],
        "index_bytes_per_page": round(folder_bytes(home / "index") / max(report["indexed"], 1), 1),
    }


def fetch_stage(site: Site) -> dict[str, Any]:
    results = {}
    for name, (keys, limit) in FETCH_VARIANTS.items():
        pages = min(limit or len(site.pages), len(site.pages))
        run = run_child([sys.executable, "-m", "bench", "fetch-child", "--base", site.base, "--pages", str(pages),
                         "--fetch", json.dumps(keys)]).check(f"fetch {name}")
        found = json.loads(run.stdout)
        results[name] = {**found, "peak_rss_mb": round(run.peak_rss / 1e6, 1)}
    return results


def fetch_child(base: str, pages: int, keys: dict[str, Any]) -> dict[str, Any]:
    """Fetch pages 0..pages-1 of the site with the Fetcher and these [fetch] keys; runs in its own process."""
    from wiredesk.core.config import parse_config

    toml = "[fetch]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
    config = parse_config(toml, path=Path("bench-fetch.toml")).fetch
    return asyncio.run(_fetch_all(config, [f"{base}/news/{n}.html" for n in range(pages)]))


def _own_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def _fetch_all(config: Any, urls: list[str]) -> dict[str, Any]:
    from wiredesk.core.urls import origin_entry
    from wiredesk.ingest import Fetcher

    done, size, rss_at = 0, 0, {}
    marks = _marks(len(urls))
    started = time.perf_counter()

    async def one(fetcher: Fetcher, url: str) -> None:
        nonlocal done, size
        response = await fetcher.get(url, allowed_hosts=(origin_entry(url),), html_only=True)
        size += len(response.body)  # counted and dropped: this measures the fetcher, not a store
        done += 1
        if done in marks:
            rss_at[str(done)] = round(_own_rss() / 1e6, 1)

    async with Fetcher(config) as fetcher:
        await asyncio.gather(*(one(fetcher, url) for url in urls))
    seconds = time.perf_counter() - started
    return {"pages": done, "seconds": round(seconds, 2), "pages_per_s": round(done / seconds, 1),
            "mb_per_s": round(size / seconds / 1e6, 1), "rss_mb_at_pages": rss_at}


def stages_alone(site: Site, work: Path, *, pages: int) -> dict[str, Any]:
    from wiredesk.index import open_index
    from wiredesk.ingest import Archive, RawPage
    from wiredesk.ingest.extract import extract

    now = datetime.now(timezone.utc)
    raw = [RawPage(url=f"{site.base}/news/{n}.html", body=site.pages[n], fetched=now, source="loopback",
                   headers={"content-type": "text/html; charset=utf-8"}) for n in range(min(pages, len(site.pages)))]
    scratch = work / "stages"
    shutil.rmtree(scratch, ignore_errors=True)

    started = time.perf_counter()
    archive = Archive(scratch / "archive")
    for page in raw:
        archive.put_page(page)
    archive_s = time.perf_counter() - started

    started = time.perf_counter()
    releases = [extract(page) for page in raw]
    extract_s = time.perf_counter() - started

    # spawn, as the harvest does; the workers' start-up (seconds of imports) is left out of the timing,
    # since a real run pays it once while this sample would pay it in full
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(extract, raw[:4], chunksize=1))
        started = time.perf_counter()
        list(pool.map(extract, raw, chunksize=8))
        extract2_s = time.perf_counter() - started

    started = time.perf_counter()
    index = open_index(scratch / "index")
    with index.writer() as writer:
        writer.add(releases)
    index.close()
    index_s = time.perf_counter() - started
    n = len(raw)
    return {
        "pages": n,
        "archive_pages_per_s": round(n / archive_s, 1),
        "extract_pages_per_s_1_core": round(n / extract_s, 1),
        "extract_pages_per_s_2_processes": round(n / extract2_s, 1),
        "index_releases_per_s": round(n / index_s, 1),
        "mean_words": round(sum(r.word_count for r in releases) / n, 1),
    }
