"""Damage found, not read as truth: a damaged index or state database stops each command with one line naming
the file and the command that repairs it, and `reindex`, the recovery command, cannot make things worse."""

from __future__ import annotations

import json
import os
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


# --------------------------------------------------------------------------- wiredesk index check [--repair]

def _check(wiredesk_bin: str, config: Path, *args: str) -> tuple[int, dict[str, dict]]:
    done = call(wiredesk_bin, config, "index", "check", "--json", *args)
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] == (done.returncode == 0)
    return done.returncode, {part["part"]: part for part in report["parts"]}


def test_a_healthy_home_checks_ok(home: Path, wiredesk_bin: str) -> None:
    code, parts = _check(wiredesk_bin, home)
    assert code == 0
    # the alerts database exists once an alert was saved (the shared sample home may have had one)
    assert {name: part["status"] for name, part in parts.items()} == {
        "archive": "ok", "index": "ok", "state database": "ok",
        "alerts database": "ok" if (home.parent / "data" / "alerts.sqlite").exists() else "absent"}
    assert parts["index"]["detail"].startswith("40 releases in v-")
    text = call(wiredesk_bin, home, "index", "check")
    assert text.returncode == 0 and text.stdout.splitlines()[1].split()[:2] == ["index", "ok"]


def test_check_reads_every_byte_and_repair_rebuilds_a_damaged_index(home: Path, wiredesk_bin: str) -> None:
    """Damage that left the file's time alone (a failing disk) passes the quick check on opening; the full
    check finds it, and --repair rebuilds the index from the archive."""
    before = _total(wiredesk_bin, home)
    [terms] = _version(home).glob("*.trm")
    stat = terms.stat()
    data = bytearray(terms.read_bytes())
    data[len(data) // 2:len(data) // 2 + 8] = b"\x00garbag\x00"
    terms.write_bytes(bytes(data))
    os.utime(terms, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    code, parts = _check(wiredesk_bin, home)
    assert code == 1
    assert parts["index"] == {"part": "index", "path": str(home.parent / "data" / "index"), "status": "damaged",
                              "detail": f"the index file {terms} is damaged (its contents changed since it was "
                                        "written)"}
    text = call(wiredesk_bin, home, "index", "check")
    assert text.returncode == 1 and text.stderr == "Error: damage found: run `wiredesk index check --repair`\n"
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 0 and parts["index"]["status"] == "repaired"
    assert parts["index"]["detail"] == "rebuilt from the archive: 40 releases"
    assert _check(wiredesk_bin, home)[0] == 0
    assert _total(wiredesk_bin, home) == before


def test_repair_points_a_lost_current_at_the_intact_version(home: Path, wiredesk_bin: str) -> None:
    before = _total(wiredesk_bin, home)
    index = home.parent / "data" / "index"
    version = _version(home)
    (index / "CURRENT").write_text("garbled\x00\n")
    code, parts = _check(wiredesk_bin, home)
    assert code == 1 and parts["index"]["status"] == "damaged" and "CURRENT" in parts["index"]["detail"]
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 0
    assert parts["index"]["detail"] == f"CURRENT points at {version.name} again (40 releases)"
    assert _version(home) == version and _total(wiredesk_bin, home) == before


def test_repair_prefers_the_version_holding_the_most_releases(home: Path, wiredesk_bin: str, tmp_path: Path) -> None:
    """A reindex killed before its swap leaves a newer folder holding part of the index: CURRENT lost, the
    repair points at the older, whole one."""
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(home.parent / "data", other / "data")
    other_config = other / "config.toml"
    other_config.write_text(home.read_text())
    for page in sorted((other / "data" / "archive" / "pages").glob("*/*.json"))[:10]:
        page.unlink()
    assert call(wiredesk_bin, other_config, "reindex", "--force").returncode == 0
    partial = _version(other_config)
    whole = _version(home)
    assert partial.name > whole.name  # newer
    shutil.copytree(partial, home.parent / "data" / "index" / partial.name)
    (home.parent / "data" / "index" / "CURRENT").unlink()
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 0 and parts["index"]["detail"] == f"CURRENT points at {whole.name} again (40 releases)"
    stats = call(wiredesk_bin, home, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 40


def test_repair_rebuilds_when_current_is_lost_and_no_version_is_intact(home: Path, wiredesk_bin: str) -> None:
    [stored] = _version(home).glob("*._stored.col")
    stored.write_bytes(stored.read_bytes()[:100])
    (home.parent / "data" / "index" / "CURRENT").unlink()
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 0 and parts["index"]["detail"] == "rebuilt from the archive: 40 releases"
    assert _check(wiredesk_bin, home)[0] == 0


def test_repair_of_a_damaged_index_is_refused_when_the_archive_is_short(home: Path, wiredesk_bin: str) -> None:
    [stored] = _version(home).glob("*._stored.col")
    stored.write_bytes(stored.read_bytes()[:100])
    for page in sorted((home.parent / "data" / "archive" / "pages").glob("*/*.json"))[:10]:
        page.unlink()
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 1 and parts["index"]["status"] == "unrepaired"
    assert parts["index"]["detail"].endswith(
        "reindex would leave 30 releases where the index holds 40, so the index was kept as it is "
        "(`wiredesk reindex --force` replaces it anyway)")
    assert stored.stat().st_size == 100  # kept, damaged, for a person to decide
    forced = call(wiredesk_bin, home, "reindex", "--force", "--json")
    assert forced.returncode == 0 and json.loads(forced.stdout) == {"documents": 30}
    assert _check(wiredesk_bin, home)[0] == 0


def test_an_empty_archive_under_a_full_index_is_reported(home: Path, wiredesk_bin: str) -> None:
    shutil.rmtree(home.parent / "data" / "archive")
    code, parts = _check(wiredesk_bin, home)
    assert code == 1 and parts["archive"]["status"] == "damaged"
    assert parts["archive"]["detail"] == ("holds nothing, while the index holds 40 releases: a lost index could not "
                                          "be rebuilt")
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 1 and parts["archive"]["status"] == "unrepaired" and parts["index"]["status"] == "ok"


def test_reindex_force_replaces_the_index_even_with_the_archive_gone(home: Path, wiredesk_bin: str) -> None:
    shutil.rmtree(home.parent / "data" / "archive")
    forced = call(wiredesk_bin, home, "reindex", "--force", "--json")
    assert forced.returncode == 0 and json.loads(forced.stdout) == {"documents": 0}
    assert _total(wiredesk_bin, home) == 0


def test_repair_remakes_a_damaged_state_database_and_the_next_ingest_loses_nothing(home: Path,
                                                                                     wiredesk_bin: str) -> None:
    before = _total(wiredesk_bin, home)
    state = home.parent / "data" / "state.sqlite"
    state.write_bytes(b"not a database at all\n" * 100)
    code, parts = _check(wiredesk_bin, home)
    assert code == 1 and parts["state database"]["status"] == "damaged"
    code, parts = _check(wiredesk_bin, home, "--repair")
    assert code == 0 and parts["state database"]["status"] == "repaired"
    # moved aside with its WAL and shared-memory files, when it had them
    [aside] = [path for path in state.parent.glob("state.sqlite.damaged-*") if not path.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes().startswith(b"not a database at all")  # kept, never deleted
    assert parts["state database"]["detail"] == (
        "made anew with the rows that could be read (sources 0, urls 0, runs 0); pages it no longer knows are "
        f"fetched again on the next run; the damaged file is kept as {aside}")
    ingest = call(wiredesk_bin, home, "ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert _total(wiredesk_bin, home) == before and _check(wiredesk_bin, home)[0] == 0


def test_salvage_keeps_every_row_a_damaged_page_did_not_hold(tmp_path: Path) -> None:
    from wiredesk.core.database import Schema, check_database, open_database, salvage, transaction

    schema = Schema({"urls": {"url": "TEXT PRIMARY KEY", "note": "TEXT NOT NULL"}})
    path = tmp_path / "state.sqlite"
    conn = open_database(path, schema, name="state database")
    with transaction(conn):
        conn.executemany("INSERT INTO urls VALUES (?, ?)", [(f"https://wire.example/{i:05d}", "x" * 200)
                                                             for i in range(5000)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    middle = pages // 2
    data[middle * 4096:(middle + 1) * 4096] = b"\xff" * 4096  # one page of rows, in the middle of the table
    path.write_bytes(bytes(data))
    assert check_database(path) is not None
    kept = salvage(path, schema, name="state database")
    assert 4800 < kept.kept["urls"] < 5000  # the rows of one page (about 18 of them) and no more are lost
    assert check_database(path) is None and kept.aside.exists()
    with sqlite3.connect(path) as fresh:
        assert fresh.execute("SELECT count(*) FROM urls").fetchone()[0] == kept.kept["urls"]


def _all_versions(config: Path):
    return (config.parent / "data" / "index").glob("v-*")
