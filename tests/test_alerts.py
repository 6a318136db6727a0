"""Alerts through the installed command: saved, matched against each run's new releases, delivered to the
summary, `ingest --json`, a JSON-lines file and the configured command, and never twice for one release."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from click.testing import CliRunner
from opssite import call, publish, write_config
from siteserver import Site

from wiredesk import search
from wiredesk.index import open_index
from wiredesk.alerts import Alerts
from wiredesk.cli import cli
from wiredesk.core.config import load_config

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
    assert f"alert hydrogen: 1 new release: {ids[3]}\nalert wind: 1 new release: {ids[4]}\nindexed 2 releases\n" in second.stderr
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
