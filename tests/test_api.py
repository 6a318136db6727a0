"""The Python API (`wiredesk.Desk`) through its own calls: a desk made in code or from a config, runs,
searches, releases, alerts, extraction, the error types, and a script that uses it from `python -`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_FEED

from wiredesk import (Alert, ConfigError, Desk, Hit, ImportReport, IngestReport, NotFoundError, QueryError, Release,
                      Results, Skip, SourceConfig, SourceStatus, Stats, Story, UsageError)
from wiredesk.cli import cli

SAMPLE = SourceConfig(name="sample", kind="files", path=SAMPLE_FEED, url="https://newsroom.wiredesk.example/")
PAGE = SAMPLE_FEED.parent / "news" / "2025" / "04" / "india-italy-defence-industrial-roadmap-rome.html"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """A desk made in code over the bundled sample, with an alert saved before its one ingest run."""
    desk = Desk(tmp_path_factory.mktemp("desk") / "home", sources=[SAMPLE])
    desk.add_alert("hydrogen", '"green hydrogen"', filters={"country": "India"})
    desk.report = desk.ingest()  # type: ignore[attr-defined]
    yield desk
    desk.close()


def test_a_desk_made_in_code_ingests_the_sample_and_reports_typed_counts(desk: Desk) -> None:
    report = desk.report  # type: ignore[attr-defined]
    assert isinstance(report, IngestReport)
    assert report.indexed == 40 and report.sources["sample"].failed == 0 and len(report.new_ids) == 40
    again = desk.ingest()
    assert again.indexed == 0 and again.sources["sample"].unchanged == 40


def test_search_takes_every_option_and_returns_typed_results(desk: Desk) -> None:
    results = desk.search("hydrogen", facets=["agency", "month"], since="2024-01", until=date(2025, 12, 31),
                          sort="newest", limit=3)
    assert isinstance(results, Results) and all(isinstance(hit, Hit) for hit in results.hits)
    assert results.total > 3 and len(results.hits) == 3
    dates = [hit.published for hit in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert sum(count for _, count in results.facets["agency"]) <= results.total
    assert all(len(month) == 7 for month, _ in results.facets["month"])
    second = desk.search("hydrogen", since="2024-01", sort="newest", limit=3, page=2)
    assert not {hit.id for hit in second.hits} & {hit.id for hit in results.hits}
    # a facet value, given back as a filter, finds as many releases as it counted
    agency, count = results.facets["agency"][0]
    assert desk.search("hydrogen", since="2024-01", filters=[f"agency={agency}"]).total == count
    assert desk.search("hydrogen", since="2024-01", filters=[("agency", agency)]).total == count
    collapsed = desk.search("hydrogen", collapse=True)
    assert collapsed.clusters is not None and collapsed.clusters <= collapsed.total
    assert desk.search("hydrogne").suggestion == "hydrogen"


def test_a_release_its_copies_and_similar_ones(desk: Desk) -> None:
    hit = desk.search('"defence industrial roadmap"').hits[0]
    release = desk.get(hit.id)
    assert isinstance(release, Release) and release.title == hit.title and release.body
    story = desk.story(hit.id)
    assert isinstance(story, Story) and story.release == release
    assert story.copies and all(copy.id != hit.id for copy in story.copies)
    similar = desk.similar(hit.id, limit=5)
    assert similar.hits and hit.id not in {h.id for h in similar.hits}
    assert not {copy.id for copy in story.copies} & {h.id for h in similar.hits}


def test_stats_and_sources_are_typed(desk: Desk) -> None:
    stats = desk.stats()
    assert isinstance(stats, Stats) and stats.documents == 40 and sum(stats.sources.values()) == 40
    assert stats.oldest < stats.newest and stats.last_run is not None and stats.last_run.outcome == "ok"
    [sample] = desk.sources()
    assert isinstance(sample, SourceStatus) and sample.name == "sample" and sample.failures == 0
    assert isinstance(sample.last_success, datetime) and sample.last_success.tzinfo is not None


def test_alerts_are_saved_listed_matched_and_removed(desk: Desk) -> None:
    [alert] = desk.alerts()
    assert isinstance(alert, Alert) and alert.filters == (("country", "India"),)
    fired = desk.report.alerts["hydrogen"]  # type: ignore[attr-defined]
    assert fired and alert.fired == len(fired)
    matches = desk.alert_matches("hydrogen", limit=100)
    assert sorted(m.release for m in matches) == sorted(fired)
    assert len(desk.alert_matches("hydrogen", limit=2)) == 2
    desk.add_alert("spare", "solar")
    desk.remove_alert("spare")
    assert [a.name for a in desk.alerts()] == ["hydrogen"]
    with pytest.raises(NotFoundError):
        desk.alert_matches("spare")


def test_errors_are_the_documented_types(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        desk.get("no-such-id")
    with pytest.raises(QueryError):
        desk.search("title:(")
    with pytest.raises(QueryError):
        desk.search("solar", filters=["agency"])
    with pytest.raises(QueryError):
        desk.search("solar", since="the day before")
    with pytest.raises(ConfigError, match="unknown kind 'rss'"):
        Desk(tmp_path, sources=[SourceConfig(name="wire", kind="rss", url="https://example.com/feed")])
    with pytest.raises(ConfigError, match="duplicate source name"):
        Desk(tmp_path, sources=[SAMPLE, SAMPLE])
    with pytest.raises(ConfigError, match="no source named 'wire'"):
        desk.ingest(["wire"])


def test_import_records_takes_mappings_and_reports_bad_ones(tmp_path: Path) -> None:
    with Desk(tmp_path / "home") as desk:
        report = desk.import_records([
            {"id": "tender-1", "title": "Solar tender opens", "body": "The agency opened a solar park tender.",
             "published": "2025-03-01T10:00:00+00:00", "agency": "PIB"},
            {"title": "no body"},
            '{"id": "tender-2", "body": "A second solar tender, for rooftop plants."}',
        ])
        assert isinstance(report, ImportReport) and report.imported == 2
        assert [error["line"] for error in report.errors] == [2]
        # the same desk sees what it has just written
        assert {hit.id for hit in desk.search("solar").hits} == {"tender-1", "tender-2"}
        assert desk.get("tender-1").agency == "PIB"


def test_extract_takes_bytes_or_a_path(desk: Desk) -> None:
    from_path = desk.extract(PAGE)
    from_bytes = desk.extract(PAGE.read_bytes(), url="https://newsroom.wiredesk.example/a.html", source="sample")
    assert from_path.title == from_bytes.title and from_bytes.agency == "ANI"
    assert from_bytes.url == from_path.url.replace("file://", "https://") or from_bytes.url.startswith("https://")
    with pytest.raises(Skip):
        desk.extract(b"")
    with pytest.raises(UsageError):
        desk.extract(str(PAGE))  # type: ignore[arg-type]
    rows = list(desk.extract_files([PAGE, PAGE.parent / "missing.html"]))
    assert rows[0].release is not None and rows[1].error.startswith("cannot read")


def test_to_dict_is_exactly_what_the_command_prints(ingested_sample: Path) -> None:
    def printed(*args: str) -> object:
        result = CliRunner().invoke(cli, ["--config", str(ingested_sample), *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    with Desk.open(ingested_sample) as desk:
        results = desk.search("india", facets=["agency", "year"], collapse=True, limit=4)
        assert results.to_dict() == printed("search", "india", "--facet", "agency", "--facet", "year", "--collapse",
                                            "--limit", "4")
        some = results.hits[0].id
        assert desk.story(some).to_dict() == printed("show", some)
        assert desk.similar(some, limit=3).to_dict() == printed("similar", some, "--limit", "3")
        assert desk.stats().to_dict() == printed("stats")
        assert [s.to_dict() for s in desk.sources()] == printed("sources")


# a script as a user would pipe it to `python -`: no `if __name__ == "__main__":` guard
SCRIPT = textwrap.dedent("""
    import sys
    from wiredesk import Desk, SourceConfig
    from pathlib import Path

    desk = Desk(sys.argv[1], sources=[SourceConfig(name="sample", kind="files", path=Path(sys.argv[2]),
                                                   url="https://newsroom.wiredesk.example/")])
    report = desk.ingest()
    print(report.indexed, report.sources["sample"].failed, desk.search("hydrogen").total)
""")


@pytest.mark.parametrize("how", ["stdin", "file"])
def test_a_script_without_a_main_guard_ingests_with_worker_processes(tmp_path: Path, how: str) -> None:
    """Extraction runs in spawned workers, which must not run the script again (or fail to find `<stdin>`)."""
    args = [str(tmp_path / "home"), str(SAMPLE_FEED)]
    if how == "stdin":
        done = subprocess.run([sys.executable, "-", *args], input=SCRIPT, capture_output=True, text=True,
                              cwd=tmp_path, timeout=300)
    else:
        (tmp_path / "script.py").write_text(SCRIPT, encoding="utf-8")
        done = subprocess.run([sys.executable, "script.py", *args], capture_output=True, text=True, cwd=tmp_path,
                              timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    indexed, failed, found = map(int, done.stdout.split())
    assert (indexed, failed) == (40, 0) and found > 0


def test_importing_the_api_loads_no_stage() -> None:
    """`from wiredesk import Desk` is what every script starts with; the stages load on the first call."""
    heavy = ("numpy", "whoosh", "httpx", "bs4", "multiprocessing", "wiredesk.index", "wiredesk.search",
             "wiredesk.ingest")
    code = f"import sys; from wiredesk import Desk, NotFoundError, SourceConfig; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
