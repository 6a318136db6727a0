"""Text a hostile page puts in a release comes out harmless: no terminal escapes or bidirectional overrides
in text output, no formula or control character in a CSV cell; JSON keeps it exactly (escaped)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from opssite import call, write_config

TITLE = "=HYPERLINK(\"http://evil.example\",\"Click\") \x1b]0;owned\x07 tender \u202egnp.exe"
BODY = ("@SUM(1+1) Solar tender \x1b[2J\x1b[31mred\x1b[0m opens today in Jaipur \u2066isolated\u2069 with "
        "a line\nbreak and\ta tab, and more words so the release has some body to it.")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, wiredesk_bin: str) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    config = write_config(folder)
    records = folder / "records.jsonl"
    records.write_text(json.dumps({"id": "h1", "title": TITLE, "body": BODY, "agency": "-Wire",
                                   "url": "https://wire.example/h1"}) + "\n", encoding="utf-8")
    done = call(wiredesk_bin, config, "import", str(records))
    assert done.returncode == 0, done.stderr
    return config


def _clean(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\u202e\u2066\u2069")


def test_text_output_strips_escapes_and_bidi_controls(hostile: Path, wiredesk_bin: str) -> None:
    for args in (("search", "tender"), ("show", "h1")):
        done = call(wiredesk_bin, hostile, *args)
        assert done.returncode == 0, done.stderr
        assert "tender" in done.stdout and _clean(done.stdout), done.stdout


def test_csv_cells_are_one_line_without_controls_and_never_a_formula(hostile: Path, wiredesk_bin: str) -> None:
    done = call(wiredesk_bin, hostile, "search", "tender", "--csv")
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"Click\") ]0;owned tender gnp.exe"
    assert row["agency"] == "'-Wire"
    assert row["snippet"] and _clean(done.stdout)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_json_keeps_the_text_exactly(hostile: Path, wiredesk_bin: str) -> None:
    done = call(wiredesk_bin, hostile, "show", "h1", "--json")
    assert json.loads(done.stdout)["title"] == TITLE
