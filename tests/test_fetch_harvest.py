"""Whole runs (`Harvest`) against a loopback site that misbehaves as real wire sites do."""

from __future__ import annotations

import gzip
import os
import random
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from siteserver import Reply, Seen, Site

from wiredesk.ingest import Archive, Harvest, Outcome, due_sources, last_run, source_status
from wiredesk.ingest.replay import replay
from wiredesk.ingest.state import open_state, url_row
from wiredesk.core.config import Config, FetchConfig, SourceConfig, StorageConfig

NOW = datetime(2025, 4, 16, 6, 0, tzinfo=timezone.utc)
FAST = FetchConfig(user_agent="wiredesk-test/1.0", timeout=0.5, connect_timeout=0.5, delay=0.0, retries=1,
                   per_host=2, concurrency=8, max_bytes=1_000_000, max_attempts=2)
HTML = {"Content-Type": "text/html; charset=utf-8"}
WORDS = ("The ministry said on Tuesday that the new solar parks would add capacity across three states, "
         "with financing from public banks and private investors, and that tenders would open next month "
         "for developers who meet the local content rules set out in the policy notified last year.")


def article(title: str, text: str = WORDS) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>"
            f"<p>NEW DELHI, April 15 (Wire) - {text}</p><p>{text}</p></article><footer>(c) Wire</footer>"
            "</body></html>").encode("utf-8")


def rss(entries: Sequence[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title>" + (f"<link>{link}</link>" if link else "")
        + "<pubDate>Tue, 15 Apr 2025 10:00:00 +0000</pubDate></item>"
        for link, title in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def conditional(body: bytes, *, etag: str = '"v1"', content_type: str = "application/rss+xml"):
    modified = format_datetime(datetime(2025, 4, 15, 10, 0, tzinfo=timezone.utc), usegmt=True)

    def answer(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified})
    return answer


def make_config(tmp_path: Path, *sources: SourceConfig, **fetch: object) -> Config:
    return Config(path=tmp_path / "config.toml", storage=StorageConfig(home=tmp_path / "home"),
                  fetch=replace(FAST, **fetch), sources=sources)


def run(config: Config, *, now: datetime = NOW, confirm: bool = True, workers: int = 0,
        sources: Sequence[SourceConfig] | None = None) -> dict[str, Outcome]:
    harvest = Harvest(config, config.sources if sources is None else sources, now=now, workers=workers, backoff=0.02)
    try:
        outcomes = list(harvest)
        if confirm:
            harvest.confirm(outcomes)
    finally:
        harvest.close()
    by_url = {o.url: o for o in outcomes}
    assert len(by_url) == len(outcomes), "one outcome per listed URL"
    return by_url


def summary(outcomes: dict[str, Outcome], base: str) -> dict[str, tuple[str, str]]:
    return {url.replace(base, ""): (o.status, o.reason) for url, o in outcomes.items()}


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        running.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}))
        yield running


@pytest.fixture
def wire(site: Site, tmp_path: Path) -> Config:
    """A feed listing one page for each way a real site misbehaves."""
    latin = ("<html><head><title>Soci\xe9t\xe9</title></head><body><article><h1>Soci\xe9t\xe9 G\xe9n\xe9rale</h1>"
             f"<p>PARIS, April 15 - La Soci\xe9t\xe9 G\xe9n\xe9rale a annonc\xe9 mardi \xe0 Paris. {WORDS}</p>"
             f"<p>{WORDS}</p></article></body></html>").encode("iso-8859-1")
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    noise = random.Random(7).randbytes(50_000)
    pages = {
        "/news/ok": [Reply(200, article("Solar parks"), HTML)],
        "/news/flaky": [Reply(503), Reply(200, article("Flaky wire"), HTML)],
        "/news/busy": [Reply(429, headers={"Retry-After": "1"}), Reply(200, article("Busy wire"), HTML)],
        # far past the timeout, so that a client starved of CPU still times out first (its data cannot be waiting
        # when it wakes); the server stops waiting as soon as the client leaves
        "/news/slow": [Reply(200, article("Slow"), HTML, delay=60.0)],
        "/news/moved": [Reply(301, headers={"Location": "/news/moved2"})],
        "/news/moved2": [Reply(302, headers={"Location": "/news/final"})],
        "/news/final": [Reply(200, article("Moved story"), HTML)],
        "/news/loop": [Reply(302, headers={"Location": "/news/loop2"})],
        "/news/loop2": [Reply(302, headers={"Location": "/news/loop"})],
        "/private/secret": [Reply(200, article("Secret"), HTML)],
        "/news/latin": [Reply(200, latin, {"Content-Type": "text/html; charset=ISO-8859-1"})],
        "/news/big": [Reply(200, chunk, HTML, repeat=40_000_000 // len(chunk))],
        "/news/noise": [Reply(200, noise, HTML)],
        "/news/report.pdf": [Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"})],
    }
    for path, replies in pages.items():
        site.route(path, *replies)
    listed = [p for p in pages if p not in ("/news/moved2", "/news/final", "/news/loop2")] + ["/news/gone"]
    entries = [(site.url(p), p) for p in listed] + [("", "broken entry"), ("https://elsewhere.example/x", "off")]
    site.route("/feed.xml", conditional(rss(entries)))
    return make_config(tmp_path, SourceConfig(name="wire", kind="feed", url=site.url("/feed.xml")))


def test_a_misbehaving_site(site: Site, wire: Config) -> None:
    outcomes = run(wire)
    got = summary(outcomes, site.base)
    assert got == {
        "/news/ok": ("new", ""),
        "/news/flaky": ("new", ""),
        "/news/busy": ("new", ""),
        "/news/slow": ("failed", "timeout after 1 retries"),
        "/news/moved": ("new", ""),
        "/news/loop": ("failed", f"redirect loop at {site.url('/news/loop')}"),
        "/private/secret": ("skipped", "robots.txt disallows"),
        "/news/latin": ("new", ""),
        "/news/big": ("skipped", "body over max_bytes (1000000)"),
        "/news/noise": ("skipped", got["/news/noise"][1]),
        "/news/report.pdf": ("skipped", "not HTML (application/pdf)"),
        "/news/gone": ("failed", "HTTP 404"),
        "/feed.xml#entry-13": ("skipped", "feed entry without a link"),
        "https://elsewhere.example/x": ("skipped", "host elsewhere.example is not allowed for this source"),
    }
    assert got["/news/noise"][1].startswith("binary body")
    latin = outcomes[site.url("/news/latin")].release
    assert latin is not None and "Société Générale a annoncé mardi à Paris" in latin.body
    moved = outcomes[site.url("/news/moved")].release
    assert moved is not None and moved.title == "Moved story"
    # what the server saw
    assert "/private/secret" not in site.paths()
    assert site.max_in_flight <= 2
    assert len(site.seen("/robots.txt")) == 1 and len(site.seen("/feed.xml")) == 1
    assert len(site.seen("/news/flaky")) == 2 and len(site.seen("/news/ok")) == 1
    busy = site.seen("/news/busy")
    assert busy[1].at - busy[0].at >= 0.95
    assert all(s.headers["user-agent"] == "wiredesk-test/1.0" for s in site.seen())


def test_second_run_gets_304_and_fetches_no_article(site: Site, wire: Config) -> None:
    run(wire)
    site.reset()
    second = run(wire, now=NOW + timedelta(minutes=5))
    assert second == {}
    assert site.paths() == {"/robots.txt", "/feed.xml"}
    feed = site.seen("/feed.xml")[0]
    assert feed.headers["if-none-match"] == '"v1"'
    assert feed.headers["if-modified-since"] == "Tue, 15 Apr 2025 10:00:00 GMT"
    status = {row["name"]: row for row in source_status(wire)}["wire"]
    assert status["failures"] == 0 and status["new_last_run"] == 0 and status["last_error"] == ""


def test_failed_pages_are_retried_later_then_given_up(site: Site, wire: Config) -> None:
    run(wire)
    site.reset()
    # a day later the feed is unchanged (304), but the pages that failed are due again
    retried = run(wire, now=NOW + timedelta(days=1))
    assert summary(retried, site.base) == {
        "/news/slow": ("failed", "timeout after 1 retries"),
        "/news/loop": ("failed", f"redirect loop at {site.url('/news/loop')}"),
        "/news/gone": ("failed", "HTTP 404"),
    }
    assert "/news/ok" not in site.paths()
    with closing(open_state(wire.storage.state_db)) as conn:
        gone = url_row(conn, site.url("/news/gone"))
        ok = url_row(conn, site.url("/news/ok"))
    assert (gone["status"], gone["attempts"]) == ("given_up", 2)  # max_attempts = 2
    assert ok["status"] == "indexed" and len(ok["content_hash"]) == 32
    site.reset()
    assert run(wire, now=NOW + timedelta(days=3)) == {}
    assert site.paths() == {"/robots.txt", "/feed.xml"}


def test_unconfirmed_releases_are_done_again(site: Site, wire: Config) -> None:
    first = run(wire, confirm=False)  # as if the index commit never happened
    site.reset()
    second = run(wire, now=NOW + timedelta(minutes=5))
    assert "if-none-match" not in site.seen("/feed.xml")[0].headers
    new = {url for url, o in second.items() if o.status == "new"}
    assert new == {url for url, o in first.items() if o.status == "new"}


def test_an_abandoned_run_leaves_consistent_state(site: Site, wire: Config) -> None:
    harvest = Harvest(wire, wire.sources, now=NOW, workers=0, backoff=0.02)
    iterator = iter(harvest)
    taken = [next(iterator) for _ in range(3)]
    harvest.confirm(taken)
    iterator.close()  # the job stops reading; with SIGKILL not even close() would run
    with closing(open_state(wire.storage.state_db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT etag FROM sources").fetchall() == []
    site.reset()
    again = run(wire, now=NOW + timedelta(minutes=1))
    assert "if-none-match" not in site.seen("/feed.xml")[0].headers
    confirmed = {o.url for o in taken if o.release is not None}
    assert all(again[url].status == "unchanged" for url in confirmed)
    assert sum(o.status == "new" for o in again.values()) == 5 - len(confirmed)
    assert last_run(wire)["outcome"] == "ok"
    with closing(open_state(wire.storage.state_db)) as conn:
        outcomes = [row[0] for row in conn.execute("SELECT outcome FROM runs ORDER BY id")]
    assert outcomes == ["interrupted", "ok"]


def test_changed_feed_entry_is_fetched_again(site: Site, tmp_path: Path) -> None:
    site.route("/a", Reply(200, article("Alpha"), HTML))
    site.route("/b", Reply(200, article("Beta"), HTML))
    feed = '<rss version="2.0"><channel><item><link>{a}</link><pubDate>{d}</pubDate></item>' \
           '<item><link>{b}</link><pubDate>Tue, 15 Apr 2025 10:00:00 +0000</pubDate></item></channel></rss>'
    site.route("/feed", Reply(200, feed.format(a=site.url("/a"), b=site.url("/b"), d="Tue, 15 Apr 2025 10:00:00 +0000").encode(),
                              {"Content-Type": "text/xml"}),
               Reply(200, feed.format(a=site.url("/a"), b=site.url("/b"), d="Wed, 16 Apr 2025 08:00:00 +0000").encode(),
                     {"Content-Type": "text/xml"}))
    config = make_config(tmp_path, SourceConfig(name="w", kind="feed", url=site.url("/feed")))
    run(config)
    site.route("/a", Reply(200, article("Alpha", WORDS + " A correction was added."), HTML))
    site.reset()
    second = summary(run(config), site.base)
    assert second == {"/a": ("updated", ""), "/b": ("unchanged", "")}
    assert "/b" not in site.paths()


def test_source_failure_counts_and_backs_off(site: Site, tmp_path: Path) -> None:
    site.route("/notfeed", Reply(200, b"<html><body>maintenance</body></html>", HTML))
    config = make_config(tmp_path, SourceConfig(name="gone", kind="feed", url=site.url("/nofeed")),
                         SourceConfig(name="junk", kind="feed", url=site.url("/notfeed")))
    got = summary(run(config), site.base)
    assert got["/nofeed"] == ("failed", "HTTP 404")
    assert got["/notfeed"][0] == "failed" and "feed" in got["/notfeed"][1]
    status = {row["name"]: row for row in source_status(config)}
    assert status["gone"]["failures"] == 1 and status["gone"]["last_error"] == f"{site.url('/nofeed')}: HTTP 404"
    assert due_sources(config, now=NOW + timedelta(minutes=1)) == []
    assert len(due_sources(config, now=NOW + timedelta(minutes=6))) == 2
    run(config, now=NOW + timedelta(minutes=6))
    assert {row["name"]: row["failures"] for row in source_status(config)} == {"gone": 2, "junk": 2}
    assert due_sources(config, now=NOW + timedelta(minutes=6 + 9)) == []
    assert last_run(config)["outcome"] == "failures"


def test_due_sources_follow_every(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(article("Alpha"))
    hourly = SourceConfig(name="hourly", kind="files", path=folder, every=timedelta(hours=1))
    always = SourceConfig(name="always", kind="files", path=folder)
    off = SourceConfig(name="off", kind="files", path=folder, enabled=False)
    config = make_config(tmp_path, hourly, always, off)
    assert [s.name for s in due_sources(config, now=NOW)] == ["hourly", "always"]
    run(config, sources=[hourly])
    run(config, sources=[always])
    assert [s.name for s in due_sources(config, now=NOW + timedelta(minutes=30))] == ["always"]
    assert [s.name for s in due_sources(config, now=NOW + timedelta(hours=1))] == ["hourly", "always"]


def sitemap(urls: Sequence[tuple[str, str]], news: bool = True) -> bytes:
    entries = "".join(
        f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod>"
        + ("<news:news><news:publication><news:name>Wire</news:name><news:language>en</news:language>"
           "</news:publication><news:publication_date>2025-04-15T10:00:00+05:30</news:publication_date>"
           f"<news:title>Title of {loc[-2:]}</news:title><news:keywords>energy, solar</news:keywords></news:news>"
           if news else "") + "</url>" for loc, lastmod in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>').encode()


def test_gzip_sitemap_index_with_news_and_lastmod(site: Site, tmp_path: Path) -> None:
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f'<sitemap><loc>{site.url("/news.xml.gz")}</loc><lastmod>2025-04-16T06:30:00Z</lastmod></sitemap>'
             f'<sitemap><loc>{site.url("/old.xml")}</loc><lastmod>2020-01-01</lastmod></sitemap></sitemapindex>')
    site.route("/sitemap.xml", Reply(200, index.encode(), {"Content-Type": "application/xml"}))
    news = [(site.url(f"/s{n}"), "2025-04-15T10:00:00Z") for n in range(1, 4)]
    site.route("/news.xml.gz", Reply(200, gzip.compress(sitemap(news)), {"Content-Type": "application/x-gzip"}))
    site.route("/old.xml", Reply(200, sitemap([(site.url("/s9"), "2020-01-01")], news=False), {"Content-Type": "text/xml"}))
    for n in (1, 2, 3, 9):
        site.route(f"/s{n}", Reply(200, article(f"Story {n}"), HTML))
    config = make_config(tmp_path, SourceConfig(name="map", kind="sitemap", url=site.url("/sitemap.xml")))
    first = run(config)
    assert {url: o.status for url, o in first.items()} == {site.url(f"/s{n}"): "new" for n in (1, 2, 3, 9)}
    release = first[site.url("/s1")].release
    assert release is not None and release.published == datetime(2025, 4, 15, 4, 30, tzinfo=timezone.utc)
    site.reset()
    second = run(config, now=NOW + timedelta(hours=1))
    # old.xml's lastmod in the index predates the first run: not fetched; s1-s3 unchanged by their lastmod
    assert {url: o.status for url, o in second.items()} == {site.url(f"/s{n}"): "unchanged" for n in (1, 2, 3)}
    assert site.paths() == {"/robots.txt", "/sitemap.xml", "/news.xml.gz"}


def test_listing_with_three_pages(site: Site, tmp_path: Path) -> None:
    def page(links: Sequence[str], following: str | None) -> Reply:
        anchors = "".join(f'<li class="story"><a href="{link}">{link}</a></li>' for link in links)
        more = f'<a class="next" href="{following}">Next</a>' if following else ""
        return Reply(200, f"<html><body><ul>{anchors}</ul><a href='/about'>About</a>{more}</body></html>".encode(), HTML)
    site.route("/list", page(["/a1", "/a2"], "/list?page=2"))
    site.route("/list?page=2", page(["/a3", "/a2"], "/list?page=3"))
    site.route("/list?page=3", page(["/a5"], "/list"))  # links back to page 1: the loop ends
    for name in ("a1", "a2", "a3", "a5"):
        site.route(f"/{name}", Reply(200, article(name), HTML))
    source = SourceConfig(name="list", kind="listing", url=site.url("/list"), links="li.story", next="a.next")
    got = run(make_config(tmp_path, source))
    assert sorted(got) == [site.url(f"/{n}") for n in ("a1", "a2", "a3", "a5")]
    assert all(o.status == "new" for o in got.values())
    assert [len(site.seen(p)) for p in ("/list", "/list?page=2", "/list?page=3")] == [1, 1, 1]
    assert "/about" not in site.paths()


def test_listing_stops_at_max_pages(site: Site, tmp_path: Path) -> None:
    for n in range(1, 5):
        body = f'<a class="s" href="/p{n}">p</a><a class="next" href="/l{n + 1}">next</a>'.encode()
        site.route(f"/l{n}", Reply(200, body, HTML))
    source = SourceConfig(name="l", kind="listing", url=site.url("/l1"), links="a.s", next="a.next", max_pages=2)
    config = make_config(tmp_path, source, respect_robots=False)
    got = run(config)
    assert sorted(got) == [site.url("/p1"), site.url("/p2")]
    assert "/l3" not in site.paths()


def test_since_and_max_items(site: Site, tmp_path: Path) -> None:
    feed = '<rss version="2.0"><channel>' + "".join(
        f"<item><link>{site.url(f'/n{n}')}</link><pubDate>{day} Apr 2025 10:00:00 +0000</pubDate></item>"
        for n, day in ((1, "16"), (2, "15"), (3, "14"), (4, "01"))) + "</channel></rss>"
    site.route("/feed", Reply(200, feed.encode(), {"Content-Type": "text/xml"}))
    for n in range(1, 5):
        site.route(f"/n{n}", Reply(200, article(f"n{n}"), HTML))
    source = SourceConfig(name="f", kind="feed", url=site.url("/feed"), since=datetime(2025, 4, 10, tzinfo=timezone.utc),
                          max_items=2)
    config = make_config(tmp_path, source)
    first = summary(run(config), site.base)
    assert first == {"/n1": ("new", ""), "/n2": ("new", ""), "/n4": ("skipped", "published before since (2025-04-10)")}
    second = summary(run(config, now=NOW + timedelta(hours=1)), site.base)
    assert second == {"/n1": ("unchanged", ""), "/n2": ("unchanged", ""), "/n3": ("new", ""),
                      "/n4": ("skipped", "published before since (2025-04-10)")}


def test_files_folder_source(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "2025").mkdir(parents=True)
    (folder / "a.html").write_bytes(article("Alpha"))
    (folder / "2025" / "b.htm").write_bytes(article("Beta"))
    (folder / "notes.txt").write_text("not a page")
    (folder / "empty.html").write_bytes(b"<html><body><p>Too short.</p></body></html>")
    with_url = SourceConfig(name="web", kind="files", path=folder, url="https://news.example/root/")
    config = make_config(tmp_path, with_url)
    got = run(config)
    assert {u: o.status for u, o in got.items()} == {
        "https://news.example/root/a.html": "new", "https://news.example/root/2025/b.htm": "new",
        "https://news.example/root/empty.html": "skipped"}
    again = run(config, now=NOW + timedelta(minutes=1))
    assert [o.status for o in again.values()] == ["unchanged", "unchanged", "skipped"]
    os.utime(folder / "a.html", ns=(0, 0))  # touched but equal: read again, same content hash
    assert run(config)["https://news.example/root/a.html"].status == "unchanged"
    bare = make_config(tmp_path / "b", SourceConfig(name="bare", kind="files", path=folder))
    assert (folder / "a.html").resolve().as_uri() in run(bare)


G2_ITEM = """<?xml version="1.0" encoding="utf-8"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
<newsItem guid="tag:ansa.it,2025-04-14:1" xml:lang="it"><itemMeta><provider literal="ansa.it"/>
<firstCreated>2025-04-14T10:51:00Z</firstCreated></itemMeta><contentMeta><headline>Nuovo terminal a Napoli</headline>
</contentMeta><contentSet><inlineData contenttype="text/plain"><![CDATA[<p>(ANSA) - NAPOLI, 14 APR - L'autorità portuale
ha approvato il nuovo terminal per i container.(ANSA).</p>]]></inlineData></contentSet></newsItem></itemSet></newsMessage>"""


def test_files_folder_source_reads_xml_news_items_as_extract_does(tmp_path: Path) -> None:
    from wiredesk.extract_files import extract_files

    folder = tmp_path / "queue"
    folder.mkdir()
    (folder / "item.xml").write_text(G2_ITEM, encoding="utf-8")
    (folder / "feed.xml").write_text('<?xml version="1.0"?><rss><channel><title>Feed</title></channel></rss>')
    source = SourceConfig(name="queue", kind="files", path=folder, url="https://queue.example/")
    got = run(make_config(tmp_path, source))
    assert {u: (o.status, o.reason) for u, o in got.items()} == {
        "https://queue.example/item.xml": ("new", ""),
        "https://queue.example/feed.xml": ("skipped", "no article: a feed, not a news item")}
    indexed = got["https://queue.example/item.xml"].release.to_dict()
    extracted = next(extract_files([folder / "item.xml"], url="https://queue.example/item.xml", source=source)).to_dict()
    assert {k: v for k, v in indexed.items() if k != "fetched"} == {k: v for k, v in extracted.items() if k != "fetched"}
    assert (indexed["agency"], indexed["dateline"]["city"], indexed["title"]) == ("ANSA", "Naples", "Nuovo terminal a Napoli")


def test_files_feed_source_maps_links_to_the_feed_folder(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    (folder / "news").mkdir(parents=True)
    (folder / "news" / "one.html").write_bytes(article("One"))
    (folder / "two.html").write_bytes(article("Two"))
    entries = [("https://sample.example/news/one.html", "One"), ("two.html", "Two"),
               ("https://sample.example/news/missing.html", "Missing"), ("https://sample.example/../../etc/passwd", "Escape")]
    (folder / "feed.xml").write_bytes(rss(entries))
    source = SourceConfig(name="sample", kind="files", path=folder / "feed.xml", url="https://sample.example/")
    got = run(make_config(tmp_path, source))
    one = got["https://sample.example/news/one.html"]
    assert one.status == "new" and one.release is not None and one.release.title == "One"
    assert got["https://sample.example/two.html"].status == "new"
    assert got["https://sample.example/news/missing.html"].status == "failed"
    assert got["https://sample.example/../../etc/passwd"].reason == "feed links outside the feed's folder"
    missing = make_config(tmp_path / "m", SourceConfig(name="nope", kind="files", path=tmp_path / "absent.xml"))
    (outcome,) = run(missing).values()
    assert outcome.status == "failed" and "no such file or folder" in outcome.reason


def test_replay_rebuilds_from_the_archive_without_the_network(tmp_path: Path) -> None:
    with Site() as site:
        site.route("/a", Reply(200, article("Alpha"), HTML))
        site.route("/b", Reply(200, article("Beta"), HTML))
        site.route("/feed", Reply(200, rss([(site.url("/a"), "Alpha hint"), (site.url("/b"), "Beta")]), {"Content-Type": "text/xml"}))
        config = make_config(tmp_path, SourceConfig(name="w", kind="feed", url=site.url("/feed")), respect_robots=False)
        live = {o.release.id: o.release for o in run(config).values() if o.release}
    Archive(config.storage.archive).put_records([{"id": "imported-1", "title": "Imported", "body": "Imported body text."}])
    replayed = list(replay(config))
    assert {r.id: r for r in replayed if r.id in live} == live
    assert [r.title for r in replayed if r.id == "imported-1"] == ["Imported"]


def test_extraction_in_two_processes_matches_one_thread(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(6):
        (folder / f"p{n}.html").write_bytes(article(f"Story {n}"))
    source = SourceConfig(name="p", kind="files", path=folder, url="https://p.example/")
    threaded = run(make_config(tmp_path / "one", source), workers=0)
    forked = run(make_config(tmp_path / "two", source), workers=2)
    def releases(outcomes: dict[str, Outcome]) -> dict[str, object]:
        return {u: replace(o.release, fetched=None) for u, o in outcomes.items() if o.release}
    assert len(releases(forked)) == 6 and releases(threaded) == releases(forked)
