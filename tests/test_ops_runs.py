"""One-shot runs as cron and systemd start them: the run lock between real processes, the JSON-lines log,
and which sources a run picks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from opssite import (alive, call, environment, feed, kill_own_process, publish, search_total, start, wait_for, workers,
                     write_config)
from siteserver import Reply, Site

from wiredesk.cli import cli

PAGES = 10


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with Site() as site:
        yield site


def test_a_second_run_exits_1_at_once_and_wait_queues_it_behind(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    links = publish(site, range(PAGES), delay=0.2, prefix="/slow")
    site.route("/slow/gone.html", Reply(404, b"gone"))
    site.route("/slow/index.html", Reply(200, b"<html><body><ul><li><a href='/'>home</a></li></ul></body></html>"))
    extra = [site.url("/slow/gone.html"), site.url("/slow/index.html")]
    listing = Reply(200, feed(links + extra), {"Content-Type": "application/rss+xml"})
    gate = threading.Event()  # the first run waits for its feed until the test opens it
    site.route("/slow/feed.xml", lambda seen: listing if gate.wait(60) else Reply(503))
    config = write_config(tmp_path, ("slow", site.url("/slow/feed.xml")))

    first = start(wiredesk_bin, config, "ingest", "--json", "--log-json")
    wait_for(lambda: site.seen("/slow/feed.xml"), timeout=60)  # the first run holds the lock from its start
    second = call(wiredesk_bin, config, "ingest", "--json")  # at once: the first is held at the gate
    assert second.returncode == 1 and second.stdout == ""
    assert second.stderr == f"Error: another wiredesk run holds the lock (pid {first.pid}, {config.parent / 'home' / 'run.lock'})\n"

    waiting = start(wiredesk_bin, config, "ingest", "--json", "--wait", "60")
    time.sleep(1)
    assert waiting.poll() is None, "a run with --wait waits for the lock"
    gate.set()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert waiting.poll() is None, "the waiting run must not start before the first one ends"
    queued_out, queued_err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, queued_err

    # stdout holds exactly the --json object; stderr only JSON lines
    report = json.loads(out)
    assert out.count("\n") == 1
    assert report["sources"]["slow"]["new"] == PAGES and report["indexed"] == PAGES
    events = [json.loads(line) for line in err.splitlines()]
    pages = [e for e in events if e["event"] not in ("source", "run")]
    assert sorted(e["url"] for e in pages) == sorted(links + extra), "one event per page"
    assert {e["event"] for e in pages} == {"indexed", "failed", "skipped"}
    assert all(e.get("change") == "new" for e in pages if e["event"] == "indexed")
    assert all(e["reason"] for e in pages if e["event"] in ("failed", "skipped"))
    assert [e["event"] for e in events[-2:]] == ["source", "run"]
    assert events[-2] == {"time": events[-2]["time"], "event": "source", "source": "slow", "new": PAGES, "updated": 0,
                          "unchanged": 0, "skipped": 1, "failed": 1}
    assert events[-1]["outcome"] == "finished" and events[-1]["indexed"] == PAGES

    # the queued run started after the first had indexed everything
    queued = json.loads(queued_out)["sources"]["slow"]
    assert (queued["new"], queued["unchanged"], queued["skipped"], queued["failed"]) == (0, PAGES, 1, 1)


def test_only_due_sources_run_unless_all_or_source(site: Site, tmp_path: Path) -> None:
    publish(site, [1], prefix="/hourly")
    publish(site, [2], prefix="/always")
    config = write_config(tmp_path, ("always", site.url("/always/feed.xml")))
    config.write_text(config.read_text() + f'\n[[sources]]\nname = "hourly"\nkind = "feed"\nurl = "{site.url("/hourly/feed.xml")}"\n'
                      'every = "1h"\n\n[[sources]]\nname = "off"\nkind = "feed"\nurl = "http://127.0.0.1:9/"\nenabled = false\n')

    def ran(*args: str) -> set[str]:
        result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--json", *args])
        assert result.exit_code == 0, result.stderr
        return set(json.loads(result.stdout)["sources"])

    assert ran() == {"always", "hourly"}
    assert ran() == {"always"}  # hourly is not due again for an hour
    assert ran("--all") == {"always", "hourly"}
    assert ran("--source", "hourly") == {"hourly"}
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--watch", "--all"])
    assert result.exit_code == 2 and "--watch" in result.stderr


def test_ingest_help_shows_examples_and_exit_codes(wiredesk_bin: str) -> None:
    shown = subprocess.run([wiredesk_bin, "ingest", "--help"], capture_output=True, text=True, env=environment())
    assert "wiredesk ingest --wait 300 --log-json" in shown.stdout and "Exit 0 when" in shown.stdout


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_extraction_workers_exit_when_the_run_is_killed(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    """Under cron nobody kills the process group: a run killed alone must not leave idle workers behind."""
    publish(site, range(30), delay=0.3, prefix="/orphans")
    config = write_config(tmp_path, ("orphans", site.url("/orphans/feed.xml")))
    run = start(wiredesk_bin, config, "ingest")
    wait_for(lambda: len(workers(run.pid)) >= 2, timeout=30)
    started = workers(run.pid)
    run.kill()
    run.wait(timeout=10)
    wait_for(lambda: not any(alive(pid) for pid in started), timeout=10)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_a_killed_extraction_worker_loses_no_page(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    links = publish(site, range(30), delay=0.1, prefix="/killed")
    config = write_config(tmp_path, ("killed", site.url("/killed/feed.xml")))
    run = start(wiredesk_bin, config, "ingest", "--json")
    wait_for(lambda: len(workers(run.pid)) >= 1, timeout=60)
    time.sleep(0.5)  # busy with its first page (loading the extraction's modules takes longer)
    os.kill(workers(run.pid)[0], signal.SIGKILL)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    counts = json.loads(out)["sources"]["killed"]
    assert (counts["new"], counts["failed"], counts["errors"]) == (len(links), 0, [])


def test_an_import_queued_behind_a_reindex_writes_into_the_index_the_reindex_made(tmp_path: Path,
                                                                                  wiredesk_bin: str) -> None:
    from wiredesk.core.config import load_config
    from wiredesk.index import rebuild
    from wiredesk.ingest.replay import replay
    from wiredesk.lock import run_lock

    config_path = write_config(tmp_path)
    early, late = tmp_path / "early.jsonl", tmp_path / "late.jsonl"
    for path, word in ((early, "early"), (late, "late")):
        path.write_text("".join(json.dumps({"id": f"{word}-{n}", "title": f"{word} tender {n}", "body": f"An {word} tender."})
                                + "\n" for n in range(5)))
    call(wiredesk_bin, config_path, "import", str(early))  # a home with an index to replace
    config = load_config(config_path)
    with run_lock(config.storage.run_lock):  # what `wiredesk reindex` holds while it rebuilds
        queued = start(wiredesk_bin, config_path, "import", str(late), "--wait", "60")
        lock_file = str(config.storage.run_lock)
        wait_for(lambda: any(os.path.realpath(f"/proc/{queued.pid}/fd/{fd}") == lock_file
                             for fd in os.listdir(f"/proc/{queued.pid}/fd")), timeout=60)
        time.sleep(0.5)
        rebuild(config.storage.index_root, replay(config, workers=1))
    out, err = queued.communicate(timeout=60)
    assert queued.returncode == 0, err
    assert search_total(wiredesk_bin, config_path, "late") == 5
    assert search_total(wiredesk_bin, config_path, "early") == 5


def worker_with(pid: int, library: str) -> bool:
    """Whether a process is a worker (its own program, not a copy of its parent before `exec`) that has
    loaded a shared library whose path holds `library`."""
    try:
        return (b"wiredesk.core.workers" in Path(f"/proc/{pid}/cmdline").read_bytes()
                and library in Path(f"/proc/{pid}/maps").read_text())
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_a_killed_analysis_worker_loses_no_release_of_a_reindex(tmp_path: Path, wiredesk_bin: str) -> None:
    config = write_config(tmp_path)
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{n}", "title": f"Tender {n}", "body": f"Solar tender {n} opens."})
                               + "\n" for n in range(3500)))
    assert call(wiredesk_bin, config, "import", str(records)).returncode == 0
    run = start(wiredesk_bin, config, "reindex", "--json")
    analysing: list[int] = []

    def worker_analysing() -> bool:
        # the analysis worker once it has loaded the stemmer: at its first chunk of 1,000, no longer starting
        # (a fixed sleep after it appeared could outlast the whole reindex on a fast machine)
        analysing[:] = [pid for pid in workers(run.pid) if worker_with(pid, "Stemmer")]
        return bool(analysing)

    wait_for(worker_analysing, timeout=60, step=0.01)
    os.kill(analysing[0], signal.SIGKILL)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert json.loads(out) == {"documents": 3500}
    assert search_total(wiredesk_bin, config, "tender") == 3500


def test_an_analysis_chunk_that_loses_two_workers_fails_the_reindex_naming_it(tmp_path: Path, wiredesk_bin: str,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from wiredesk.core.workers import WorkerPool
    from wiredesk.index import tokens

    config = write_config(tmp_path)
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{n}", "title": f"Tender {n}", "body": f"Solar tender {n} opens."})
                               + "\n" for n in range(1500)))
    assert call(wiredesk_bin, config, "import", str(records)).returncode == 0

    class Deadly(WorkerPool):  # every worker of the analysis pool is killed by its chunk, as the OOM killer would
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            return super().submit(kill_own_process)

    monkeypatch.setattr(tokens, "WorkerPool", Deadly)
    result = CliRunner().invoke(cli, ["--config", str(config), "reindex", "--json"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("Error: index analysis of 1000 releases ('r0' to 'r999') stopped: its worker process died 2 "
                             "times (killed, or out of memory), the last time after a retry in a new worker; nothing of "
                             "this batch was committed: run the command again\n")
    assert search_total(wiredesk_bin, config, "tender") == 1500  # the index as it was
