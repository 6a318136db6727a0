"""A long `wiredesk import` as a real process: its parsing workers end with it however it is stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from opssite import alive, call, command, environment, workers, write_config


def _records(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Tender {i}",
                                        "body": f"Release {i} on wind parks and solar tenders in district {i % 97}."})
                            + "\n" for i in range(count)))
    return path


def _start_with_workers(wiredesk_bin: str, config: Path, records: Path) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen(command(wiredesk_bin, config, "import", str(records)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
    deadline = time.monotonic() + 30
    while len(workers(process.pid)) < 2:  # the two parsing workers
        assert time.monotonic() < deadline and process.poll() is None, "the import started no workers"
        time.sleep(0.05)
    time.sleep(0.5)  # well into the import
    return process, workers(process.pid)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_import_leaves_no_worker_behind_and_the_next_one_runs(tmp_path: Path, wiredesk_bin: str,
                                                                       stop: signal.Signals) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 60_000)
    process, started = _start_with_workers(wiredesk_bin, config, records)
    sent = time.monotonic()
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)  # Ctrl-C at a terminal reaches the whole process group
    else:
        process.kill()  # the writing process alone, as the OOM killer would
    _, err = process.communicate(timeout=30)
    if stop == signal.SIGINT:
        assert time.monotonic() - sent < 5, "Ctrl-C waited for the chunks queued ahead"
        assert process.returncode == 1 and "Traceback" not in err
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in started)
    done = call(wiredesk_bin, config, "import", str(_records(tmp_path / "few.jsonl", 10)), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 10


@pytest.mark.parametrize("after", [0.0, 0.1, 0.3])
def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path: Path, wiredesk_bin: str, after: float) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 20_000)
    process = subprocess.Popen(command(wiredesk_bin, config, "import", str(records)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
    deadline = time.monotonic() + 30
    while not workers(process.pid):  # the first worker exists: it is loading Python
        assert time.monotonic() < deadline and process.poll() is None, "the import started no workers"
        time.sleep(0.001)
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1 and "Traceback" not in err, err


def test_a_killed_parsing_worker_loses_no_line(tmp_path: Path, wiredesk_bin: str) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 10_000)
    process, started = _start_with_workers(wiredesk_bin, config, records)
    os.kill(started[0], signal.SIGKILL)  # busy with a chunk: it runs again in a new worker
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "imported 10000 releases" in out
    total = call(wiredesk_bin, config, "search", "tenders", "--json")
    assert json.loads(total.stdout)["total"] == 10_000
