"""Publication dates: every common meta name read, a time without a zone read in the story's own zone
(the source's, the wire's, the dateline city's), and the story's own day used by day-based searches."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.config import SourceConfig
from wiredesk.ingest.extract import extract
from wiredesk.ingest.page import RawPage

STORY = ("The ministry said the new rules for drone exports would take effect next month after a review by "
         "the cabinet, which met for three hours on the proposals.")


def page(meta: str, first: str = f"New Delhi, April 16 (PTI) {STORY}") -> RawPage:
    html = f"""<html><head><title>Drone export rules</title>{meta}</head><body><article><h1>Drone export rules</h1>
    <p>{first}</p><p>{STORY}</p></article></body></html>"""
    return RawPage(url="https://news.example.in/a", body=html.encode())


@pytest.mark.parametrize("name", ["pub_date", "PubDate", "article:published_time", "datePublished", "DC.date.issued",
                                  "dcterms.date", "date", "publication_date"])
def test_every_common_meta_name_is_read(name):
    attribute = "property" if ":" in name else "name"
    release = extract(page(f'<meta {attribute}="{name}" content="2025-04-16T08:10:00+05:30">'))
    assert release.published == datetime(2025, 4, 16, 2, 40, tzinfo=timezone.utc)
    assert release.published_local.isoformat() == "2025-04-16T08:10:00+05:30"


def test_a_time_without_a_zone_is_the_wires_local_time_and_its_day_is_kept():
    release = extract(page('<meta name="pub_date" content="2025-04-16 02:30">'))
    assert release.agency == "PTI"
    assert release.published == datetime(2025, 4, 15, 21, 0, tzinfo=timezone.utc)  # the instant, as before
    assert release.to_dict()["published_local"] == "2025-04-16T02:30:00+05:30"


def test_a_time_given_in_utc_is_shown_in_the_wires_local_time():
    release = extract(page('<meta property="article:published_time" content="2025-04-15T21:00:00Z">'))
    assert release.published_local.isoformat() == "2025-04-16T02:30:00+05:30"


def test_the_source_zone_wins_and_the_dateline_city_comes_last():
    rome = SourceConfig(name="it", kind="feed", url="https://news.example.it/", timezone="Europe/Rome")
    meta = '<meta name="date" content="2025-04-16 09:00">'
    assert extract(page(meta), source=rome).published_local.isoformat() == "2025-04-16T09:00:00+02:00"
    paris = extract(page(meta, first=f"PARIS, April 16 (Reuters) - {STORY}"))
    assert paris.published_local.isoformat() == "2025-04-16T09:00:00+02:00"
    nowhere = extract(page(meta, first=STORY))
    assert nowhere.published_local.isoformat() == "2025-04-16T09:00:00+00:00"


def test_the_dateline_city_is_looked_up_in_its_own_country():
    meta = '<meta name="date" content="2025-04-16 09:00">'
    ontario = extract(page(meta, first=f"LONDON, Ontario, April 16 (Reuters) - {STORY}"))
    assert ontario.dateline.country == "Canada"
    assert ontario.published_local.isoformat() == "2025-04-16T09:00:00-04:00"  # Toronto's zone, not London's
    london = extract(page(meta, first=f"LONDON, April 16 (Reuters) - {STORY}"))
    assert london.published_local.isoformat() == "2025-04-16T09:00:00+01:00"


def _import(tmp_path: Path, records: list[dict]) -> Path:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nhome = "data"\n', encoding="utf-8")
    (tmp_path / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "import", str(tmp_path / "records.jsonl")])
    assert result.exit_code == 0, result.output
    return config


def test_day_based_searches_and_facets_use_the_storys_own_day(tmp_path):
    config = _import(tmp_path, [
        {"id": "pti", "title": "Drone rules", "body": STORY, "published_local": "2025-04-16T02:30:00+05:30"},
        {"id": "ap", "title": "Port strike", "body": STORY, "published": "2025-04-15T23:00:00-04:00"},
        {"id": "old", "title": "Earlier", "body": STORY, "published": "2025-03-31T12:00:00+00:00"},
    ])

    def search(*args: str) -> dict:
        result = CliRunner().invoke(cli, ["--config", str(config), "search", "--json", "--limit", "50", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    assert sorted(h["id"] for h in search("--since", "2025-04-16")["hits"]) == ["pti"]
    assert sorted(h["id"] for h in search("--until", "2025-04-15")["hits"]) == ["ap", "old"]
    assert sorted(h["id"] for h in search("published:2025-04-16")["hits"]) == ["pti"]
    # an instant is an instant: the PTI story came out at 21:00 UTC on the 15th
    assert sorted(h["id"] for h in search("--since", "2025-04-15T20:00:00+00:00")["hits"]) == ["ap", "pti"]
    facets = search("drone", "--facet", "month", "--facet", "year")["facets"]
    assert facets["month"] == [["2025-03", 1], ["2025-04", 2]] and facets["year"] == [["2025", 3]]
    shown = CliRunner().invoke(cli, ["--config", str(config), "show", "pti", "--json"])
    assert json.loads(shown.output)["published"] == "2025-04-15T21:00:00+00:00"
    assert json.loads(shown.output)["published_local"] == "2025-04-16T02:30:00+05:30"
