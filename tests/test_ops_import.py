"""A long `wiredesk import` as a real process: its parsing workers end with it however it is stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from opssite import call, command, environment, write_config


def _records(path: Path, count: int) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Tender {i}",
                                        "body": f"Release {i} on wind parks and solar tenders in district {i % 97}."})
                            + "\n" for i in range(count)))
    return path


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        found += [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _start_with_workers(wiredesk_bin: str, config: Path, records: Path) -> tuple[subprocess.Popen, list[int]]:
    process = subprocess.Popen(command(wiredesk_bin, config, "import", str(records)), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=environment(), start_new_session=True)
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2:  # the two parsing workers (and a resource tracker)
        assert time.monotonic() < deadline and process.poll() is None, "the import started no workers"
        time.sleep(0.05)
    time.sleep(0.5)  # well into the import
    return process, _children(process.pid)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_import_leaves_no_worker_behind_and_the_next_one_runs(tmp_path: Path, wiredesk_bin: str,
                                                                       stop: signal.Signals) -> None:
    config = write_config(tmp_path)
    records = _records(tmp_path / "records.jsonl", 60_000)
    process, workers = _start_with_workers(wiredesk_bin, config, records)
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
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    done = call(wiredesk_bin, config, "import", str(_records(tmp_path / "few.jsonl", 10)), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 10
