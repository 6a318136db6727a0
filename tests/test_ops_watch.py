"""`wiredesk ingest --watch` as a real process: SIGTERM in the middle of a run, Ctrl-C while it sleeps."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

from opssite import call, command, environment, index_contents, publish, start, wait_for, write_config
from siteserver import Site

from wiredesk.ingest.state import open_state

PAGES = 8


def _lines(stream) -> queue.Queue[str]:  # type: ignore[no-untyped-def]
    """The stream's lines as they come, read by a thread so the test can wait for one without blocking."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def _stop(process: subprocess.Popen, *, group: signal.Signals | None = None) -> float:
    """SIGTERM the process (or send `group` to its process group); seconds until it exited."""
    sent = time.monotonic()
    if group is None:
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, group)
    process.wait(timeout=10)
    return time.monotonic() - sent


def test_sigterm_mid_run_and_while_sleeping_exits_0_with_a_consistent_index(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        links = publish(site, range(PAGES), delay=0.4)
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")))

        # stopped in the middle of its first run, after the first commit
        watcher = start(wiredesk_bin, config, "ingest", "--watch", "--log-json", "--commit-every", "2")
        events = _lines(watcher.stderr)
        logged: list[dict] = []
        wait_for(lambda: (logged.append(json.loads(events.get(timeout=20))) or logged[-1]["event"] == "indexed"))
        assert _stop(watcher) < 5 and watcher.returncode == 0
        logged += [json.loads(line) for line in list(events.queue)]
        indexed = {e["url"] for e in logged if e["event"] == "indexed"}
        assert [e["event"] for e in logged[-2:]] == ["source", "run"] and logged[-1]["outcome"] == "stopped"
        assert 0 < len(indexed) < PAGES, "stopped mid-run"

        # what it logged as indexed is exactly what the index and the state hold: committed, then confirmed
        contents = index_contents(config)
        assert len(contents) == len(indexed) == len({id for id, _ in contents})
        conn = open_state(config.parent / "home" / "state.sqlite", create=False)
        states = dict(conn.execute("SELECT url, status FROM urls").fetchall())
        run_outcome = conn.execute("SELECT outcome FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        conn.close()
        assert {url for url, status in states.items() if status == "indexed"} == indexed
        assert run_outcome == "abandoned"

        # the pages abandoned in flight are fetched by the next run; nothing is indexed twice
        rest = call(wiredesk_bin, config, "ingest", "--json")
        assert rest.returncode == 0, rest.stderr
        assert json.loads(rest.stdout)["sources"]["wire"]["new"] == PAGES - len(indexed)
        assert len(index_contents(config)) == PAGES

        # stopped by Ctrl-C (SIGINT to the whole process group) while it sleeps until the next source is due
        watcher = subprocess.Popen(command(wiredesk_bin, config, "ingest", "--watch", "--json"), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
        out = _lines(watcher.stdout)
        round_report = json.loads(out.get(timeout=30))
        assert round_report["sources"]["wire"]["unchanged"] == PAGES
        time.sleep(0.5)
        assert watcher.poll() is None, "watch mode keeps running between rounds"
        assert _stop(watcher, group=signal.SIGINT) < 3 and watcher.returncode == 130
        assert out.empty() and len(index_contents(config)) == PAGES and len(links) == PAGES


def test_sigterm_while_a_page_hangs_stops_without_waiting_for_its_timeout(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        publish(site, range(2), delay=30)
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")))
        config.write_text(config.read_text(encoding="utf-8").replace("timeout = 5", "timeout = 60"), encoding="utf-8")
        watcher = start(wiredesk_bin, config, "ingest", "--watch", "--log-json")
        wait_for(lambda: site.seen("/wire/0.html"))
        assert _stop(watcher) < 3 and watcher.returncode == 0
        logged = [json.loads(line) for line in watcher.stderr]
        assert logged[-1]["event"] == "run" and logged[-1]["outcome"] == "stopped"
