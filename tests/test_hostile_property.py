"""The rule, not a list: no answer a server can give raises past the page it belongs to.

Hypothesis makes up hostile answers (status codes, headers, encodings honest or not, bodies, redirect
targets, broken protocol, a robots.txt of the same kind) and a real loopback server gives them to a whole
run. Whatever it drew: the run finishes; each listed page ends new, unchanged, skipped or failed, with a
one-line reason when it is not indexed and, when it failed, a state row that the next run retries; a
healthy source on another host gets its page as if nothing happened.
"""

from __future__ import annotations

import gzip
import itertools
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from siteserver import Reply, Site
from test_fetch_harvest import article, make_config, rss, run

from wiredesk.core.config import SourceConfig
from wiredesk.ingest.harvest import OUTCOME_STATUSES
from wiredesk.ingest.state import open_state, url_row

HTML_TYPES = ["text/html; charset=utf-8", "application/xhtml+xml", "text/html; charset=bogus-8", "text/html; charset=utf-16",
              "text/plain", "application/pdf", ""]
ENCODINGS = ["", "gzip", "gzip, gzip", "deflate", "br", "zstd", "identity", "gzip, br", "x-bogus", "GZIP"]
LOCATIONS = ["javascript:alert(1)", "data:text/html,<p>x</p>", "mailto:desk@example.com", "http://127.0.0.1:99999/x",
             "http://127.0.0.1:-1/x", "http://[::1", "http://h.example/a\tb", "/next\x7f", "https://elsewhere.example/x",
             "", "   ", "/p/0", "/p/1", "//", "http://" + "a" * 9000 + ".example/", "http:/\\\\evil.example/"]
RETRY_AFTER = ["", "0", "1", "abc", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "-5", "1e9"]
RAW = [b"", b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
       b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       b"HTTP/1.1 200 OK\r\nX-Bytes: \xff\xfe\x00\r\nContent-Length: 2\r\n\r\nok", b"HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n",
       b"HTTP/1.1 302 Found\r\nLocation: \xc3\xa9\xff\r\nContent-Length: 0\r\n\r\n",
       b"HTTP/1.1 302 Found\r\nLocation: http://\xe2\x92\x88.example/\r\nContent-Length: 0\r\n\r\n",
       b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00",
       b"HTTP/1.0 200 OK\r\n\r\n<p>no length, closed at the end</p>"]
BOMB = gzip.compress(b"\0" * 5_000_000, 9)  # 5 MB inflated, past this run's max_bytes


def _encode(body: bytes, encodings: str) -> bytes:
    """`body` encoded as `encodings` says, for the layers we know; the rest left as it is (a lying header)."""
    for token in [t.strip().lower() for t in encodings.split(",") if t.strip()]:
        if token == "gzip":
            body = gzip.compress(body)
        elif token == "deflate":
            body = zlib.compress(body)
        elif token == "br":
            try:
                import brotli
            except ImportError:
                continue
            body = brotli.compress(body)
    return body


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["article", "bytes", "control", "empty", "bomb", "feed", "nested"]))
    if kind == "article":
        return article(draw(st.text(min_size=1, max_size=30)))
    if kind == "bytes":
        return draw(st.binary(max_size=3000))
    if kind == "control":
        noise = "".join(draw(st.lists(st.sampled_from(["\x00", "\x0b", "\x1b", "\x1a", "&#27;", "\ud7ff", "\u202e", "é"]),
                                      max_size=20)))
        return article(f"Control {noise}").replace(b"NEW DELHI", noise.encode("utf-8", "surrogatepass"))
    if kind == "bomb":
        return BOMB
    if kind == "feed":
        return rss([("javascript:alert(1)", "x"), ("http://127.0.0.1:99999/", "y")])
    if kind == "nested":
        return b"<div>" * 3000 + b"<p>deep</p>"
    return b""


@st.composite
def answers(draw: st.DrawFn) -> Reply:
    if draw(st.integers(0, 9)) == 0:
        return Reply(raw=draw(st.sampled_from(RAW)) or b"\r\n")
    status = draw(st.sampled_from([200, 200, 200, 201, 204, 206, 301, 302, 303, 304, 307, 308, 400, 403, 404, 410,
                                   429, 500, 503]))
    headers = {"Content-Type": draw(st.sampled_from(HTML_TYPES))}
    encoding = draw(st.sampled_from(ENCODINGS))
    body = draw(bodies())
    if encoding:
        headers["Content-Encoding"] = encoding
        if body is not BOMB and draw(st.booleans()):  # honest, or a header that lies about the body
            body = _encode(body, encoding)
    if status in (301, 302, 303, 307, 308) or draw(st.integers(0, 4)) == 0:
        headers["Location"] = draw(st.sampled_from(LOCATIONS))
    if status in (429, 503):
        headers["Retry-After"] = draw(st.sampled_from(RETRY_AFTER))
    return Reply(status, body, headers)


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site]]:
    with Site() as hostile, Site() as good:
        good.route("/good/1.html", Reply(200, article("Healthy story"), {"Content-Type": "text/html"}))
        good.route("/good/feed.xml", Reply(200, rss([(good.url("/good/1.html"), "good")]), {"Content-Type": "application/rss+xml"}))
        yield hostile, good


_runs = itertools.count()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pages=st.lists(answers(), min_size=1, max_size=4), robots=answers(), feed_encoding=st.sampled_from(ENCODINGS[:4]))
def test_no_answer_raises_past_its_page(sites: tuple[Site, Site], pages: list[Reply], robots: Reply,
                                        feed_encoding: str) -> None:
    hostile, good = sites
    prefix = f"/run{next(_runs)}"
    links = []
    for number, reply in enumerate(pages):
        hostile.route(f"{prefix}/p/{number}", reply)
        links.append(hostile.url(f"{prefix}/p/{number}"))
    # relative redirect targets land on pages of this run
    for number in range(2):
        hostile.route(f"/p/{number}", pages[number % len(pages)])
    feed = rss([(link, f"story {n}") for n, link in enumerate(links)])
    hostile.route(f"{prefix}/feed.xml", Reply(200, _encode(feed, feed_encoding),
                                              {"Content-Type": "application/rss+xml", "Content-Encoding": feed_encoding}))
    hostile.route("/robots.txt", robots)
    with tempfile.TemporaryDirectory() as folder:
        config = make_config(Path(folder), SourceConfig(name="hostile", kind="feed", url=hostile.url(f"{prefix}/feed.xml")),
                             SourceConfig(name="good", kind="feed", url=good.url("/good/feed.xml")),
                             timeout=10.0, deadline=20.0, retries=0, max_bytes=200_000, max_redirects=3, respect_robots=True)
        outcomes = run(config)  # finishing is the first half of the rule
        assert outcomes[good.url("/good/1.html")].status == "new"
        hostile_outcomes = {url: o for url, o in outcomes.items() if o.source == "hostile"}
        feed_failed = hostile.url(f"{prefix}/feed.xml") in hostile_outcomes
        if not feed_failed:
            assert set(links) <= set(hostile_outcomes)  # every listed page has its end
        with closing(open_state(config.storage.state_db)) as conn:
            for url, outcome in hostile_outcomes.items():
                assert outcome.status in OUTCOME_STATUSES
                if outcome.status in ("skipped", "failed"):
                    assert outcome.reason and "\n" not in outcome.reason, (url, outcome)
                else:
                    assert outcome.status != "new" or outcome.release is not None
                if outcome.status == "failed" and url in links:
                    row = url_row(conn, url)
                    assert row is not None and row["status"] in ("failed", "given_up") and row["last_error"] == outcome.reason
