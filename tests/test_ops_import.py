"""A long `wiredesk import` as a real process: its parsing workers end with it however it is stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from opssite import alive, call, command, environment, wait_for, workers, write_config


def _records(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Tender {i}",
                                        "body": f"Release {i} on wind parks and solar tenders in district {i % 97}."})
                            + "\n" for i in range(count)))
    return path


def _start_with_workers(wiredesk_bin: str, config: Path, records: Path) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen(command(wiredesk_bin, config, "import", str(records)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
    wait_for(lambda: len(workers(process.pid)) >= 2 or process.poll() is not None, timeout=60)  # the two parsers
    assert process.poll() is None, "the import started no workers"
    return process, workers(process.pid)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_import_leaves_no_worker_behind_and_the_next_one_runs(tmp_path: Path, wiredesk_bin: str,
                                                                       stop: signal.Signals) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 60_000)
    process, started = _start_with_workers(wiredesk_bin, config, records)
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)  # Ctrl-C at a terminal reaches the whole process group
    else:
        process.kill()  # the writing process alone, as the OOM killer would
    _, err = process.communicate(timeout=120)  # a hang, not a pace: 60,000 records take far longer on 2 cores
    if stop == signal.SIGINT:
        assert process.returncode == 130 and err == "Interrupted.\n", err
    wait_for(lambda: not any(alive(pid) for pid in started), timeout=30)
    done = call(wiredesk_bin, config, "import", str(_records(tmp_path / "few.jsonl", 10)), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 10


@pytest.mark.parametrize("after", [0.0, 0.1, 0.3])
def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path: Path, wiredesk_bin: str, after: float) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 20_000)
    process = subprocess.Popen(command(wiredesk_bin, config, "import", str(records)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
    wait_for(lambda: workers(process.pid) or process.poll() is not None, timeout=60, step=0.001)
    assert process.poll() is None, "the import started no workers"  # the first one is loading Python
    time.sleep(after)  # a moment later, whatever it is on a loaded machine: every moment must hold
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and err == "Interrupted.\n", err


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
