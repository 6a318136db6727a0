"""Queries a stranger may type or script: any depth of nesting, any date, as real `wiredesk search` processes.
A bad one is exit 2 with one line; in a batch, only its own line reports the error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from opssite import command, environment

DEEP = "(" * 200 + "solar" + ")" * 200


def search(wiredesk_bin: str, config: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(wiredesk_bin, config, "search", *args), input=stdin, capture_output=True,
                          text=True, env=environment(), timeout=60)


def test_a_query_nested_too_deep_is_a_query_error(ingested_sample: Path, wiredesk_bin: str) -> None:
    for query in (DEEP, "NOT " * 300 + "solar"):
        done = search(wiredesk_bin, ingested_sample, query)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.startswith("Error: the query nests parentheses or NOTs more than 50 deep (at character ")
    nested = search(wiredesk_bin, ingested_sample, "(" * 50 + "solar" + ")" * 50, "--json")
    assert nested.returncode == 0 and json.loads(nested.stdout)["total"] > 0


def test_dates_at_the_ends_of_the_calendar(ingested_sample: Path, wiredesk_bin: str) -> None:
    until = search(wiredesk_bin, ingested_sample, "solar", "--until", "9999-12-31", "--json")
    plain = search(wiredesk_bin, ingested_sample, "solar", "--json")
    assert until.returncode == 0 and json.loads(until.stdout)["total"] == json.loads(plain.stdout)["total"]
    ranged = search(wiredesk_bin, ingested_sample, "solar published:[0001-01-01 TO 9999-12-31]", "--json")
    assert ranged.returncode == 0 and json.loads(ranged.stdout)["total"] == json.loads(plain.stdout)["total"]
    for since in ("99999999 days ago", "0001-01-01T00:00:00+14:00"):
        done = search(wiredesk_bin, ingested_sample, "solar", "--since", since)
        assert (done.returncode, done.stdout, done.stderr) == (
            2, "", f"Error: the date {since!r} is out of range (years 1 to 9999)\n")


def test_a_bad_query_in_a_batch_reports_on_its_own_line(ingested_sample: Path, wiredesk_bin: str) -> None:
    lines = ["q1\tsolar", f"q2\t{DEEP}", "q3\tsolar published:[2025-01-01 TO 9999-12-31]",
             "q4\tsolar --since", "q5\twind"]
    done = search(wiredesk_bin, ingested_sample, "--batch", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["qid"] for row in rows] == ["q1", "q2", "q3", "q4", "q5"]
    assert rows[1]["error"].startswith("the query nests parentheses or NOTs more than 50 deep")
    assert all("error" not in row and row["total"] > 0 for row in (rows[0], rows[2], rows[4]))
