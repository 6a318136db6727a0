"""What a site offers to follow: the feeds and sitemaps behind its home page (`wiredesk sources add URL`).

Looked for in the order a person would: the page itself (a feed or a sitemap given directly), the feeds the
page announces (`<link rel="alternate">` of an RSS, Atom or JSON feed type), the `Sitemap:` lines of the
host's robots.txt, and only when those found nothing, a few common paths (/feed, /rss.xml, /sitemap.xml...).
Every candidate is fetched and read as the source would read it, so only what parses is offered, feeds
first (they carry titles and dates), with how it was found and how many entries it holds.

Every request goes through the run's `Fetcher`: robots.txt, the user agent, per-host limits and deadlines
apply as for any ingest; the common paths are tried one after the other, never all at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from wiredesk.core.config import FetchConfig
from wiredesk.core.errors import FetchError, Skip
from wiredesk.core.urls import origin_entry

from .fetch import Fetcher, Response
from .markup import decode_html, parse_html
from .robots import MAX_ROBOTS_BYTES, robots_url
from .sources import parse_feed, parse_sitemap

__all__ = ["Found", "Discovery", "discover", "COMMON_PATHS", "FEED_TYPES"]

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"})
COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/feeds/all.atom.xml",
                "/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")
_MAX_CANDIDATES = 12  # announced feeds and robots.txt sitemaps read, at most


@dataclass(frozen=True)
class Found:
    """A feed or sitemap that was fetched and read: `how` it was found, `entries` it holds now."""

    url: str
    kind: str  # "feed" or "sitemap"
    how: str  # "the address given", "<link rel=alternate>", "robots.txt", "common path"
    entries: int
    title: str = ""

    def to_dict(self) -> dict:
        return {"url": self.url, "kind": self.kind, "how": self.how, "entries": self.entries, "title": self.title}


@dataclass(frozen=True)
class Discovery:
    """What a site offers (`found`, best first), its page's title, and each candidate that did not read
    (`url`, reason)."""

    url: str
    title: str
    found: tuple[Found, ...]
    rejected: tuple[tuple[str, str], ...]


def discover(url: str, config: FetchConfig) -> Discovery:
    """The feeds and sitemaps behind `url` (a site's home page, or a feed or sitemap itself).

    Raises FetchError or Skip (robots.txt, scope, size) when `url` itself cannot be fetched."""
    return asyncio.run(_discover(url, config))


async def _discover(url: str, config: FetchConfig) -> Discovery:
    found: list[Found] = []
    rejected: list[tuple[str, str]] = []
    site = (origin_entry(url),)
    async with Fetcher(config) as fetcher:
        page = await fetcher.get(url, allowed_hosts=site)
        own = _read(page, "the address given")
        if own is not None:
            return Discovery(url, own.title, (own,), ())
        title, announced = _announced(page)
        candidates = [(link, "<link rel=alternate>", text) for link, text in announced]
        candidates += [(link, "robots.txt", "") for link in await _robots_sitemaps(fetcher, page.final_url, site)]
        seen = {page.final_url}
        for link, how, text in candidates[:_MAX_CANDIDATES]:
            if link not in seen:
                seen.add(link)
                await _try(fetcher, link, how, text, found, rejected)
        if not found:
            base = f"{urlsplit(page.final_url).scheme}://{urlsplit(page.final_url).netloc}"
            for path in COMMON_PATHS:
                link = base + path
                if link not in seen:
                    seen.add(link)
                    await _try(fetcher, link, "common path", "", found, rejected, allowed=site, quiet=True)
                    if found:
                        break
    found.sort(key=lambda f: f.kind != "feed")  # stable: feeds first, each kind in the order found
    return Discovery(url, title, tuple(found), tuple(rejected))


async def _try(fetcher: Fetcher, link: str, how: str, title: str, found: list[Found],
               rejected: list[tuple[str, str]], *, allowed: tuple[str, ...] = (), quiet: bool = False) -> None:
    try:
        response = await fetcher.get(link, allowed_hosts=allowed)
    except (FetchError, Skip) as exc:
        if not quiet:  # a common path that is not there is no news
            rejected.append((link, getattr(exc, "reason", None) or str(exc)))
        return
    read = _read(response, how, title)
    if read is None:
        if not quiet:
            rejected.append((link, "neither a feed nor a sitemap"))
        return
    found.append(read)


def _read(response: Response, how: str, title: str = "") -> Found | None:
    """The response read as a feed, else as a sitemap; None when it is neither."""
    body = response.body
    if body.lstrip()[:1] in (b"<", b"\xef") or body[:2] == b"\x1f\x8b":
        try:
            sitemap = parse_sitemap(body)
        except ValueError:
            pass
        else:
            return Found(response.final_url, "sitemap", how, len(sitemap.urls) + len(sitemap.sitemaps), title)
    if _looks_like_html(response):
        return None
    try:
        items = parse_feed(body, base_url=response.final_url)
    except ValueError:
        return None
    return Found(response.final_url, "feed", how, len(items), title)


def _looks_like_html(response: Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or response.body.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html"))


def _announced(page: Response) -> tuple[str, list[tuple[str, str]]]:
    """The page's title and the feeds its `<link rel="alternate">` elements announce (URL, title)."""
    try:
        tree = parse_html(decode_html(page.body, page.headers.get("content-type", "")))
    except Skip:
        return "", []
    if tree is None:
        return "", []
    title = " ".join(" ".join(tree.xpath("//title//text()")).split())[:200]
    feeds = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rel and kind in FEED_TYPES:
            feeds.append((urljoin(page.final_url, link.get("href").strip()), " ".join((link.get("title") or "").split())))
    return title, feeds


async def _robots_sitemaps(fetcher: Fetcher, url: str, site: tuple[str, ...]) -> list[str]:
    """The `Sitemap:` lines of the host's robots.txt (none when it cannot be read)."""
    from protego import Protego

    try:
        response = await fetcher.get(robots_url(url), allowed_hosts=site, limit=MAX_ROBOTS_BYTES)
    except (FetchError, Skip):
        return []
    text = response.body.decode("utf-8", "replace")
    return [urljoin(url, sitemap) for sitemap in Protego.parse(text).sitemaps]
