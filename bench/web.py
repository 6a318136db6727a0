"""Web page timing: the search page of `wiredesk serve` (hits, snippets, facet sidebar, timeline) over HTTP.

The server is the installed command in a process of its own (`wiredesk serve --port 0`), as a user runs it;
this process is the browser, fetching whole pages one at a time, so a sample is the wall time from the
request to the last byte of the HTML. Every query of the mix is asked once untimed first (the index's
column arrays, the templates), then once timed; the page without a query (every release: the largest
facet counts, timeline and story grouping) is timed beside it.
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from .importing import wiredesk_command
from .latency import percentiles
from .queries import Query

__all__ = ["page_latency", "served"]

_STARTUP = 300.0  # seconds: a large index opens slowly on a busy machine
_BROWSE_RUNS = 20


@contextmanager
def served(config: Path) -> Iterator[str]:
    """`wiredesk serve --port 0` over `config`; yields its base URL, and stops it with Ctrl-C's signal."""
    process = subprocess.Popen([*wiredesk_command(), "--config", str(config), "serve", "--port", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stderr:  # read to the end, so the access log never fills the pipe
            if not found and (match := re.search(r"running on (http://[\w.:]+)", line, re.I)):
                found.append(match.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(_STARTUP):
            raise RuntimeError("wiredesk serve did not start")
        yield found[0]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _timed(client: httpx.Client, url: str, params: dict[str, str]) -> float:
    started = time.perf_counter()
    answer = client.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.status_code} for {params}: {answer.text[:200]}")
    return elapsed


def page_latency(config: Path, queries: Sequence[Query]) -> dict[str, Any]:
    """{"search_page": percentiles over the mix, "browse_page": percentiles of the page without a query}."""
    with served(config) as base, httpx.Client(base_url=base, timeout=120) as client:
        for query in queries:
            _timed(client, "/", {"q": query.text})
        searched = [_timed(client, "/", {"q": query.text}) for query in queries]
        browsed = [_timed(client, "/", {}) for _ in range(_BROWSE_RUNS)]
    return {"search_page": percentiles(searched), "browse_page": percentiles(browsed), "queries": len(queries)}
