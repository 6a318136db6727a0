"""Alerts through the installed command: saved, matched against each run's new releases, delivered to the
summary, `ingest --json`, a JSON-lines file and the configured command, and never twice for one release;
alerts of a home made when they lived in the state database."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner
from conftest import SAMPLE_FEED
from opssite import call, publish, write_config
from siteserver import Site

from wiredesk import Desk, SourceConfig, search
from wiredesk.alerts import Alerts
from wiredesk.cli import cli
from wiredesk.core.config import load_config
from wiredesk.index import open_index
from wiredesk.ingest.state import TABLES

# the command the config names: one line per call, with the alert's name and the release it was given
RECEIVER = """import json, os, sys
release = json.load(sys.stdin)
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps({"alert": os.environ["WIREDESK_ALERT"], "id": release["id"], "title": release["title"]}) + "\\n")
"""
TOPICS = {0: "wind turbines", 1: "green hydrogen", 2: "bond yields", 3: "green hydrogen", 4: "wind turbines"}


def test_an_alert_fires_once_per_new_release_across_two_runs(tmp_path: Path, wiredesk_bin: str) -> None:
    (tmp_path / "receiver.py").write_text(RECEIVER, encoding="utf-8")
    received = tmp_path / "received.jsonl"
    with Site() as site:
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")),
                              extra=f'[alerts]\ncommand = "{sys.executable} {tmp_path / "receiver.py"} {received}"\n')
        assert call(wiredesk_bin, config, "alerts", "add", "hydrogen", '"green hydrogen"').returncode == 0
        assert call(wiredesk_bin, config, "alerts", "add", "wind", "turbines", "--filter", "agency=Wire").returncode == 0
        bad = call(wiredesk_bin, config, "alerts", "add", "typo", "x", "--filter", "colour=red")
        assert bad.returncode == 2 and bad.stderr.startswith("Error: cannot filter on 'colour'")
        again = call(wiredesk_bin, config, "alerts", "add", "wind", "other")
        assert again.returncode == 2 and "exists" in again.stderr

        links = publish(site, range(3), topics=TOPICS)
        first = call(wiredesk_bin, config, "ingest", "--json")
        links += publish(site, range(5), topics=TOPICS)[3:]  # the feed now lists two more
        second = call(wiredesk_bin, config, "ingest")  # the text summary
        third = call(wiredesk_bin, config, "ingest", "--json")  # nothing new: nothing fires
    assert first.returncode == second.returncode == third.returncode == 0

    with open_index(config.parent / "home" / "index", create=False) as index:
        ids = {number: search.run(index, search.SearchRequest(filters=(("url", link),))).hits[0].id
               for number, link in enumerate(links)}
    assert json.loads(first.stdout)["alerts"] == {"hydrogen": [ids[1]], "wind": [ids[0]]}
    assert f"alert hydrogen: 1 new release: {ids[3]}\nalert wind: 1 new release: {ids[4]}\nindexed 2 releases\n" in second.stdout
    assert json.loads(third.stdout)["alerts"] == {"hydrogen": [], "wind": []}

    # a JSON-lines file per alert, one whole release per line
    lines = (config.parent / "home" / "alerts" / "hydrogen.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [ids[1], ids[3]]
    assert json.loads(lines[0])["body"] and json.loads(lines[0])["title"] == "Plan 1: green hydrogen to expand"
    # the command ran once per firing, with the release as JSON on its stdin
    calls = [json.loads(line) for line in received.read_text(encoding="utf-8").splitlines()]
    assert sorted((c["alert"], c["id"]) for c in calls) == sorted(
        [("hydrogen", ids[1]), ("wind", ids[0]), ("hydrogen", ids[3]), ("wind", ids[4])])

    # the same releases offered again (as after a kill between a commit and its confirmation) fire nothing
    settings = load_config(config)
    alerts = Alerts.saved(settings)
    with open_index(settings.storage.index_root, create=False) as index:
        alerts.check(index, list(ids.values()))
    assert alerts.fired == {"hydrogen": [], "wind": []}

    listed = json.loads(call(wiredesk_bin, config, "alerts", "list", "--json").stdout)
    assert [(a["name"], a["query"], a["filters"], a["fired"]) for a in listed] == [
        ("hydrogen", '"green hydrogen"', [], 2), ("wind", "turbines", ["agency=Wire"], 2)]
    text = call(wiredesk_bin, config, "alerts", "list").stdout.splitlines()
    assert text[0] == """hydrogen: '"green hydrogen"'""" and text[2] == "wind: 'turbines' --filter agency=Wire"
    assert re.fullmatch(r"  fired for 2 releases, last \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text[1])
    assert call(wiredesk_bin, config, "alerts", "remove", "wind").returncode == 0
    gone = call(wiredesk_bin, config, "alerts", "remove", "wind")
    assert gone.returncode == 1 and gone.stderr == "Error: no alert named 'wind' (see `wiredesk alerts list`)\n"
    empty = CliRunner().invoke(cli, ["--config", str(config), "alerts", "remove", "hydrogen"])
    assert empty.exit_code == 0
    listed = CliRunner().invoke(cli, ["--config", str(config), "alerts", "list"])
    assert listed.stdout == "No alerts saved (add one with `wiredesk alerts add NAME QUERY`).\n"


# The alert tables as the state database held them before the alerts had a database of their own.
EARLIER_LAYOUT = """
CREATE TABLE alerts (name TEXT PRIMARY KEY, query TEXT NOT NULL, filters TEXT NOT NULL DEFAULT '[]', created TEXT NOT NULL);
CREATE TABLE alert_fired (alert TEXT NOT NULL, release TEXT NOT NULL, fired TEXT NOT NULL);
CREATE UNIQUE INDEX alert_fired_once ON alert_fired(alert, release);
"""


def _keep_alerts_the_earlier_way(state_db: Path, fired: str) -> None:
    with closing(sqlite3.connect(state_db)) as conn, conn:
        conn.executescript(EARLIER_LAYOUT)
        conn.execute("""INSERT INTO alerts VALUES ('hydrogen', '"green hydrogen"', '[["country", "India"]]', """
                     "'2025-04-01T08:00:00+00:00')")
        conn.execute("INSERT INTO alert_fired VALUES ('hydrogen', ?, '2025-04-02T09:00:00+00:00')", (fired,))


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} - {"sqlite_sequence"}


def test_a_home_of_the_earlier_layout_keeps_its_alerts_and_what_they_fired_for(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sample = SourceConfig(name="sample", kind="files", path=SAMPLE_FEED, url="https://newsroom.wiredesk.example/")
    with Desk(home, sources=[sample]) as desk:
        desk.ingest()
        first, second = [hit.id for hit in desk.search('"green hydrogen"', filters=["country=India"]).hits[:2]]
        assert not (home / "alerts.sqlite").exists()  # no alert saved, no alerts database
        _keep_alerts_the_earlier_way(home / "state.sqlite", fired=first)

        (alert,) = desk.alerts()
        assert (alert.name, alert.query, alert.filters, alert.fired) == ("hydrogen", '"green hydrogen"',
                                                                       (("country", "India"),), 1)
        assert alert.created == datetime(2025, 4, 1, 8, tzinfo=timezone.utc)
        assert [(m.release, m.fired.day) for m in desk.alert_matches("hydrogen")] == [(first, 2)]
        # moved, not copied: the state database holds ingest's tables alone
        assert _tables(home / "state.sqlite") == set(TABLES)
        assert _tables(home / "alerts.sqlite") == {"alerts", "alert_fired"}

        # a release it fired for in the earlier layout does not fire again
        alerts = Alerts.saved(desk.config)
        with open_index(home / "index", create=False) as index:
            alerts.check(index, [first, second])
        assert alerts.fired == {"hydrogen": [second]}

        # a move cut short after the copy (the state database still holds the tables) is finished, once
        _keep_alerts_the_earlier_way(home / "state.sqlite", fired=first)
        assert [(a.name, a.fired) for a in desk.alerts()] == [("hydrogen", 2)]
        assert _tables(home / "state.sqlite") == set(TABLES)
