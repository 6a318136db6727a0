"""A full disk, for real: the home on a small tmpfs. Each command stops with one line that says so (exit 1,
no traceback), and once there is room again the next run does what the full one could not, losing nothing."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_config
from opssite import call


def _mount(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def _resize(folder: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True, capture_output=True)


@pytest.fixture
def small_home(tmp_path: Path) -> Iterator[Path]:
    """A config whose home is a tmpfs of 64 KiB (room for the databases' first pages, little more); the test
    grows it with `_resize`."""
    home = tmp_path / "data"
    if not _mount(home, "64k"):
        pytest.skip("mounting a tmpfs needs root (or CAP_SYS_ADMIN)")
    try:
        yield write_config(tmp_path)
    finally:
        subprocess.run(["umount", "-l", str(home)], capture_output=True)


def _full(done: subprocess.CompletedProcess, home: Path) -> None:
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("Error: no space left on the device holding ") and str(home) in line, line
    assert line.endswith("free some space and run the command again (nothing committed is lost)"), line


@pytest.mark.parametrize("size", ["64k", "300k", "700k"])
def test_an_ingest_on_a_full_disk_says_so_and_the_next_run_loses_nothing(small_home: Path, wiredesk_bin: str,
                                                                          size: str) -> None:
    home = small_home.parent / "data"
    _resize(home, size)  # full at another step each time: the state database, the archive, the index
    _full(call(wiredesk_bin, small_home, "ingest", "--json"), home)
    _resize(home, "8m")
    done = call(wiredesk_bin, small_home, "ingest", "--json")
    assert done.returncode == 0, done.stderr
    stats = call(wiredesk_bin, small_home, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 40


@pytest.mark.parametrize("size", ["64k", "1m", "3m"])
def test_an_import_on_a_full_disk_says_so_and_imports_whole_once_there_is_room(small_home: Path, wiredesk_bin: str,
                                                                               tmp_path: Path, size: str) -> None:
    home = small_home.parent / "data"
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{i}", "title": f"Tender {i}",
                                           "body": f"Release {i} on wind parks in district {i % 97}. " * 20}) + "\n"
                               for i in range(2000)))
    _resize(home, size)
    _full(call(wiredesk_bin, small_home, "import", str(records)), home)
    _resize(home, "64m")
    done = call(wiredesk_bin, small_home, "import", str(records), "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["imported"] == 2000, done.stderr
    stats = call(wiredesk_bin, small_home, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 2000


def test_a_reindex_on_a_full_disk_keeps_the_index(small_home: Path, wiredesk_bin: str) -> None:
    home = small_home.parent / "data"
    _resize(home, "8m")
    assert call(wiredesk_bin, small_home, "ingest").returncode == 0
    usage = os.statvfs(home)
    used = (usage.f_blocks - usage.f_bfree) * usage.f_frsize
    _resize(home, f"{used // 1024 + 64}k")  # no room for a second index beside the first
    _full(call(wiredesk_bin, small_home, "reindex"), home)
    assert len(list((home / "index").glob("v-*"))) == 1  # the half-built one is gone
    stats = call(wiredesk_bin, small_home, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 40
