"""The fetcher against a loopback server that attacks: every answer ends as a response, a `Skip` or a
`FetchError` with a reason, within its bounds (bytes after decompression, the request deadline)."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from dataclasses import replace

import pytest
import test_fetch_http as fetch_http
from siteserver import Reply, Site
from test_fetch_http import site  # noqa: F401 (a fixture)

from wiredesk.core.config import FetchConfig
from wiredesk.core.errors import BadStatusError, FetchError, FetchTimeout, Skip
from wiredesk.core.urls import scope_problem, url_problem
from wiredesk.ingest.fetch import Fetcher, Response
from wiredesk.ingest.inflate import ACCEPT_ENCODING

FAST = FetchConfig(user_agent="wiredesk-test/1.0 (+tests)", timeout=2, connect_timeout=2, delay=0.0, retries=1,
                   per_host=2, concurrency=8, max_bytes=1_000_000, respect_robots=False)
HTML = {"Content-Type": "text/html; charset=utf-8"}
# 600 MB of one byte: about 600 KB gzipped once, about 1 KB twice
FLOOD = 600_000_000


def get(url: str, config: FetchConfig = FAST, **kwargs: object) -> Response:
    return fetch_http.get(url, config, **kwargs)


@pytest.fixture(scope="module")
def double_gzip_bomb() -> bytes:
    inner = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    once = b"".join(inner.compress(b"\0" * 10_000_000) for _ in range(FLOOD // 10_000_000)) + inner.flush()
    return gzip.compress(once, 9)


# redirects and URLs that are not URLs -----------------------------------------------------------------------

@pytest.mark.parametrize("target", ["javascript:alert(1)", "data:text/html,<p>hi</p>", "mailto:desk@example.com",
                                    "http://[::1", "http://127.0.0.1:99999/x", "http://127.0.0.1:-1/x",
                                    "http://127.0.0.1:abc/x", "http://127.0.0.1/a\tb", "/a\x7fb"])
def test_a_redirect_to_nowhere_is_this_page_s_problem(site: Site, target: str) -> None:
    site.route("/a", Reply(302, headers={"Location": target}))
    with pytest.raises((Skip, FetchError)) as caught:
        get(site.url("/a"))
    reason = str(caught.value)
    assert reason and ("redirect" in reason or "URL" in reason), reason


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/a", "http://127.0.0.1:65536/a", "http://127.0.0.1:-1/a",
                                 "http://127.0.0.1:abc/a", "http://h.example/a\tb", "http://h.example/a\nb",
                                 "http://h.example/a\x7fb", "http://h.example/" + "a" * 70_000, "javascript:x",
                                 "http:///nohost"])
def test_urls_that_cannot_be_fetched_are_skipped_with_a_reason(url: str) -> None:
    with pytest.raises(Skip) as caught:
        get(url)
    assert caught.value.reason == url_problem(url) != ""


def test_non_ascii_in_a_url_is_not_a_control_character() -> None:
    # C1 characters (a cp1252 quote read as Latin-1) go out percent-encoded, as browsers send them
    assert url_problem("http://h.example/it\x92s-news\u00e9.html") == ""


def test_a_host_name_that_is_not_valid_idna_is_skipped() -> None:
    with pytest.raises(Skip, match=r"^malformed URL \(Invalid IDNA hostname: '\u2488.example'\)$"):
        get("http://\u2488.example/a")


def test_the_port_is_part_of_the_host_check(site: Site) -> None:
    with Site() as other:
        other.route("/x", Reply(200, b"<p>other service</p>", HTML))
        site.route("/a", Reply(302, headers={"Location": other.url("/x")}))
        with pytest.raises(Skip, match=rf"redirected out of scope: host {other.host} is not allowed"):
            get(site.url("/a"), allowed_hosts=(site.host,))
        assert other.paths() == set()
    assert scope_problem("https://news.example.com/a", ("example.com",)) == ""
    assert scope_problem("http://news.example.com:8080/a", ("example.com",)) == \
        "host news.example.com:8080 is not allowed for this source"
    assert scope_problem("http://example.com:8080/a", ("example.com:8080",)) == ""
    assert scope_problem("http://example.com:8081/a", ("example.com:8080",)) != ""


# decompression --------------------------------------------------------------------------------------------

def test_accepted_encodings_are_the_ones_read_under_a_bound(site: Site) -> None:
    site.route("/a", Reply(200, b"<p>x</p>", HTML))
    get(site.url("/a"))
    assert site.seen("/a")[0].headers["accept-encoding"] == ACCEPT_ENCODING


def test_a_gzip_gzip_bomb_is_cut_while_inflating(site: Site, double_gzip_bomb: bytes) -> None:
    assert len(double_gzip_bomb) < 5_000
    site.route("/bomb", Reply(200, double_gzip_bomb, {**HTML, "Content-Encoding": "gzip, gzip"}))
    with pytest.raises(Skip, match=r"body over max_bytes \(1000000\) once decompressed"):
        get(site.url("/bomb"))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "deflate-raw", "br"])
def test_each_encoding_is_bounded_and_read(site: Site, encoding: str) -> None:
    page = b"<p>" + b"wire story " * 1000 + b"</p>"
    flood = b"\0" * 50_000_000
    if encoding == "br":
        brotli = pytest.importorskip("brotli")
        packed, bomb = brotli.compress(page), brotli.compress(flood)
    elif encoding == "gzip":
        packed, bomb = gzip.compress(page), gzip.compress(flood)
    else:
        wbits = -zlib.MAX_WBITS if encoding == "deflate-raw" else zlib.MAX_WBITS
        packed, bomb = (z.compress(data) + z.flush() for data, z in
                        ((page, zlib.compressobj(9, zlib.DEFLATED, wbits)), (flood, zlib.compressobj(9, zlib.DEFLATED, wbits))))
    header = {**HTML, "Content-Encoding": encoding.split("-")[0]}
    site.route("/page", Reply(200, packed, header))
    site.route("/bomb", Reply(200, bomb, header))
    assert get(site.url("/page")).body == page
    with pytest.raises(Skip, match="once decompressed"):
        get(site.url("/bomb"))


def test_broken_and_unknown_encodings(site: Site) -> None:
    site.route("/broken", Reply(200, b"\x1f\x8b\x08\0\0\0\0\0\0\xff" + b"\xff" * 20, {**HTML, "Content-Encoding": "gzip"}))
    site.route("/zstd", Reply(200, b"(\xb5/\xfd...", {**HTML, "Content-Encoding": "zstd"}))
    site.route("/odd", Reply(200, b"<p>plain</p>", {**HTML, "Content-Encoding": "utf-8"}))
    site.route("/layers", Reply(200, b"<p>x</p>", {**HTML, "Content-Encoding": ", ".join(["gzip"] * 5000)}))
    with pytest.raises(FetchError, match="broken compressed body"):
        get(site.url("/broken"))
    with pytest.raises(Skip, match="unsupported Content-Encoding zstd"):
        get(site.url("/zstd"))
    assert get(site.url("/odd")).body == b"<p>plain</p>"
    with pytest.raises(Skip, match="unsupported Content-Encoding: more than 4 layers"):
        get(site.url("/layers"))


# the deadline ---------------------------------------------------------------------------------------------

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
SLOW = {
    "headers at a byte a tick": Reply(raw=HEAD + b"X-Slow: " + b"a" * 400 + b"\r\n\r\n", pace=0.05),
    "a body at a byte a tick": Reply(raw=HEAD + b"Content-Length: 4000\r\n\r\n" + b"x" * 4000, pace=0.05),
    "an endless chunked body": Reply(raw=HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"1\r\nx\r\n" * 10_000,
                                     pace=0.05, piece=6),
}


@pytest.mark.parametrize("how", sorted(SLOW))
def test_a_server_that_drips_meets_the_deadline(site: Site, how: str) -> None:
    # each piece comes well within the read timeout (2 s), so only a deadline on the whole request ends it
    site.route("/slow", SLOW[how])
    with pytest.raises(FetchTimeout, match=r"no complete answer within fetch.deadline \(1 s\)"):
        get(site.url("/slow"), replace(FAST, deadline=1.0))
    assert len(site.seen("/slow")) == 1  # not retried within the run: the next run tries again


def test_a_slow_robots_txt_meets_the_deadline(site: Site) -> None:
    site.route("/robots.txt", Reply(raw=b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n" + b"#" * 400, pace=0.05))
    site.route("/a", Reply(200, b"<p>x</p>", HTML))
    with pytest.raises(FetchError, match=r"robots.txt unreachable \(no complete answer within fetch.deadline"):
        get(site.url("/a"), replace(FAST, deadline=1.0, respect_robots=True))
    assert "/a" not in site.paths()


# robots.txt -----------------------------------------------------------------------------------------------

def test_a_huge_robots_txt_is_read_up_to_its_bound(site: Site) -> None:
    rules = b"User-agent: *\nDisallow: /private\n"
    site.route("/robots.txt", Reply(200, rules + b"# padding\n" * 300_000, {"Content-Type": "text/plain"}))
    site.route("/a", Reply(200, b"<p>x</p>", HTML))
    config = replace(FAST, respect_robots=True)
    assert get(site.url("/a"), config).status == 200

    async def private() -> None:
        async with Fetcher(config) as fetcher:
            await fetcher.get(site.url("/private/x"))
    with pytest.raises(Skip, match="^robots.txt disallows$"):
        asyncio.run(private())


@pytest.mark.parametrize("target", ["javascript:alert(1)", "https://elsewhere.example/robots.txt"])
def test_robots_txt_redirects_follow_the_host_rules(site: Site, target: str) -> None:
    site.route("/robots.txt", Reply(302, headers={"Location": target}))
    site.route("/a", Reply(200, b"<p>x</p>", HTML))
    with pytest.raises(FetchError, match=r"robots.txt unreachable \(redirected out of scope"):
        get(site.url("/a"), replace(FAST, respect_robots=True), allowed_hosts=(site.host,))
    assert "/a" not in site.paths()


def test_robots_txt_may_redirect_within_the_hosts(site: Site) -> None:
    site.route("/robots.txt", Reply(301, headers={"Location": "/real-robots.txt"}))
    site.route("/real-robots.txt", Reply(200, b"User-agent: *\nDisallow: /a\n", {"Content-Type": "text/plain"}))
    with pytest.raises(Skip, match="robots.txt disallows"):
        get(site.url("/a"), replace(FAST, respect_robots=True), allowed_hosts=(site.host,))


# 304 ------------------------------------------------------------------------------------------------------

def test_an_unsolicited_304_is_a_failure(site: Site) -> None:
    site.route("/a", Reply(304))
    with pytest.raises(BadStatusError, match="HTTP 304 to a request that was not conditional"):
        get(site.url("/a"))
    assert get(site.url("/a"), headers={"If-None-Match": '"v1"'}).status == 304
