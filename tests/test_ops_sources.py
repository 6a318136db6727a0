"""The operator's view after runs with a failing source: `wiredesk sources` and the last run in `stats`."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from opssite import call, publish, write_config
from siteserver import Reply, Site

SOURCE_KEYS = {"name", "kind", "enabled", "last_run", "last_success", "new_last_run", "failures", "next_due", "last_error"}
WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


def test_sources_and_stats_after_a_run_with_a_failing_source(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        publish(site, range(3))
        site.route("/broken/feed.xml", Reply(500, b"upstream down"))
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")))
        config.write_text(config.read_text() + f'\n[[sources]]\nname = "broken"\nkind = "feed"\nurl = "{site.url("/broken/feed.xml")}"\n'
                          'every = "1h"\n\n[[sources]]\nname = "off"\nkind = "feed"\nurl = "http://127.0.0.1:9/"\nenabled = false\n')
        started = datetime.now(timezone.utc)
        for args in (["ingest"], ["ingest", "--source", "broken"]):
            assert call(wiredesk_bin, config, *args).returncode == 0

    result = call(wiredesk_bin, config, "sources", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert list(rows) == ["wire", "broken", "off"] and all(set(row) == SOURCE_KEYS for row in rows.values())
    wire, broken, off = rows["wire"], rows["broken"], rows["off"]
    assert (wire["kind"], wire["enabled"], wire["new_last_run"], wire["failures"], wire["last_error"]) == ("feed", True, 3, 0, "")
    assert wire["last_run"] == wire["last_success"] and datetime.fromisoformat(wire["last_run"]) >= started
    assert wire["next_due"] is None  # no `every`: due on every run
    assert broken["failures"] == 2 and broken["last_success"] is None and "500" in broken["last_error"]
    # backed off: two failures in a row of an hourly source wait two hours from the last attempt
    assert datetime.fromisoformat(broken["next_due"]) - datetime.fromisoformat(broken["last_run"]) == timedelta(hours=2)
    assert off == {"name": "off", "kind": "feed", "enabled": False, "last_run": None, "last_success": None,
                   "new_last_run": 0, "failures": 0, "next_due": None, "last_error": ""}

    text = call(wiredesk_bin, config, "sources").stdout.splitlines()
    assert text[0] == "wire [feed]"
    assert re.fullmatch(rf"  last run {WHEN}, last success {WHEN}, 3 new, 0 failures in a row, due now", text[1])
    assert text[2] == "broken [feed]"
    assert re.fullmatch(rf"  last run {WHEN}, last success never, 0 new, 2 failures in a row, next due {WHEN}", text[3])
    assert text[4].startswith("  last error: ") and "500" in text[4]
    assert text[5:] == ["off [feed] (disabled)", "  last run never, last success never, 0 new, 0 failures in a row, disabled"]

    stats = call(wiredesk_bin, config, "stats", "--json")
    last = json.loads(stats.stdout)["last_run"]
    assert last["outcome"] == "failures" and datetime.fromisoformat(last["finished"]) >= started
    lines = call(wiredesk_bin, config, "stats").stdout.splitlines()
    assert re.fullmatch(rf"last run: ingest, finished {WHEN}, with failing sources \(see `wiredesk sources`\)", lines[-1])
