"""A loopback news site for the ingestion benchmarks: robots.txt, an RSS feed and ~60 KB article pages.

Pages are rendered once, before the clock starts, from releases of the corpus: the article (headline,
time, byline, paragraphs opening with the dateline) inside the chrome of a real news page (inline CSS and
scripts, JSON-LD, a mega-menu, related and trending lists, a long footer), so that cleaning has the same
haystack to search as on a wire's site. The server listens on 127.0.0.1 only, answers at most
`max_requests` requests and stops itself after `lifetime` seconds whatever happens to its caller.
"""

from __future__ import annotations

import html
import json
import random
import threading
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

__all__ = ["PAGE_BYTES", "Site", "render_page"]

PAGE_BYTES = 60_000
ROBOTS = b"User-agent: *\nAllow: /\n"


def _chrome(rng: random.Random, words: list[str]) -> dict[str, str]:
    """The parts of the page every article shares: built once per site, deterministic."""
    def phrase(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize()

    css = "\n".join(f".c-{i} {{ margin: {i % 7}px {i % 5}px; padding: {i % 3}em; color: #{rng.randrange(16**6):06x}; "
                    f"font: {12 + i % 6}px/1.{i % 9} sans-serif; }}" for i in range(150))
    script = "\n".join(f"window.cfg_{i} = {json.dumps({'slot': f'ad-{i}', 'sizes': [[300, 250], [728, 90]], 'k': phrase(3)})};"
                       for i in range(90))
    sections = [phrase(1) for _ in range(12)]
    menu = "\n".join(f'<li class="menu"><a href="/section/{s.lower()}/">{s}</a><ul>' +
                     "".join(f'<li><a href="/section/{s.lower()}/{j}/">{phrase(2)}</a></li>' for j in range(12)) +
                     "</ul></li>" for s in sections)
    footer = "\n".join(f'<a href="/about/{i}/">{phrase(2)}</a>' for i in range(90)) + \
        "<p class='legal'>" + " ".join(phrase(12) + "." for _ in range(12)) + "</p>"
    return {"css": css, "script": script, "menu": menu, "footer": footer}


def render_page(release: dict[str, Any], *, number: int, related: list[tuple[int, str]], chrome: dict[str, str]) -> bytes:
    title = html.escape(release["title"])
    published = release["published"]
    day = datetime.fromisoformat(published)
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in release["body"].split("\n\n"))
    people = release.get("people") or []
    byline = html.escape(people[0]) if people else "Staff Reporter"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": release["title"],
                     "datePublished": published, "author": {"@type": "Person", "name": byline},
                     "publisher": {"@type": "Organization", "name": "Loopback Wire Desk"},
                     "articleSection": (release.get("categories") or [""])[0]})
    tags = "".join(f'<a rel="tag" href="/tag/{html.escape(c.lower())}/">{html.escape(c)}</a>'
                   for c in release.get("categories") or [])
    links = "\n".join(f'<li><a href="/news/{n}.html">{html.escape(t)}</a></li>' for n, t in related)
    head = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title} | Loopback Wire Desk</title>\n'
            f'<meta name="description" content="{html.escape(release["body"][:160])}">\n'
            f'<link rel="canonical" href="/news/{number}.html">\n<meta property="og:title" content="{title}">\n'
            f'<meta property="og:type" content="article">\n<meta property="article:published_time" content="{published}">\n'
            f'<script type="application/ld+json">{ld}</script>\n<style>\n{chrome["css"]}\n</style>\n'
            f'<script>\n{chrome["script"]}\n</script>\n</head>\n')
    body = (f'<body class="article-page">\n<div class="topbar"><a href="/login/">Sign in</a> | <a href="/subscribe/">Subscribe</a></div>\n'
            f'<header><a class="logo" href="/">Loopback Wire Desk</a><nav><ul>\n{chrome["menu"]}\n</ul></nav></header>\n'
            f'<main>\n<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li></ol>\n'
            f'<article>\n<h1>{title}</h1>\n<div class="meta"><span class="byline">By {byline}</span> '
            f'<time datetime="{published}">{day:%B %d, %Y %H:%M} UTC</time></div>\n'
            f'<div class="article-body">\n{paragraphs}\n</div>\n<div class="tags">{tags}</div>\n</article>\n'
            f'<aside class="related"><h2>Related stories</h2><ul>\n{links}\n</ul></aside>\n</main>\n')
    tail = f'<footer>\n{chrome["footer"]}\n</footer>\n</body>\n</html>\n'
    page = head + body
    # "More from the desk" pads the page to PAGE_BYTES with more headline links, as real pages run long
    more, k = [], 0
    while len(page.encode()) + sum(len(m) for m in more) + len(tail) < PAGE_BYTES and related:
        n, t = related[k % len(related)]
        more.append(f'<li class="more"><a href="/news/{n}.html?from=more-{k}">{html.escape(t)}</a> <span>{k} min read</span></li>\n')
        k += 1
    return (page + '<section class="more"><ul>\n' + "".join(more) + "</ul></section>\n" + tail).encode("utf-8")


def render_feed(releases: list[dict[str, Any]], base: str) -> bytes:
    items = []
    for number, release in enumerate(releases):
        when = format_datetime(datetime.fromisoformat(release["published"]))
        categories = "".join(f"<category>{html.escape(c)}</category>" for c in release.get("categories") or [])
        items.append(f"<item><title>{html.escape(release['title'])}</title><link>{base}/news/{number}.html</link>"
                     f"<guid>{base}/news/{number}.html</guid><pubDate>{when}</pubDate>{categories}"
                     f"<description>{html.escape(release['body'][:200])}</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Loopback Wire Desk</title>'
            f"<link>{base}/</link><description>bench</description>\n" + "\n".join(items) +
            "\n</channel></rss>\n").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the fetcher's client expects of real sites
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        body, kind = site.answer(self.path)
        self.send_response(200 if body is not None else 404)
        payload = body if body is not None else b"not found"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a line per request on stderr would cost more than the request


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


class Site:
    """`with Site(releases) as site:` serves them at `site.base`; `site.pages_served` counts article pages."""

    def __init__(self, releases: list[dict[str, Any]], *, lifetime: float = 1800.0, max_requests: int = 0) -> None:
        rng = random.Random("chrome")
        words = [w for r in releases[:50] for w in r["body"].split()[:40]]
        chrome = _chrome(rng, words)
        titles = [(n, r["title"]) for n, r in enumerate(releases)]
        self.releases = releases
        self.pages = [render_page(r, number=n, chrome=chrome, related=[titles[(n + k) % len(titles)] for k in range(1, 21)])
                      for n, r in enumerate(releases)]
        self.lifetime = lifetime
        self.max_requests = max_requests or 4 * len(releases) + 100
        self.requests = 0
        self.pages_served = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.feed = render_feed(releases, self.base)

    def answer(self, path: str) -> tuple[bytes | None, str]:
        with self._lock:
            self.requests += 1
            if self.requests >= self.max_requests:
                threading.Thread(target=self._server.shutdown, daemon=True).start()
        if path == "/robots.txt":
            return ROBOTS, "text/plain"
        if path == "/feed.xml":
            return self.feed, "application/rss+xml"
        name = path.removeprefix("/news/").removesuffix(".html")
        if path.startswith("/news/") and name.isdigit() and int(name) < len(self.pages):
            with self._lock:
                self.pages_served += 1
            return self.pages[int(name)], "text/html; charset=utf-8"
        return None, "text/plain"

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self._server.shutdown)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
