"""Import records made into releases (ingest's `records`), and an import's releases made again by a reindex."""

from __future__ import annotations

import json
from pathlib import Path

from wiredesk import Desk
from wiredesk.ingest.records import parse_lines, release_from_record

NOW = "2025-05-06T07:08:09+00:00"
STORY = {"url": "https://newsroom.example/wind", "title": "Wind farm opens", "body": "A wind farm opens in Kerala."}


def test_each_bad_line_is_reported_with_its_number_and_the_rest_are_read() -> None:
    lines = [json.dumps(STORY), "\n", "{not json", json.dumps([1, 2]), json.dumps({"url": "u", "error": "a listing"}),
             json.dumps({"title": " ", "body": ""}), json.dumps({"title": "Only a title", "body": 3}),
             json.dumps({**STORY, "url": "https://newsroom.example/sun", "source": "wire"})]
    records = parse_lines(10, lines, source="import", now=NOW)
    assert [(r.url, r.source) for r in records.releases] == [
        ("https://newsroom.example/wind", "import"), ("https://newsroom.example/sun", "wire")]
    assert [(e["line"], e["reason"].partition(":")[0]) for e in records.errors] == [
        (12, "not JSON"), (13, "not a release"),
        (14, "the record holds no release"), (15, "the record has no text"), (16, "'body' is missing or not a string")]


def test_the_archived_record_makes_the_same_release_again() -> None:
    records = parse_lines(1, [json.dumps(STORY)], source="import", now=NOW)
    (release,), (archived,) = records.releases, records.archived
    assert release.fetched is not None and release.fetched.isoformat() == NOW and release.id
    assert release_from_record(json.loads(archived)) == release


def test_a_reindex_keeps_what_an_import_gave_its_records(tmp_path: Path) -> None:
    with Desk(tmp_path / "home") as desk:
        assert desk.import_records([STORY]).imported == 1
        (hit,) = desk.search("wind").hits
        imported = desk.get(hit.id)
        assert imported.fetched is not None and imported.source == "import"
        assert desk.reindex() == 1
        assert desk.get(hit.id) == imported
