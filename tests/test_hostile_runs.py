"""Whole runs against hostile sites and hostile files: a bad page, URL or file ends as that page's skip or
failure with a reason, a bad source fails alone, and the run always finishes (issue 18)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from opssite import call, environment, publish, start, write_config
from siteserver import Reply, Site
import test_fetch_harvest
from test_fetch_harvest import HTML, NOW, article, rss, run, summary

from wiredesk.core.config import SourceConfig
from wiredesk.core.release import release_id
from wiredesk.core.urls import MAX_URL_LENGTH
from wiredesk.ingest.state import open_state, url_row

FEED = {"Content-Type": "application/rss+xml"}


def make_config(tmp_path: Path, *sources: SourceConfig, **fetch: object):
    """The harvest tests' config with timeouts a loaded machine cannot miss: no answer here is slow on purpose."""
    return test_fetch_harvest.make_config(tmp_path, *sources, **{"timeout": 10.0, "connect_timeout": 10.0, **fetch})
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def feed_source(site: Site, name: str, links: list[str], **options: object) -> SourceConfig:
    site.route(f"/{name}/feed.xml", Reply(200, rss([(link, f"story {n}") for n, link in enumerate(links)]), FEED))
    return SourceConfig(name=name, kind="feed", url=site.url(f"/{name}/feed.xml"), **options)  # type: ignore[arg-type]


def healthy(site: Site) -> SourceConfig:
    site.route("/good/1.html", Reply(200, article("Healthy story"), HTML))
    return feed_source(site, "good", [site.url("/good/1.html")])


def urlset(*locs: str) -> bytes:
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset {SITEMAP_NS}>{entries}</urlset>'.encode()


# one bad URL ----------------------------------------------------------------------------------------------

def test_bad_urls_and_redirects_are_each_one_page_s_problem(site: Site, tmp_path: Path) -> None:
    targets = {"/r/js": "javascript:alert(1)", "/r/data": "data:text/html,hi", "/r/mail": "mailto:a@b.example",
               "/r/port": "http://127.0.0.1:99999/x"}
    for path, target in targets.items():
        site.route(path, Reply(302, headers={"Location": target}))
    links = [site.url(p) for p in targets] + [f"http://127.0.0.1:{port}/x" for port in ("99999", "65536", "-1", "abc")]
    links.append(site.url("/x?" + "a" * 70_000))
    bad = feed_source(site, "bad", links)
    config = make_config(tmp_path, bad, healthy(site), respect_robots=False)
    outcomes = run(config)
    for link in links:
        assert outcomes[link].status in ("skipped", "failed") and outcomes[link].reason, link
    assert outcomes[site.url("/r/js")].reason == "redirected out of scope: not an http(s) URL (javascript)"
    assert outcomes["http://127.0.0.1:abc/x"].reason.startswith("malformed URL")
    assert outcomes[links[-1]].reason == f"URL longer than {MAX_URL_LENGTH} characters"
    assert outcomes[site.url("/good/1.html")].status == "new"


def test_control_characters_in_sitemap_locs(site: Site, tmp_path: Path) -> None:
    bad = [site.url("/s/a" + c + "b.html") for c in ("\t", "\n", "\x7f")]
    site.route("/s/ok.html", Reply(200, article("Sitemap story"), HTML))
    site.route("/sitemap.xml", Reply(200, urlset(*bad, site.url("/s/ok.html")), {"Content-Type": "application/xml"}))
    config = make_config(tmp_path, SourceConfig(name="map", kind="sitemap", url=site.url("/sitemap.xml")),
                         respect_robots=False)
    outcomes = run(config)
    # a newline or tab in <loc> is not whitespace to strip at the ends: it is inside the URL
    assert {url: o.status for url, o in outcomes.items()} == {**{u: "skipped" for u in bad}, site.url("/s/ok.html"): "new"}
    assert {o.reason for url, o in outcomes.items() if url in bad} == {
        "URL holds a control character ('\\t')", "URL holds a control character ('\\n')",
        "URL holds a control character ('\\x7f')"}


def test_a_robots_txt_redirecting_to_javascript_fails_its_host_for_this_run(site: Site, tmp_path: Path) -> None:
    with Site() as hostile:
        hostile.route("/robots.txt", Reply(302, headers={"Location": "javascript:alert(1)"}))
        config = make_config(tmp_path, feed_source(hostile, "bad", [hostile.url("/p/a.html")]), healthy(site))
        outcomes = run(config)
        assert hostile.paths() == {"/robots.txt"}
    # a failure, so the next run tries again, rather than a skip for good
    assert summary(outcomes, hostile.base)["/bad/feed.xml"] == (
        "failed", "robots.txt unreachable (redirected out of scope: not an http(s) URL (javascript))")
    assert outcomes[site.url("/good/1.html")].status == "new"


def test_a_feed_redirected_to_another_host_is_not_followed(site: Site, tmp_path: Path) -> None:
    elsewhere = site.url("/other/feed.xml").replace("127.0.0.1", "localhost")
    site.route("/f/feed.xml", Reply(302, headers={"Location": elsewhere}))
    site.route("/other/feed.xml", Reply(200, rss([]), FEED))
    config = make_config(tmp_path, SourceConfig(name="f", kind="feed", url=site.url("/f/feed.xml")), respect_robots=False)
    outcomes = run(config)
    assert summary(outcomes, site.base) == {
        "/f/feed.xml": ("failed", f"redirected out of scope: host {elsewhere.split('/')[2]} is not allowed for this source")}
    assert "/other/feed.xml" not in site.paths()


def test_what_nobody_foresaw_fails_one_source_or_one_page(site: Site, tmp_path: Path, folder: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # fault injection: a parser and a file reader that raise what no handler names, as a new library
    # version or an input no test imagined might
    import wiredesk.ingest.harvest as harvest
    import wiredesk.ingest.sources as sources

    real_parse, real_read = sources.parse_feed, harvest.read_local

    def parse_feed(body: bytes, *, base_url: str = "") -> list:
        if "/bad/" in base_url:
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(body, base_url=base_url)

    def read_local(path: Path, *, limit: int) -> bytes:
        if path.name == "cursed.html":
            raise RuntimeError("something new")
        return real_read(path, limit=limit)

    monkeypatch.setattr(sources, "parse_feed", parse_feed)
    monkeypatch.setattr(harvest, "read_local", read_local)
    (folder / "cursed.html").write_bytes(article("Cursed"))
    local = SourceConfig(name="local", kind="files", path=folder, url="https://local.example/")
    config = make_config(tmp_path, feed_source(site, "bad", [site.url("/x.html")]), healthy(site), local,
                         respect_robots=False)
    outcomes = run(config)
    assert outcomes[site.url("/good/1.html")].status == "new"
    assert outcomes["https://local.example/good.html"].status == "new"
    assert (outcomes[site.url("/bad/feed.xml")].status, outcomes[site.url("/bad/feed.xml")].reason) == \
        ("failed", "internal error: RecursionError: maximum recursion depth exceeded")
    assert (outcomes["https://local.example/cursed.html"].status, outcomes["https://local.example/cursed.html"].reason) \
        == ("failed", "internal error: RuntimeError: something new")


# decompression --------------------------------------------------------------------------------------------

def test_a_gzip_sitemap_over_its_bound_fails_its_source_only(site: Site, tmp_path: Path) -> None:
    import gzip
    inflater_input = b'<?xml version="1.0"?><urlset>' + b" " * 60_000_000 + b"</urlset>"
    site.route("/map.xml.gz", Reply(200, gzip.compress(inflater_input, 9), {"Content-Type": "application/gzip"}))
    config = make_config(tmp_path, SourceConfig(name="map", kind="sitemap", url=site.url("/map.xml.gz")),
                         healthy(site), respect_robots=False)
    outcomes = run(config)
    assert summary(outcomes, site.base)["/map.xml.gz"] == ("failed", "sitemap inflates past max_bytes (50000000)")
    assert outcomes[site.url("/good/1.html")].status == "new"


# the sitemap depth edge case ------------------------------------------------------------------------------

def test_three_levels_of_sitemap_index_reach_their_urlset(site: Site, tmp_path: Path) -> None:
    def index(child: str) -> bytes:
        return (f'<?xml version="1.0"?><sitemapindex {SITEMAP_NS}><sitemap><loc>{site.url(child)}</loc></sitemap>'
                "</sitemapindex>").encode()
    for level in range(3):
        site.route(f"/sm/{level}.xml", Reply(200, index(f"/sm/{level + 1}.xml")))
    site.route("/sm/3.xml", Reply(200, urlset(site.url("/sm/a.html"))))
    site.route("/sm/a.html", Reply(200, article("Deep sitemap story"), HTML))
    config = make_config(tmp_path, SourceConfig(name="deep", kind="sitemap", url=site.url("/sm/0.xml")), respect_robots=False)
    assert summary(run(config), site.base) == {"/sm/a.html": ("new", "")}
    # one level more is refused, at the index that would go deeper
    site.route("/sm/3.xml", Reply(200, index("/sm/4.xml")))
    site.route("/sm/4.xml", Reply(200, urlset(site.url("/sm/b.html"))))
    got = summary(run(config, now=NOW + timedelta(days=1)), site.base)
    assert got == {"/sm/3.xml": ("failed", "sitemap index nested deeper than 3 levels")}


# identity -------------------------------------------------------------------------------------------------

def test_a_page_cannot_take_over_another_source_s_release(site: Site, tmp_path: Path) -> None:
    # two hosts on one server: "trusted" is served as localhost, "hostile" as 127.0.0.1
    trusted_url = site.url("/news/story.html").replace("127.0.0.1", "localhost")
    site.route("/news/story.html", Reply(200, article("Genuine trusted story"), HTML))
    forged = article("Forged hostile story").replace(b"<head>", f'<head><link rel="canonical" href="{trusted_url}">'.encode())
    site.route("/evil/story.html", Reply(200, forged, HTML))
    site.route("/t/feed.xml", Reply(200, rss([(trusted_url, "t")]), FEED))
    trusted = SourceConfig(name="trusted", kind="feed", url=site.url("/t/feed.xml").replace("127.0.0.1", "localhost"))
    hostile = feed_source(site, "hostile", [site.url("/evil/story.html")])
    config = make_config(tmp_path, trusted, hostile, respect_robots=False)
    releases = {o.source: o.release for o in run(config).values()}
    assert releases["trusted"] is not None and releases["hostile"] is not None
    assert releases["trusted"].id == release_id(trusted_url)
    assert releases["hostile"].url == site.url("/evil/story.html")  # its canonical named another host
    assert releases["hostile"].id != releases["trusted"].id


def test_reindex_holds_archived_pages_to_the_same_rule(site: Site, tmp_path: Path) -> None:
    from dataclasses import replace

    from wiredesk.ingest.replay import replay

    trusted_url = site.url("/news/story.html").replace("127.0.0.1", "localhost")
    forged = article("Forged hostile story").replace(b"<head>", f'<head><link rel="canonical" href="{trusted_url}">'.encode())
    site.route("/evil/story.html", Reply(200, forged, HTML))
    config = make_config(tmp_path, feed_source(site, "hostile", [site.url("/evil/story.html")]), respect_robots=False)
    run(config)
    # from the archive, with the source still configured and after it was removed from the config
    for again in (config, replace(config, sources=())):
        (release,) = list(replay(again))
        assert release.url == site.url("/evil/story.html") and release.id != release_id(trusted_url)


def test_a_canonical_url_on_the_source_s_own_host_is_still_the_identity(site: Site, tmp_path: Path) -> None:
    page = article("Story with tracking").replace(
        b"<head>", f'<head><link rel="canonical" href="{site.url("/news/story.html")}">'.encode())
    site.route("/news/story-amp.html", Reply(200, page, HTML))
    config = make_config(tmp_path, feed_source(site, "wire", [site.url("/news/story-amp.html")]), respect_robots=False)
    release = next(iter(run(config).values())).release
    assert release is not None and release.url == site.url("/news/story.html")


def test_a_hijack_through_the_cli_leaves_the_trusted_release(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    trusted_url = site.url("/news/story.html").replace("127.0.0.1", "localhost")
    site.route("/news/story.html", Reply(200, article("Genuine trusted story"), HTML))
    forged = article("Forged hostile story").replace(b"<head>", f'<head><link rel="canonical" href="{trusted_url}">'.encode())
    site.route("/evil/story.html", Reply(200, forged, HTML))
    site.route("/t/feed.xml", Reply(200, rss([(trusted_url, "t")]), FEED))
    site.route("/h/feed.xml", Reply(200, rss([(site.url("/evil/story.html"), "h")]), FEED))
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nhome = "home"\n[fetch]\ndelay = 0\nretries = 0\nrespect_robots = false\n'
                      f'[[sources]]\nname = "trusted"\nkind = "feed"\nurl = "{site.url("/t/feed.xml").replace("127.0.0.1", "localhost")}"\n'
                      f'[[sources]]\nname = "hostile"\nkind = "feed"\nurl = "{site.url("/h/feed.xml")}"\n')
    for name in ("trusted", "hostile"):  # the forgery comes second, as it did when it won
        assert call(wiredesk_bin, config, "ingest", "--source", name).returncode == 0
    hits = json.loads(call(wiredesk_bin, config, "search", "story", "--json").stdout)["hits"]
    assert sorted((h["source"], h["title"]) for h in hits) == [("hostile", "Forged hostile story"),
                                                               ("trusted", "Genuine trusted story")]


# 304 ------------------------------------------------------------------------------------------------------

def test_an_unsolicited_304_does_not_lose_the_page(site: Site, tmp_path: Path) -> None:
    site.route("/p/a.html", Reply(304), Reply(200, article("Second chance"), HTML))
    config = make_config(tmp_path, feed_source(site, "wire", [site.url("/p/a.html")]), respect_robots=False)
    first = run(config)
    assert summary(first, site.base) == {"/p/a.html": ("failed", "HTTP 304 to a request that was not conditional")}
    with closing(open_state(config.storage.state_db)) as conn:
        assert url_row(conn, site.url("/p/a.html"))["status"] == "failed"
    assert summary(run(config, now=NOW + timedelta(days=1)), site.base) == {"/p/a.html": ("new", "")}


# local files ----------------------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.html").write_bytes(article("Local good story"))
    return pages


def files_config(tmp_path: Path, folder: Path):
    source = SourceConfig(name="local", kind="files", path=folder, url="https://local.example/")
    return make_config(tmp_path, source)


def test_a_file_name_that_is_not_utf8(tmp_path: Path, folder: Path) -> None:
    with open(os.fsencode(folder) + b"/caf\xe9.html", "wb") as out:
        out.write(article("Latin-1 named story"))
    outcomes = run(files_config(tmp_path, folder))
    assert {url: o.status for url, o in outcomes.items()} == {
        "https://local.example/caf%E9.html": "new", "https://local.example/good.html": "new"}


def test_symlinks_leading_outside_the_folder_are_refused(tmp_path: Path, folder: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_bytes(article("Secret outside the folder"))
    (folder / "passwd.html").symlink_to("/etc/passwd")
    (folder / "secret.html").symlink_to(secret)
    (folder / "inside.html").symlink_to(folder / "good.html")
    (folder / "escape").symlink_to(tmp_path, target_is_directory=True)
    got = summary(run(files_config(tmp_path, folder)), "https://local.example")
    assert got == {"/good.html": ("new", ""), "/inside.html": ("new", ""),  # a link within the folder is read
                   "/passwd.html": ("skipped", "symlink leads outside the folder"),
                   "/secret.html": ("skipped", "symlink leads outside the folder")}
    archived = b"".join(p.read_bytes() for p in (tmp_path / "home" / "archive").rglob("*.gz"))
    assert b"root:" not in archived


def test_fifos_devices_and_huge_files_never_hang_or_flood(tmp_path: Path, folder: Path) -> None:
    os.mkfifo(folder / "pipe.html")
    with open(folder / "huge.html", "wb") as out:  # sparse: 2 GB on paper, nothing on disk
        out.write(b"<html><body><p>start</p>")
        out.truncate(2 << 30)
    got = summary(run(files_config(tmp_path, folder)), "https://local.example")
    assert got == {"/good.html": ("new", ""), "/pipe.html": ("skipped", "not a regular file (a FIFO)"),
                   "/huge.html": ("skipped", "file over max_bytes (1000000)")}


def test_extract_on_a_fifo_answers_at_once(tmp_path: Path, wiredesk_bin: str) -> None:
    pipe = tmp_path / "pipe.html"
    os.mkfifo(pipe)
    result = subprocess.run([wiredesk_bin, "extract", str(pipe)], capture_output=True, text=True, timeout=30,
                            env=environment(), stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["error"] == f"{pipe}: not a regular file (a FIFO)"


def test_watch_mode_outlives_a_hostile_source(site: Site, tmp_path: Path, wiredesk_bin: str) -> None:
    site.route("/r/js", Reply(302, headers={"Location": "javascript:alert(1)"}))
    links = publish(site, range(2))
    site.route("/bad/feed.xml", Reply(200, rss([(site.url("/r/js"), "js"), ("http://127.0.0.1:99999/x", "port")]), FEED))
    config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")), ("bad", site.url("/bad/feed.xml")))
    watcher = start(wiredesk_bin, config, "ingest", "--watch", "--json")
    try:
        report = json.loads(watcher.stdout.readline())  # the first round
        assert report["sources"]["wire"]["new"] == len(links)
        assert sorted(e["reason"] for e in report["sources"]["bad"]["errors"]) == [
            "malformed URL (Port out of range 0-65535)", "redirected out of scope: not an http(s) URL (javascript)"]
        time.sleep(0.5)
        assert watcher.poll() is None, "watch mode keeps running after a round with hostile pages"
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=10)
    assert watcher.returncode == 0
