"""Crash safety: `wiredesk ingest` killed with SIGKILL at many points, then run again, ends with the index
and the state of an uninterrupted run: nothing lost, nothing twice, and the index opens and searches.

Kill points follow the run's progress rather than the clock, so they land where meant however loaded the
machine is: `request:K` when the site has answered K requests (listing, fetching, extraction starting),
`indexed:N` when the run has logged its Nth durable page (indexing, commits; it commits every 3 releases),
a plain number of seconds, and the `WIREDESK_KILL_AT` hook of `wiredesk.job` for the moments nothing
outside can see: `outcome:N`, `added:N`, `committed:N` (after an index commit, before the state confirms
it) and `confirmed:N`. Each chain kills a run, then the next run of the same home, and so on, so later
kills hit a run resuming left-over work; a last run then completes, and is compared.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from opssite import call, environment, feed, index_contents, publish, write_config
from siteserver import Reply, Site

from wiredesk import search
from wiredesk.index import open_index
from wiredesk.ingest.state import open_state

PAGES = 18
# chains of kill points: seconds after the start, or a WIREDESK_KILL_AT hook
CHAINS: list[list[float | str]] = [
    ["request:1", "request:8", "indexed:1", "committed:1", "outcome:2", "request:3"],
    ["request:4", "added:2", "indexed:2", "request:6", "confirmed:1", 0.6],
    ["request:12", "outcome:1", "committed:2", "indexed:1", "confirmed:2", "request:2"],
    ["request:16", "indexed:4", "added:5", 1.0, "outcome:6", "committed:1"],
]
HOOKS = ("outcome", "added", "committed", "confirmed")


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with Site() as site:
        links = publish(site, range(PAGES), delay=0.05)
        site.route("/wire/gone.html", Reply(404, b"gone"))
        site.route("/wire/menu.html", Reply(200, b"<html><body><ul><li><a href='/'>home</a></li></ul></body></html>"))
        site.route("/wire/feed.xml", Reply(200, feed(links + [site.url("/wire/gone.html"), site.url("/wire/menu.html")]),
                                           {"Content-Type": "application/rss+xml"}))
        yield site


def _state(config: Path) -> dict[str, tuple[str, bool]]:
    """url -> (status, has a reason) for every URL the state knows."""
    conn = open_state(config.parent / "home" / "state.sqlite", create=False)
    try:
        return {row["url"]: (row["status"], bool(row["last_error"])) for row in conn.execute("SELECT * FROM urls")}
    finally:
        conn.close()


def _ingest(wiredesk_bin: str, config: Path, site: Site, point: float | str) -> tuple[int, int]:
    """One run killed at `point`; (its exit code, the pages it logged as indexed)."""
    env = environment()
    event, _, count = str(point).partition(":")
    if event in HOOKS:
        env["WIREDESK_KILL_AT"] = str(point)
    served = len(site.seen())
    # its own process group, so that the kill takes its extraction workers too, as systemd's would
    process = subprocess.Popen([wiredesk_bin, "--config", str(config), "ingest", "--log-json", "--commit-every", "3"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)
    reader.start()

    def reached() -> bool:
        if event == "request":
            return len(site.seen()) - served >= int(count)
        if event == "indexed":
            return sum('"event": "indexed"' in line for line in list(lines.queue)) >= int(count)
        return False

    deadline = time.monotonic() + (float(point) if isinstance(point, float) else 60)
    while process.poll() is None and time.monotonic() < deadline and not reached():
        time.sleep(0.01)
    # the whole group: the run, unless it already died, and any extraction worker a hook's kill left behind
    # (they hold the stderr pipe open)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
    reader.join(timeout=10)
    return process.returncode, sum('"event": "indexed"' in line for line in list(lines.queue))


def test_killed_runs_then_a_full_run_equal_an_uninterrupted_run(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    feed_url = site.url("/wire/feed.xml")
    reference = write_config(tmp_path / "reference", ("wire", feed_url))
    done = call(wiredesk_bin, reference, "ingest", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sources"]["wire"]["new"] == PAGES
    expected, expected_state = index_contents(reference), _state(reference)
    assert len(expected) == PAGES and sorted(s for s, _ in expected_state.values()).count("indexed") == PAGES

    kills: list[tuple[float | str, int]] = []  # (point, pages the killed run had logged as indexed)
    for number, chain in enumerate(CHAINS):
        config = write_config(tmp_path / f"chain{number}", ("wire", feed_url))
        for point in chain:
            code, logged = _ingest(wiredesk_bin, config, site, point)
            if code == -signal.SIGKILL:
                kills.append((point, logged))
        final = call(wiredesk_bin, config, "ingest", "--json")
        assert final.returncode == 0, final.stderr

        # nothing lost, nothing twice: the same documents, with the same text, as the uninterrupted run
        assert index_contents(config) == expected, f"chain {chain}"
        # every listed URL ended indexed, skipped with a reason or failed with a reason, as in that run
        assert _state(config) == expected_state, f"chain {chain}"
        with open_index(config.parent / "home" / "index", create=False) as index:
            assert search.run(index, search.SearchRequest(filters=(("source", "wire"),), limit=1)).total == PAGES

    assert len(kills) >= 20, f"only {len(kills)} runs were killed: {kills}"
    # kills before any commit (listing, fetching, extraction) and after some (indexing, commits)
    assert sum(logged == 0 for _, logged in kills) >= 5 and sum(logged > 0 for _, logged in kills) >= 3, kills
    # and the installed command searches the last home
    found = call(wiredesk_bin, config, "search", "ministry", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] == PAGES
