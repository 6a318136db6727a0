"""The source parsers on small inputs and on the real feeds, sitemaps and listings in ../shared."""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path

import pytest

from wiredesk.ingest.markup import decode_html
from wiredesk.ingest.sources import parse_feed, parse_listing, parse_sitemap

WIRE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "wire"
needs_shared = pytest.mark.skipif(not WIRE.is_dir(), reason="../shared/fixtures/wire is not here")

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>T</title>
<entry><title>Eins</title><link href="https://example.com/1"/><updated>2025-04-15T10:00:00+02:00</updated>
<author><name>Anna</name></author><category term="Energie"/><summary type="html">&lt;p&gt;Kurz &lt;b&gt;gesagt&lt;/b&gt;&lt;/p&gt;</summary></entry>
</feed>"""


def test_atom_entry_hints() -> None:
    (item,) = parse_feed(ATOM)
    assert item.url == "https://example.com/1"
    assert item.hints.title == "Eins" and item.hints.authors == ("Anna",) and item.hints.categories == ("Energie",)
    assert item.hints.updated == datetime(2025, 4, 15, 8, 0, tzinfo=timezone.utc)
    assert item.hints.summary == "Kurz gesagt" and item.hints.language == "de"
    assert item.lastmod == "2025-04-15T10:00:00+02:00"


def test_rss_091_and_relative_links_and_a_broken_entry() -> None:
    body = (b'<rss version="0.91"><channel><title>x</title><language>en-us</language>'
            b"<item><title>A</title><link>/news/a</link></item><item><title>no link</title></item>"
            b"<item><title>B</title><link>https://other.example/b</link><pubDate>not a date</pubDate></item>"
            b"</channel></rss>")
    items = parse_feed(body, base_url="https://wire.example/feed.xml")
    assert [(i.url, i.problem) for i in items] == [
        ("https://wire.example/news/a", ""), ("https://wire.example/feed.xml#entry-2", "feed entry without a link"),
        ("https://other.example/b", "")]
    assert items[2].hints.published is None and items[0].hints.language == "en-us"


def test_rss_10_rdf() -> None:
    body = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x">'
            b'<title>x</title></channel><item rdf:about="https://e.example/1"><title>One</title>'
            b"<link>https://e.example/1</link><dc:date>2025-04-15T10:00:00Z</dc:date></item></rdf:RDF>")
    (item,) = parse_feed(body)
    assert item.url == "https://e.example/1" and item.hints.published == datetime(2025, 4, 15, 10, tzinfo=timezone.utc)


@pytest.mark.parametrize("body", [b"<html><body>Service unavailable</body></html>", b"", b"\x00\x01garbage"])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(ValueError, match="feed"):
        parse_feed(body)


def test_sitemap_urlset_with_news() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc> https://w.example/a </loc><lastmod>2025-04-15</lastmod><news:news><news:publication><news:name>W</news:name>
    <news:language>hi</news:language></news:publication><news:publication_date>2025-04-15T10:00:00+05:30</news:publication_date>
    <news:title>A &amp; B</news:title><news:keywords>defence, DRDO , </news:keywords></news:news></url>
    <url><lastmod>2025-04-15</lastmod></url></urlset>"""
    sitemap = parse_sitemap(body)
    (item,) = sitemap.urls
    assert item.url == "https://w.example/a" and item.lastmod == "2025-04-15"
    assert item.hints.title == "A & B" and item.hints.categories == ("defence", "DRDO") and item.hints.language == "hi"
    assert item.hints.published == datetime(2025, 4, 15, 4, 30, tzinfo=timezone.utc)
    assert sitemap.sitemaps == []


def test_sitemap_index_gzip() -> None:
    body = gzip.compress(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                         b"<loc>https://w.example/s1.xml.gz</loc><lastmod>2025-04-16T05:00:00Z</lastmod></sitemap></sitemapindex>")
    sitemap = parse_sitemap(body)
    assert [(s.url, s.hints.updated) for s in sitemap.sitemaps] == [
        ("https://w.example/s1.xml.gz", datetime(2025, 4, 16, 5, tzinfo=timezone.utc))]


def test_sitemap_is_parsed_safely(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://w.example/&x;</loc></url></urlset>')
    urls = [i.url for i in parse_sitemap(xxe.encode()).urls]
    assert not any("SECRET" in url for url in urls)
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    with pytest.raises(ValueError, match="inflates past max_bytes"):
        parse_sitemap(bomb, max_bytes=1_000_000)
    with pytest.raises(ValueError, match=r"not a sitemap \(root element <html>\)"):
        parse_sitemap(b"<html><body>hi</body></html>")
    with pytest.raises(ValueError, match="unparseable sitemap"):
        parse_sitemap(b"<urlset><url>")


def test_listing_links_and_next() -> None:
    html = ('<div class="list"><h3><a href="/a?id=1#top">A</a></h3><h3><a href="javascript:void(0)">x</a></h3>'
            '<h3><span>no link</span></h3><a class="story" href="b.html">B</a></div><a rel="next" href="?page=2">More</a>')
    items, following = parse_listing(html, base_url="https://w.example/news/", links=".list h3, a.story", next="a[rel=next]")
    assert [i.url for i in items] == ["https://w.example/a?id=1", "https://w.example/news/b.html"]
    assert following == "https://w.example/news/?page=2"
    with pytest.raises(ValueError, match="bad CSS selector"):
        parse_listing(html, base_url="https://w.example/", links="a[[")


@needs_shared
@pytest.mark.parametrize("name, count", [
    ("feed_googlenews_topstories.rss.xml", 38), ("feed_guardian_us.rss.xml", 55), ("feed_heise_developer.atom.xml", 15),
    ("feed_reuters_direct.rss.xml", 500), ("feed_reuters_fulltext.rss.xml", 500), ("feed_slashdot_rdf_iso8859.xml", 3),
    ("feed_uol_noticias_noxmldecl.rss.xml", 15)])
def test_real_feeds(name: str, count: int) -> None:
    items = parse_feed((WIRE / name).read_bytes(), base_url="https://feeds.example/feed")
    assert len(items) == count
    assert all(i.url.startswith("http") and not i.problem for i in items)
    assert sum(bool(i.hints.title) for i in items) == count


@needs_shared
def test_real_feed_hints() -> None:
    heise = parse_feed((WIRE / "feed_heise_developer.atom.xml").read_bytes())
    assert heise[0].hints.title.startswith("Java-Anwendungsserver") and heise[0].hints.published is not None
    uol = parse_feed((WIRE / "feed_uol_noticias_noxmldecl.rss.xml").read_bytes())
    assert any(ch in "".join(i.hints.title for i in uol) for ch in "çãéó")  # ISO-8859-1 without a declaration


@needs_shared
def test_real_news_sitemaps() -> None:
    news = parse_sitemap((WIRE / "sitemap_news_shinpaideshou_2017.xml").read_bytes())
    assert len(news.urls) == 3
    first = news.urls[0]
    assert first.hints.title == "Job Opening: Reischauer Policy Research Fellow"
    assert first.hints.published == datetime(2017, 4, 25, 10, 0, 36, tzinfo=timezone.utc)
    assert "Johns Hopkins" in first.hints.categories
    assert parse_sitemap((WIRE / "sitemap_news_xfeed_empty_2025.xml").read_bytes()).urls == []
    gzipped = parse_sitemap(gzip.compress((WIRE / "sitemap_news_shinpaideshou_2017.xml").read_bytes()))
    assert gzipped == news


@needs_shared
def test_real_listing_pages() -> None:
    def links(name: str) -> list[str]:
        html = decode_html((WIRE / name).read_bytes(), "")
        items, _ = parse_listing(html, base_url="https://pib.gov.in/allRel.aspx", links="a[href*='PRID=']")
        return [i.url for i in items]
    found = links("pib_allrel_listing.html")
    assert len(found) >= 20 and all("PressReleasePage.aspx?PRID=" in url for url in found)
    assert links("pib_allrel_listing_empty.html") == []
