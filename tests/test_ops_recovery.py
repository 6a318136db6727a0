"""Damage found, not read as truth: a damaged index or state database stops each command with one line naming
the file and the command that repairs it, and `reindex`, the recovery command, cannot make things worse."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import write_config
from opssite import call


@pytest.fixture
def home(ingested_sample: Path, tmp_path: Path) -> Path:
    """A config of its own over a copy of the ingested sample's home (40 releases)."""
    config = write_config(tmp_path)
    shutil.copytree(ingested_sample.parent / "data", tmp_path / "data")
    return config


def _version(config: Path) -> Path:
    index = config.parent / "data" / "index"
    return index / (index / "CURRENT").read_text().strip()


def _total(wiredesk_bin: str, config: Path, query: str = "india") -> int:
    done = call(wiredesk_bin, config, "search", query, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["total"]


def _refused(done: subprocess.CompletedProcess, message: str) -> None:
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {message}\n")


def test_garbage_in_a_term_file_is_found_on_opening_and_reindex_repairs_it(home: Path, wiredesk_bin: str) -> None:
    before = _total(wiredesk_bin, home)
    [terms] = _version(home).glob("*.trm")
    data = bytearray(terms.read_bytes())
    data[len(data) // 3:len(data) // 3 + 16] = b"garbage garbage!"  # same size: only the contents changed
    terms.write_bytes(bytes(data))
    for args in (("search", "india"), ("show", "7bc998a84cf37004"), ("stats",), ("ingest",)):
        _refused(call(wiredesk_bin, home, *args),
                 f"the index file {terms} is damaged (its contents changed since it was written): run "
                 "`wiredesk reindex` to rebuild the index from the archive")
    assert call(wiredesk_bin, home, "reindex").returncode == 0
    assert _total(wiredesk_bin, home) == before


@pytest.mark.parametrize("damage", ["truncated", "missing"])
def test_a_truncated_or_missing_index_file_is_found_on_opening(home: Path, wiredesk_bin: str, damage: str) -> None:
    [stored] = _version(home).glob("*._stored.col")
    size = stored.stat().st_size
    if damage == "truncated":
        stored.write_bytes(stored.read_bytes()[:size // 2])
        problem = f"{size // 2} bytes where {size} were written"
    else:
        stored.unlink()
        problem = "the file is missing"
    _refused(call(wiredesk_bin, home, "search", "india"),
             f"the index file {stored} is damaged ({problem}): run `wiredesk reindex` to rebuild the index from "
             "the archive")


def test_a_lost_current_pointer_is_reported_not_read_as_an_empty_index(home: Path, wiredesk_bin: str) -> None:
    index = home.parent / "data" / "index"
    version = _version(home)
    (index / "CURRENT").unlink()
    message = (f"{index / 'CURRENT'} is missing, but {index} holds index versions: run `wiredesk index check "
               "--repair` to point it at the newest intact one")
    _refused(call(wiredesk_bin, home, "search", "india"), message)
    # an ingest used to start a new, empty index beside it and delete the old one: the state said "unchanged"
    _refused(call(wiredesk_bin, home, "ingest"), message)
    assert version.is_dir() and sorted(p.name for p in index.glob("v-*")) == [version.name]


def test_a_damaged_state_database_names_its_repair(home: Path, wiredesk_bin: str) -> None:
    state = home.parent / "data" / "state.sqlite"
    with sqlite3.connect(state) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(state.read_bytes())
    for page in range(2, len(data) // 4096):  # every page but the header's: the tables' contents
        data[page * 4096:page * 4096 + 64] = b"\xff" * 64
    state.write_bytes(bytes(data))
    message = (f"the state database {state} is damaged (database disk image is malformed): run `wiredesk index "
               "check --repair` to rebuild it from what can still be read")
    for args in (("sources",), ("ingest",)):
        _refused(call(wiredesk_bin, home, *args), message)
    state.write_bytes(b"not a database at all\n" * 100)
    _refused(call(wiredesk_bin, home, "ingest"), message.replace("database disk image is malformed",
                                                                  "file is not a database"))


def test_reindex_refuses_to_shrink_the_index(home: Path, wiredesk_bin: str) -> None:
    before = _total(wiredesk_bin, home)
    archive = home.parent / "data" / "archive"
    aside = home.parent / "aside"
    archive.rename(aside)
    _refused(call(wiredesk_bin, home, "reindex"),
             f"the archive {archive} holds nothing to rebuild the index's 40 releases from, so the index was kept "
             "as it is (`wiredesk reindex --force` replaces it anyway)")
    aside.rename(archive)
    pages = sorted((archive / "pages").glob("*/*.json"))
    for page in pages[:10]:  # an archive cut short
        page.unlink()
    _refused(call(wiredesk_bin, home, "reindex"),
             "reindex would leave 30 releases where the index holds 40, so the index was kept as it is "
             "(`wiredesk reindex --force` replaces it anyway)")
    assert _total(wiredesk_bin, home) == before
    assert len(list((home.parent / "data" / "index").glob("v-*"))) == 1  # the refused build is gone
