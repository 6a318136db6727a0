"""The web app's JSON API through Starlette's test client, over the ingested sample: each endpoint answers
what the matching command prints with `--json`, each bad parameter a 400 with the CLI's one line, and
nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from wiredesk import Desk, SourceConfig
from wiredesk.cli import cli
from wiredesk.web import make_app
from wiredesk.web.app import SECURITY_HEADERS

ROADMAP = '"defence industrial roadmap"'


@pytest.fixture(scope="module")
def client(web_sample: Path) -> Iterator[TestClient]:
    with Desk.open(web_sample) as desk, TestClient(make_app(desk), raise_server_exceptions=False) as client:
        yield client


def _cli(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def _printed(config: Path, *args: str) -> object:
    code, out, err = _cli(config, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_search_answers_what_search_json_prints(client: TestClient, web_sample: Path) -> None:
    answer = client.get("/api/search", params=[("q", "hydrogen"), ("facet", "agency"), ("facet", "month"),
                                               ("filter", "country=India"), ("since", "2024"), ("sort", "newest"),
                                               ("per-page", "2"), ("page", "2")])
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json() == _printed(web_sample, "search", "hydrogen", "--facet", "agency", "--facet", "month",
                                     "--filter", "country=India", "--since", "2024", "--sort", "newest",
                                     "--limit", "2", "--page", "2")
    assert answer.json()["total"] > 4 and len(answer.json()["hits"]) == 2


def test_search_with_collapse_dates_and_a_suggestion(client: TestClient, web_sample: Path) -> None:
    collapsed = client.get("/api/search", params={"q": "india", "collapse": "true", "until": "2025-06-30",
                                                  "facet-limit": "2", "facet": "countries"}).json()
    assert collapsed == _printed(web_sample, "search", "india", "--collapse", "--until", "2025-06-30",
                                 "--facet-limit", "2", "--facet", "countries")
    assert collapsed["clusters"] < collapsed["total"] and len(collapsed["facets"]["countries"]) == 2
    assert client.get("/api/search", params={"q": "hydrogne"}).json()["suggestion"] == "hydrogen"
    days = client.get("/api/search", params={"facet": "day", "facet-limit": "1000"}).json()
    assert sum(n for _, n in days["facets"]["day"]) == days["total"] == 41


def test_release_similar_sources_and_alerts_answer_what_the_commands_print(client: TestClient, web_sample: Path) -> None:
    some = client.get("/api/search", params={"q": ROADMAP}).json()["hits"][0]["id"]
    story = client.get(f"/api/release/{some}").json()
    assert story == _printed(web_sample, "show", some) and story["copies"]
    assert client.get(f"/api/similar/{some}", params={"limit": "3"}).json() == \
        _printed(web_sample, "similar", some, "--limit", "3")
    assert client.get("/api/sources").json() == _printed(web_sample, "sources")
    assert client.get("/api/alerts").json() == _printed(web_sample, "alerts", "list") == []


def test_an_alert_and_its_matches(tmp_path: Path, web_sample: Path) -> None:
    with Desk.open(web_sample) as desk:
        fresh = Desk(tmp_path / "home", sources=desk.config.sources)
    with fresh:
        fresh.add_alert("hydrogen", '"green hydrogen"', filters={"country": "India"})
        fresh.ingest()
        with TestClient(make_app(fresh)) as client:
            [alert] = client.get("/api/alerts").json()
            assert alert["name"] == "hydrogen" and alert["filters"] == ["country=India"] and alert["fired"] == 5
            matches = client.get("/api/alerts/hydrogen", params={"limit": "2"}).json()
            assert len(matches) == 2 and all(m["alert"] == "hydrogen" for m in matches)
            assert client.get(f"/api/release/{matches[0]['release']}").status_code == 200
            page = client.get("/sources").text
            assert 'data-alert="hydrogen"' in page and "fired for 5 releases" in page
            title = client.get(f"/api/release/{matches[0]['release']}").json()["title"]
            assert f'<a href="/release/{matches[0]["release"]}">{title}</a>' in page.replace("&#39;", "'")


# (API URL, the same request to the CLI or None where the CLI refuses it in its own words, the message)
BAD_REQUESTS = [
    ("/api/search?q=%22green", ("search", '"green'),
     "unbalanced quote: the phrase opened at character 1 is never closed"),
    ("/api/search?q=x&since=someday", ("search", "x", "--since", "someday"), None),
    ("/api/search?q=x&until=9999-13-01", ("search", "x", "--until", "9999-13-01"), None),
    ("/api/search?q=x&filter=agency", ("search", "x", "--filter", "agency"), "--filter takes FIELD=VALUE, got 'agency'"),
    ("/api/search?q=x&filter=colour=red", ("search", "x", "--filter", "colour=red"), None),
    ("/api/search?q=colour:red", ("search", "colour:red"), None),
    ("/api/search?q=" + "(" * 60 + "x" + ")" * 60, ("search", "(" * 60 + "x" + ")" * 60), None),
    ("/api/search?q=x&facet=colour", None, "unknown facet 'colour'"),
    ("/api/search?q=x&sort=best", None, "unknown sort 'best' (sorts: relevance, newest, oldest)"),
    ("/api/search?q=x&page=0", None, "--limit and --page must be at least 1"),
    ("/api/search?q=x&page=two", None, "page must be a whole number, got 'two'"),
    ("/api/search?q=x&per-page=1000", None, "per-page must be from 1 to 100, got 1000"),
    ("/api/search?q=x&facet-limit=0", None, "the facet limit must be at least 1"),
    ("/api/search?q=x&collapse=maybe", None, "collapse takes true or false, got 'maybe'"),
    ("/api/similar/nope?limit=0", None, "limit must be from 1 to 100, got 0"),
    ("/api/alerts/x?limit=-1", None, "limit must be at least 1, got -1"),
]


@pytest.mark.parametrize(("url", "command", "message"), BAD_REQUESTS)
def test_a_bad_parameter_is_a_400_with_the_clis_one_line(client: TestClient, web_sample: Path, url: str,
                                                         command: tuple[str, ...] | None, message: str | None) -> None:
    answer = client.get(url)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert "\n" not in error and error
    if message:
        assert error.startswith(message)
    if command:
        code, out, err = _cli(web_sample, *command)
        assert (code, out, err) == (2, "", f"Error: {error}\n")


@pytest.mark.parametrize(("url", "command"), [
    ("/api/release/0000000000000000", ("show", "0000000000000000")),
    ("/api/similar/0000000000000000", ("similar", "0000000000000000")),
])
def test_an_unknown_release_is_a_404_with_the_clis_one_line(client: TestClient, web_sample: Path, url: str,
                                                            command: tuple[str, ...]) -> None:
    answer = client.get(url)
    code, _, err = _cli(web_sample, *command)
    assert answer.status_code == 404 and code == 1 and err == f"Error: {answer.json()['error']}\n"


def test_unknown_alerts_routes_and_methods(client: TestClient) -> None:
    answer = client.get("/api/alerts/nothing")
    assert answer.status_code == 404 and answer.json() == {"error": "no alert named 'nothing' (see `wiredesk alerts list`)"}
    assert client.get("/api/nothing").status_code == 404 and client.get("/api/nothing").json() == {"error": "no such page"}
    for method in ("post", "put", "delete", "patch"):
        answer = client.request(method.upper(), "/api/search?q=x")
        assert answer.status_code == 405 and "read-only" in answer.json()["error"]


def test_an_empty_home_answers_empty_and_a_damaged_one_is_a_503_with_one_line(tmp_path: Path) -> None:
    with Desk(tmp_path / "empty") as desk, TestClient(make_app(desk)) as client:
        assert client.get("/api/search?q=x").json()["total"] == 0
        assert client.get("/api/sources").json() == [] and client.get("/api/alerts").json() == []
        assert not (tmp_path / "empty").exists()
    home = tmp_path / "damaged"
    home.mkdir()
    (home / "state.sqlite").write_bytes(b"not a database " * 100)
    source = SourceConfig(name="wire", kind="feed", url="https://wire.example/feed.xml")
    with Desk(home, sources=[source]) as desk, TestClient(make_app(desk)) as client:
        answer = client.get("/api/sources")
        assert answer.status_code == 503 and answer.json()["error"].startswith("the state database")
        assert "\n" not in answer.json()["error"]
        page = client.get("/sources")
        assert page.status_code == 503 and "state.sqlite" in page.text


def test_the_openapi_document_describes_every_route(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [{"url": "http://testserver/"}]
    routes = {route.path.replace(":path", "") for route in client.app.routes if route.path.startswith("/api/")}
    assert set(doc["paths"]) == routes
    search = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert search == {"q", "since", "until", "facet", "filter", "sort", "page", "per-page", "facet-limit", "collapse"}
    referenced = set(json.dumps(doc).split('"#/components/schemas/')[1:])
    assert {ref.partition('"')[0] for ref in referenced} <= set(doc["components"]["schemas"])


def test_every_answer_has_the_security_headers(client: TestClient) -> None:
    for url in ("/api/search?q=x", "/api/search?q=%22", "/api/nothing", "/", "/sources", "/static/app.js"):
        answer = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers[name] == value, (url, name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.lists(st.tuples(st.sampled_from(["q", "since", "until", "facet", "filter", "sort", "page", "per-page",
                                                  "facet-limit", "collapse"]),
                                 st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)),
                       max_size=5))
def test_no_parameters_make_a_server_error(client: TestClient, params: list[tuple[str, str]]) -> None:
    for url in ("/api/search", "/"):
        answer = client.get(url, params=params)
        assert answer.status_code in (200, 400), (params, answer.text[:500])


def test_nothing_is_written_by_any_request(client: TestClient, web_sample: Path) -> None:
    home = web_sample.parent / "data"

    def files() -> dict[str, tuple[int, int]]:
        return {str(p.relative_to(home)): (p.stat().st_mtime_ns, p.stat().st_size) for p in home.rglob("*") if p.is_file()}

    before = files()
    some = client.get("/api/search", params={"q": ROADMAP}).json()["hits"][0]["id"]
    for url in ("/api/search?q=india&facet=agency", f"/api/release/{some}", f"/api/similar/{some}", "/api/sources",
                "/api/alerts", "/api/openapi.json", "/?q=india", f"/release/{some}", f"/release/{some}/raw", "/sources"):
        assert client.get(url).status_code == 200, url
    assert files() == before
