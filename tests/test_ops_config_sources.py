"""`wiredesk init` and `wiredesk sources add/remove/enable/disable/import/export`, through the installed
command, against a loopback site: what a person does to set up a desk without editing TOML by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from opssite import call, feed, publish
from siteserver import Reply, Site

from wiredesk.core.config import load_config

USER_AGENT = "wiredesk-test/1.0 (+mailto:desk@example.org)"


def _config(folder: Path) -> Path:
    """A config written by `wiredesk init`, with the [fetch] rules a test run needs and a comment of ours."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text('# our own comment, kept by every change\n[storage]\nhome = "home"  # beside this file\n\n'
                    f'[fetch]\nuser_agent = "{USER_AGENT}"\ndelay = 0\nretries = 0\ntimeout = 5\n', encoding="utf-8")
    return path


def _json(done) -> dict:  # type: ignore[no-untyped-def]
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _home_page(site: Site, head: str = "") -> None:
    site.route("/", Reply(200, f"<html><head><title>Example Wire | Newsroom</title>{head}</head>"
                               "<body><h1>News</h1></body></html>".encode()))


def test_init_writes_a_commented_starter_config_and_never_overwrites(tmp_path: Path, wiredesk_bin: str) -> None:
    path = tmp_path / "desk" / "config.toml"
    path.parent.mkdir()
    done = call(wiredesk_bin, path, "init", "--json")
    assert _json(done) == {"written": str(path)}
    text = path.read_text()
    assert text.startswith("# wiredesk configuration, written by `wiredesk init`") and "# [[sources]]" in text
    config = load_config(path)
    assert config.sources == () and config.storage.home == path.parent / "data"
    again = call(wiredesk_bin, path, "init")
    assert (again.returncode, again.stderr) == (1, f"Error: {path} exists already: it was left as it is\n")
    assert path.read_text() == text


def test_add_finds_the_announced_feed_and_keeps_the_comments(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        links = publish(site, range(3), prefix="/news")
        _home_page(site, '<link rel="alternate" type="application/rss+xml" title="Example Wire: releases" '
                         'href="/news/feed.xml">')
        config = _config(tmp_path)
        before = config.read_text()
        dry = _json(call(wiredesk_bin, config, "sources", "add", site.url("/"), "--dry-run", "--json"))
        assert dry["written"] is False and config.read_text() == before
        added = _json(call(wiredesk_bin, config, "sources", "add", site.url("/"), "--agency", "Example Wire",
                           "--every", "30m", "--json"))
        assert added["found"] == [{"url": site.url("/news/feed.xml"), "kind": "feed", "how": "<link rel=alternate>",
                                   "entries": len(links), "title": "Example Wire: releases"}]
        assert added["source"] == {"name": "example-wire-releases", "kind": "feed", "url": site.url("/news/feed.xml"),
                                   "agency": "Example Wire", "every": "30m"}
        text = config.read_text()
        assert text.startswith(before) and text[len(before):] == (
            f'\n[[sources]]\nname = "example-wire-releases"\nkind = "feed"\nurl = "{site.url("/news/feed.xml")}"\n'
            'agency = "Example Wire"\nevery = "30m"\n')
        assert {seen.headers.get("user-agent") for seen in site.seen()} == {USER_AGENT}
        assert "/robots.txt" in site.paths()  # asked before anything else of the host
        # the source works as written
        ingest = _json(call(wiredesk_bin, config, "ingest", "--json"))
        assert ingest["sources"]["example-wire-releases"]["new"] == len(links)
        # the same feed again is refused; a text run says what it found
        again = call(wiredesk_bin, config, "sources", "add", site.url("/"))
        assert again.returncode == 1 and again.stderr == (
            f"Error: {site.url('/news/feed.xml')} is followed already, as the source 'example-wire-releases'\n")


def test_add_falls_back_to_robots_sitemaps_then_common_paths(tmp_path: Path, wiredesk_bin: str) -> None:
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               '<url><loc>{}</loc></url></urlset>')
    with Site() as site:
        _home_page(site)
        site.route("/robots.txt", Reply(200, f"User-agent: *\nAllow: /\nSitemap: {site.url('/maps/news.xml')}\n".encode(),
                                        {"Content-Type": "text/plain"}))
        site.route("/maps/news.xml", Reply(200, sitemap.format(site.url("/a.html")).encode(),
                                           {"Content-Type": "application/xml"}))
        config = _config(tmp_path / "robots")
        done = call(wiredesk_bin, config, "sources", "add", site.url("/"))
        assert done.returncode == 0, done.stderr
        assert done.stdout == (f"found sitemap {site.url('/maps/news.xml')} (1 entry, from robots.txt)\n"
                               f"added source example-wire-newsroom [sitemap] {site.url('/maps/news.xml')}\n")
    with Site() as site:
        _home_page(site)
        site.route("/rss.xml", Reply(200, feed([site.url("/a.html")]), {"Content-Type": "application/rss+xml"}))
        config = _config(tmp_path / "common")
        added = _json(call(wiredesk_bin, config, "sources", "add", site.url("/"), "--name", "wire", "--json"))
        assert added["source"] == {"name": "wire", "kind": "feed", "url": site.url("/rss.xml")}
        assert added["found"][0]["how"] == "common path"
        assert "/sitemap.xml" not in site.paths(), "the common paths stop at the first that reads"


def test_a_feed_served_from_another_host_allows_the_site_s_pages(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site, Site() as feeds:
        links = publish(site, range(2), prefix="/news")
        feeds.route("/wire.xml", Reply(200, feed(links), {"Content-Type": "application/rss+xml"}))
        _home_page(site, f'<link rel="alternate" type="application/atom+xml" href="{feeds.url("/wire.xml")}">')
        config = _config(tmp_path)
        added = _json(call(wiredesk_bin, config, "sources", "add", site.url("/"), "--json"))
        assert added["source"]["allow"] == [feeds.host, site.host]
        ingest = _json(call(wiredesk_bin, config, "ingest", "--json"))
        assert ingest["sources"][added["source"]["name"]]["new"] == len(links)


def test_add_of_a_site_offering_nothing_or_barring_us_changes_nothing(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        _home_page(site, '<link rel="alternate" type="application/rss+xml" href="/broken.xml">')
        site.route("/broken.xml", Reply(200, b"<html><body>not a feed</body></html>"))
        config = _config(tmp_path)
        before = config.read_text()
        done = call(wiredesk_bin, config, "sources", "add", site.url("/"))
        assert done.returncode == 1 and done.stderr == (
            f"Error: no feed or sitemap found at {site.url('/')} (tried {site.url('/broken.xml')}: neither a feed "
            "nor a sitemap)\n")
        site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain"}))
        barred = call(wiredesk_bin, config, "sources", "add", site.url("/"))
        assert barred.returncode == 1 and barred.stderr == f"Error: cannot read {site.url('/')}: robots.txt disallows\n"
        bad = call(wiredesk_bin, config, "sources", "add", "ftp://example.com/")
        assert bad.returncode == 2 and bad.stderr == "Error: not an http(s) address: 'ftp://example.com/'\n"
        assert config.read_text() == before


def test_remove_enable_disable(tmp_path: Path, wiredesk_bin: str) -> None:
    config = _config(tmp_path)
    config.write_text(config.read_text() + '\n# the wire\n[[sources]]\nname = "wire"\nkind = "feed"\n'
                      'url = "https://wire.example/feed.xml"  # its feed\n\n[[sources]]\nname = "other"\nkind = "feed"\n'
                      'url = "https://other.example/feed.xml"\n')
    assert _json(call(wiredesk_bin, config, "sources", "disable", "wire", "--json")) == {
        "name": "wire", "enabled": False, "changed": True}
    assert not load_config(config).source("wire").enabled
    assert 'url = "https://wire.example/feed.xml"  # its feed\nenabled = false\n' in config.read_text()
    same = call(wiredesk_bin, config, "sources", "disable", "wire")
    assert same.stdout == "source wire was disabled already\n"
    assert call(wiredesk_bin, config, "sources", "enable", "wire").stdout == "enabled source wire\n"
    assert load_config(config).source("wire").enabled and "enabled" not in config.read_text()
    assert _json(call(wiredesk_bin, config, "sources", "remove", "other", "--json")) == {"removed": "other"}
    assert [s.name for s in load_config(config).sources] == ["wire"] and "# the wire" in config.read_text()
    unknown = call(wiredesk_bin, config, "sources", "remove", "nope")
    assert unknown.returncode == 2 and unknown.stderr == f"Error: {config}: no source named 'nope' (known: wire)\n"


OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Reader export</title></head><body>
  <outline text="Wires" title="Wires">
    <outline type="rss" text="Example Wire" title="Example Wire" xmlUrl="https://wire.example/feed.xml"
             htmlUrl="https://wire.example/"/>
    <outline type="rss" text="" xmlUrl="https://leak.example/rss"/>
  </outline>
  <outline type="rss" text="Already here" xmlUrl="https://old.example/rss"/>
  <outline type="rss" text="Not the web" xmlUrl="javascript:alert(1)"/>
</body></opml>
"""


def test_opml_import_and_export_round_trip(tmp_path: Path, wiredesk_bin: str) -> None:
    config = _config(tmp_path)
    config.write_text(config.read_text() + '\n[[sources]]\nname = "old"\nkind = "feed"\nurl = "https://old.example/rss"\n'
                      '\n[[sources]]\nname = "local"\nkind = "files"\npath = "pages"\n')
    opml = tmp_path / "subscriptions.opml"
    opml.write_bytes(OPML)
    imported = _json(call(wiredesk_bin, config, "sources", "import", str(opml), "--json"))
    assert imported == {
        "added": [{"name": "example-wire", "kind": "feed", "url": "https://wire.example/feed.xml"},
                  {"name": "leak-example", "kind": "feed", "url": "https://leak.example/rss"}],
        "skipped": [{"url": "https://old.example/rss", "reason": "followed already"},
                    {"url": "javascript:alert(1)", "reason": "not an http(s) address"}]}
    before = config.read_text()
    hostile = tmp_path / "hostile.opml"
    hostile.write_bytes(b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
                        b'<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://x.example/rss"/>'
                        b'</body></opml>')
    refused = call(wiredesk_bin, config, "sources", "import", str(hostile))
    assert refused.returncode == 2 and "root:" not in refused.stderr and config.read_text() == before
    exported = call(wiredesk_bin, config, "sources", "export")
    assert exported.returncode == 0 and exported.stderr == "left out (not feeds): local\n"
    other = _config(tmp_path / "other")
    (tmp_path / "export.opml").write_text(exported.stdout)
    again = _json(call(wiredesk_bin, other, "sources", "import", str(tmp_path / "export.opml"), "--json"))
    assert [(s["name"], s["url"]) for s in again["added"]] == [
        ("old", "https://old.example/rss"), ("example-wire", "https://wire.example/feed.xml"),
        ("leak-example", "https://leak.example/rss")]
    broken = tmp_path / "broken.opml"
    broken.write_bytes(b"<html><body>no</body></html>")
    done = call(wiredesk_bin, config, "sources", "import", str(broken))
    assert done.returncode == 2 and done.stderr == ("Error: cannot read the OPML file: not OPML: the root element "
                                                    "is not <opml>\n")


@pytest.mark.parametrize("command", [("sources", "export", "--json"), ("sources", "--json")])
def test_listing_and_export_json(tmp_path: Path, wiredesk_bin: str, command: tuple[str, ...]) -> None:
    config = _config(tmp_path)
    config.write_text(config.read_text() + '\n[[sources]]\nname = "wire"\nkind = "feed"\nurl = "https://wire.example/f"\n')
    result = _json(call(wiredesk_bin, config, *command))
    if command[1] == "export":
        assert result["left_out"] == [] and 'xmlUrl="https://wire.example/f"' in result["opml"]
    else:
        assert [row["name"] for row in result] == ["wire"]
