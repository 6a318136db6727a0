"""The web app's HTML as served (Starlette's test client): what each page holds, how hostile text is
escaped, and how errors read. What a person does with the pages is tested in a browser (test_web_browser)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from conftest import HOSTILE_RELEASE
from starlette.testclient import TestClient

from wiredesk import Desk, NotFoundError
from wiredesk.web import make_app
from wiredesk.web.pages import marked
from wiredesk.web.timeline import period_for, timeline

ROADMAP = '"defence industrial roadmap"'


@pytest.fixture(scope="module")
def client(web_sample: Path) -> Iterator[TestClient]:
    with Desk.open(web_sample) as desk, TestClient(make_app(desk), raise_server_exceptions=False) as client:
        yield client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_search_page_has_hits_facets_chips_a_timeline_and_paging(client: TestClient) -> None:
    page = client.get("/", params=[("q", "india"), ("filter", "agency=ANI"), ("since", "2025-01")])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'value="india"' in html and 'value="2025-01"' in html
    assert 'data-facet="people"' in html and 'data-facet="countries"' in html
    assert re.search(r'<li class="chip"><span>agency: ANI</span> <a href="/\?q=india&amp;since=2025-01"', html)
    assert re.search(r'<li class="chip"><span>since: 2025-01</span> <a href="/\?q=india&amp;filter=agency%3DANI"', html)
    assert "<mark>India</mark>" in html or "<mark>india</mark>" in html
    bars = re.findall(r'<a class="bar" href="([^"]+)"', html)
    assert bars and all("since=" in bar and "until=" in bar and "filter=agency%3DANI" in bar for bar in bars)
    everything = client.get("/", params={"per-page": "5"}).text
    assert "page 1 of" in everything and 'rel="next" href="/?page=2&amp;per-page=5"' in everything
    assert "41 releases in" in _text(everything)


def test_a_cut_facet_says_how_many_more_and_no_hit_says_why(client: TestClient, tmp_path: Path) -> None:
    html = client.get("/").text
    people = re.search(r'<section class="facet" data-facet="people">.*?</section>', html, re.S).group(0)
    assert people.count("<li") == 10 and re.search(r'<p class="more">and \d+ more</p>', people)
    with Desk(tmp_path / "empty") as desk, TestClient(make_app(desk)) as empty:
        assert "No releases match: the index holds no releases yet" in empty.get("/", params={"q": "x"}).text


def test_a_misspelt_query_offers_the_suggestion(client: TestClient) -> None:
    html = client.get("/", params={"q": "hydrogne"}).text
    assert 'Did you mean <a href="/?q=hydrogen">hydrogen</a>?' in html


def test_hostile_text_is_escaped_everywhere_and_a_script_url_is_not_a_link(client: TestClient) -> None:
    hit = client.get("/", params={"q": "hydrogen", "filter": "source=hostile"}).text
    release = client.get("/release/hostile-1").text
    for html in (hit, release):
        assert "<script>alert" not in html and "<img" not in html and "<b>Wire" not in html and "<i>Mallory" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in re.findall(r'href="[^"]*"', release).__str__()
    assert "javascript:alert(3)" in release  # shown as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in release and "the page as fetched" not in release


def test_marked_escapes_the_snippet_and_marks_only_the_spans() -> None:
    assert marked("<b>x</b> & y", [(3, 4), (11, 12)]) == "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; <mark>y</mark>"
    assert marked("abc", [(0, 2), (1, 3)]) == "<mark>ab</mark>c"  # an overlapping span is left out


def test_the_release_page_has_every_part(client: TestClient) -> None:
    some = client.get("/api/search", params={"q": ROADMAP}).json()["hits"][0]["id"]
    story = client.get(f"/api/release/{some}").json()
    html = client.get(f"/release/{some}").text
    text = _text(html)
    assert story["title"] in text.replace("&#39;", "'")
    assert all(f'href="/release/{copy["id"]}"' in html for copy in story["copies"])
    assert 'id="similar"' in html and html.count('href="/release/') > len(story["copies"])
    for person in story["people"]:
        assert f'href="/?filter=people%3D{person.replace(" ", "+")}"' in html
    assert f'href="/release/{some}/raw"' in html


def test_the_archived_page_is_plain_text_in_a_sandbox(client: TestClient) -> None:
    some = client.get("/api/search", params={"q": ROADMAP}).json()["hits"][0]["id"]
    raw = client.get(f"/release/{some}/raw")
    assert raw.status_code == 200 and raw.headers["content-type"] == "text/plain; charset=utf-8"
    assert raw.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert raw.text.lstrip().lower().startswith("<!doctype html")
    missing = client.get("/release/hostile-1/raw")
    assert missing.status_code == 404 and "has no archived page" in missing.text


def test_the_api_names_the_archived_page(web_sample: Path) -> None:
    with Desk.open(web_sample) as desk:
        some = desk.search(ROADMAP).hits[0]
        page = desk.archived_page(some.id)
        assert page.url == some.url and b"<html" in page.body.lower()
        with pytest.raises(NotFoundError, match="has no archived page"):
            desk.archived_page(HOSTILE_RELEASE["id"])


def test_the_sources_page_shows_each_sources_health(client: TestClient) -> None:
    html = client.get("/sources").text
    assert 'data-source="sample"' in html and '<td class="health ok">ok</td>' in html
    assert "No alerts saved" in html


def test_errors_are_pages_with_one_line_and_the_search_kept(client: TestClient) -> None:
    bad = client.get("/", params={"q": '"green', "since": "2025"})
    assert bad.status_code == 400
    assert "unbalanced quote: the phrase opened at character 1 is never closed" in bad.text
    assert 'value="&#34;green"' in bad.text and 'value="2025"' in bad.text
    assert client.get("/release/0000000000000000").status_code == 404
    assert client.get("/nothing").status_code == 404 and "no such page" in client.get("/nothing").text
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")


def test_the_timeline_picks_its_unit_from_the_span_and_counts_every_hit() -> None:
    chart = timeline("day", [("2025-04-16", 4), ("2025-04-01", 1), ("2025-04-02", 0)])
    assert chart.unit == "day" and len(chart.bars) == 16 and chart.peak == 4
    assert (chart.bars[-1].label, chart.bars[-1].height) == ("2025-04-16", max(bar.height for bar in chart.bars))
    weeks = timeline("day", [("2025-04-16", 4), ("2024-01-23", 1)])
    assert weeks.unit == "week" and weeks.bars[0].label == "week of 2024-01-22"
    assert weeks.bars[0].first.weekday() == 0 and sum(bar.count for bar in weeks.bars) == 5
    months = timeline("month", [("2025-04", 4), ("2020-01", 1)])
    assert (months.unit, months.bars[0].label, months.bars[-1].label, len(months.bars)) == ("month", "2020-01", "2025-04", 64)
    assert (months.bars[-1].first.isoformat(), months.bars[-1].last.isoformat()) == ("2025-04-01", "2025-04-30")
    years = timeline("year", [("9999", 1), ("0001", 1)])
    assert (years.unit, years.bars[0].label, years.bars[-1].label) == ("year", "0001", "9999")
    assert timeline("day", []) is None and timeline("year", [("2025", 0)]) is None
    assert [period_for(2025, 2025), period_for(2024, 2025), period_for(2006, 2025), period_for(1, 2025)] == \
        ["day", "day", "month", "year"]


def test_a_release_dated_in_the_year_1_makes_a_chart_of_years(tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "title": f"Release {n}", "body": "solar power plant", "published": published}
               for n, published in enumerate(["0001-01-01T00:00:00+00:00", "2025-04-16T10:00:00+00:00"])]
    with Desk(tmp_path / "home") as desk:
        desk.import_records(records)
        with TestClient(make_app(desk)) as client:
            html = client.get("/", params={"q": "solar"}).text
    assert "hits per year, 0001-01-01 to 2025-12-31" in html
    bars = re.findall(r'<a class="bar" href="([^"]+)"', html)
    assert bars == ["/?q=solar&amp;since=0001-01-01&amp;until=0001-12-31", "/?q=solar&amp;since=2025-01-01&amp;until=2025-12-31"]
