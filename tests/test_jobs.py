"""The jobs behind `ingest` and `import`: the run lock, bad import lines, re-import staying one document."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.config import load_config
from wiredesk.lock import run_lock
from wiredesk.records import CHUNK


def test_a_held_run_lock_makes_ingest_exit_1_at_once(sample_config: Path) -> None:
    config = load_config(sample_config)
    with run_lock(config.storage.run_lock):
        result = CliRunner().invoke(cli, ["--config", str(sample_config), "ingest", "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: another wiredesk run holds the lock")


def test_wait_gives_up_after_its_seconds(sample_config: Path) -> None:
    config = load_config(sample_config)
    with run_lock(config.storage.run_lock):
        result = CliRunner().invoke(cli, ["--config", str(sample_config), "ingest", "--wait", "0.5"])
    assert result.exit_code == 1 and "after waiting 0.5 s" in result.stderr


def test_import_and_reindex_take_the_run_lock_and_can_wait_for_it(sample_config: Path) -> None:
    config = load_config(sample_config)
    line = json.dumps({"id": "doc-1", "body": "Wind turbines arrive at the port."}) + "\n"
    with run_lock(config.storage.run_lock):
        imported = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-"], input=line)
        waited = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-", "--wait", "0.3"], input=line)
        reindexed = CliRunner().invoke(cli, ["--config", str(sample_config), "reindex", "--wait", "0.3"])
    assert imported.exit_code == 1 and imported.stderr.startswith("Error: another wiredesk run holds the lock")
    assert waited.exit_code == 1 and "after waiting 0.3 s" in waited.stderr
    assert reindexed.exit_code == 1 and "after waiting 0.3 s" in reindexed.stderr
    after = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-", "--wait", "5", "--json"], input=line)
    assert after.exit_code == 0 and json.loads(after.stdout)["imported"] == 1


def test_import_reports_bad_lines_and_loads_the_rest(sample_config: Path) -> None:
    lines = [
        json.dumps({"id": "Doc-1", "title": "Solar tender opens", "body": "The tender for solar parks opens in Jaipur."}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"id": "doc-2", "body": "Wind turbines arrive at the port.", "published": "2025-03-04"}),
        json.dumps({"id": "doc-3", "body": "x", "published": "the fourth of March"}),
        json.dumps({"id": "", "body": "", "title": "", "error": "no article: looks like a listing page"}),
        json.dumps({"id": "doc-4", "body": " ", "title": ""}),
        json.dumps({"id": "flash", "body": "", "title": "Quake hits the coast"}),  # a headline alone is a release
        json.dumps({"id": "a\u0000b", "body": "An id with a NUL in it."}),
    ]
    result = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["imported"] == 3 and report["failed"] == 6
    assert [e["line"] for e in report["errors"]] == [2, 3, 5, 6, 7, 9]
    assert "control characters" in report["errors"][5]["reason"]
    assert "published" in report["errors"][2]["reason"]
    assert "listing page" in report["errors"][3]["reason"] and "no text" in report["errors"][4]["reason"]
    shown = CliRunner().invoke(cli, ["--config", str(sample_config), "show", "Doc-1", "--json"])
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["title"] == "Solar tender opens"


def test_importing_the_same_records_twice_keeps_one_document_each(sample_config: Path) -> None:
    records = "".join(json.dumps({"id": f"r{i}", "body": f"release number {i} about wind"}) + "\n" for i in range(5))
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-"], input=records)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "imported 5 releases\n"
    stats = CliRunner().invoke(cli, ["--config", str(sample_config), "stats", "--json"])
    assert json.loads(stats.stdout)["documents"] == 5


def test_a_long_import_parsed_in_a_worker_keeps_line_numbers_order_and_the_archive(sample_config: Path) -> None:
    # more than two chunks of lines, so records are parsed in a worker process, several chunks ahead
    count = 2 * CHUNK + 500
    lines = [json.dumps({"id": f"r{i}", "body": f"release number {i} about wind parks in district {i}"})
             for i in range(count)]
    lines[4] = "{not json"
    lines[CHUNK + 99] = json.dumps({"id": "no-body"})
    lines[-1] = json.dumps({"id": "r7", "body": "the last version of release seven, about solar"})
    result = CliRunner().invoke(cli, ["--config", str(sample_config), "import", "-", "--json"],
                                input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [error["line"] for error in report["errors"]] == [5, CHUNK + 100]
    assert report["imported"] == count - 2
    shown = CliRunner().invoke(cli, ["--config", str(sample_config), "show", "r7", "--json"])
    assert "about solar" in json.loads(shown.stdout)["body"]  # the later line of an id wins
    reindexed = CliRunner().invoke(cli, ["--config", str(sample_config), "reindex"])
    assert reindexed.exit_code == 0, reindexed.stderr
    stats = CliRunner().invoke(cli, ["--config", str(sample_config), "stats", "--json"])
    assert json.loads(stats.stdout)["documents"] == count - 3  # r7 twice, two bad lines
    shown = CliRunner().invoke(cli, ["--config", str(sample_config), "show", "r7", "--json"])
    assert "about solar" in json.loads(shown.stdout)["body"]
