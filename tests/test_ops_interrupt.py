"""Ctrl-C at any moment: every command ends at once with exit 130, one line, no traceback, whatever it was
doing (starting its worker processes, fetching, writing the index, answering a batch), and the next run
finds nothing lost. Each test waits for a moment it can see (a worker process, a request at the server, a
line of output), never for a length of time, then sends SIGINT to the whole process group, as a terminal
does."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import write_config as write_sample_config
from opssite import alive, call, command, environment, publish, wait_for, workers, write_config
from siteserver import Site

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers")


def _start(wiredesk_bin: str, config: Path, *args: str, stdin: int = subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(command(wiredesk_bin, config, *args), stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)


def _interrupted(process: subprocess.Popen) -> str:
    """Ctrl-C to the process group; the command's stderr, once it has ended with exit 130 and every process
    it started is gone."""
    started = workers(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.splitlines()[-1:] == ["Interrupted."], err
    wait_for(lambda: not any(alive(pid) for pid in started), timeout=10)
    return err


def _records(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Tender {i}", "body": f"Release {i} on wind."})
                            + "\n" for i in range(count)))
    return path


@pytest.mark.parametrize("moment", ["a worker is starting", "the workers are busy"])
def test_ctrl_c_during_an_import(tmp_path: Path, wiredesk_bin: str, moment: str) -> None:
    config = write_config(tmp_path)
    process = _start(wiredesk_bin, config, "import", str(_records(tmp_path / "records.jsonl", 40_000)))
    wait_for(lambda: len(workers(process.pid)) >= (1 if moment == "a worker is starting" else 2)
             or process.poll() is not None, step=0.001)
    _interrupted(process)
    done = call(wiredesk_bin, config, "import", str(_records(tmp_path / "few.jsonl", 10)), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["imported"] == 10, done.stderr


@pytest.fixture
def home(ingested_sample: Path, tmp_path: Path) -> Path:
    config = write_sample_config(tmp_path)
    shutil.copytree(ingested_sample.parent / "data", tmp_path / "data")
    return config


def test_ctrl_c_during_a_reindex_keeps_the_index(home: Path, wiredesk_bin: str) -> None:
    index = home.parent / "data" / "index"
    before = sorted(p.name for p in index.glob("v-*"))
    process = _start(wiredesk_bin, home, "reindex")
    wait_for(lambda: workers(process.pid) or process.poll() is not None, step=0.001)
    _interrupted(process)
    assert sorted(p.name for p in index.glob("v-*")) == before  # the half-built folder is gone
    stats = call(wiredesk_bin, home, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 40


def test_ctrl_c_during_an_ingest_loses_no_page(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        links = publish(site, range(6))
        publish(site, range(6, 8), delay=30, prefix="/slow")
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")), ("slow", site.url("/slow/feed.xml")))
        process = _start(wiredesk_bin, config, "ingest", "--all")
        wait_for(lambda: site.seen("/slow/6.html") and len(workers(process.pid)) >= 1 or process.poll() is not None)
        _interrupted(process)
        publish(site, range(6, 8), prefix="/slow")  # answering at once now
        done = call(wiredesk_bin, config, "ingest", "--all", "--json")
        assert done.returncode == 0, done.stderr
        stats = call(wiredesk_bin, config, "stats", "--json")
        assert json.loads(stats.stdout)["documents"] == len(links) + 2


def test_ctrl_c_during_a_search_batch(ingested_sample: Path, wiredesk_bin: str) -> None:
    process = _start(wiredesk_bin, ingested_sample, "search", "--batch", "-", stdin=subprocess.PIPE)
    process.stdin.write("q1\tsolar\n")
    process.stdin.flush()
    assert json.loads(process.stdout.readline())["qid"] == "q1"  # answered; now waiting for the next line
    _interrupted(process)


def test_ctrl_c_as_the_command_starts(tmp_path: Path, wiredesk_bin: str) -> None:
    """Before the command has even loaded: the process ends quietly (130), however far Python got."""
    config = write_config(tmp_path)
    for _ in range(5):
        process = _start(wiredesk_bin, config, "stats")
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode in (130, -signal.SIGINT) and "Traceback" not in err, err
