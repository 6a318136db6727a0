"""The fetcher against a real loopback server that misbehaves as real sites do."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from siteserver import Reply, Site

from wiredesk.ingest.fetch import Fetcher, Response, scope_problem
from wiredesk.core.config import FetchConfig
from wiredesk.core.errors import BadStatusError, FetchError, FetchTimeout, Skip

FAST = FetchConfig(user_agent="wiredesk-test/1.0 (+tests)", timeout=0.5, connect_timeout=0.5, delay=0.0, retries=2,
                   per_host=2, concurrency=8, max_bytes=1_000_000)
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def get(url: str, config: FetchConfig = FAST, **kwargs: object) -> Response:
    async def main() -> Response:
        async with Fetcher(config, backoff=0.05, rng=random.Random(1)) as fetcher:
            return await fetcher.get(url, **kwargs)  # type: ignore[arg-type]
    return asyncio.run(main())


def test_503_then_200_is_retried(site: Site) -> None:
    site.route("/a", Reply(503), Reply(200, b"<p>ok</p>", HTML))
    response = get(site.url("/a"))
    assert (response.status, response.body) == (200, b"<p>ok</p>")
    assert len(site.seen("/a")) == 2


def test_429_waits_for_retry_after(site: Site) -> None:
    site.route("/a", Reply(429, headers={"Retry-After": "1"}), Reply(200, b"<p>ok</p>", HTML))
    assert get(site.url("/a")).status == 200
    first, second = site.seen("/a")
    assert second.at - first.at >= 0.95


def test_retry_after_beyond_a_minute_fails_at_once(site: Site) -> None:
    site.route("/a", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(BadStatusError, match=r"HTTP 429 \(Retry-After 3600 s\)"):
        get(site.url("/a"))
    assert len(site.seen("/a")) == 1


def test_5xx_every_time_fails_after_the_retries(site: Site) -> None:
    site.route("/a", Reply(502))
    with pytest.raises(BadStatusError, match="HTTP 502 after 2 retries") as caught:
        get(site.url("/a"))
    assert caught.value.status == 502 and caught.value.url == site.url("/a")
    assert len(site.seen("/a")) == 3


def test_slower_than_the_timeout(site: Site) -> None:
    site.route("/slow", Reply(200, b"late", delay=60.0))  # never in time, however loaded the machine
    with pytest.raises(FetchTimeout, match="timeout after 1 retries"):
        get(site.url("/slow"), replace(FAST, retries=1))
    assert len(site.seen("/slow")) == 2


def test_404_is_not_retried(site: Site) -> None:
    with pytest.raises(BadStatusError, match="^HTTP 404$") as caught:
        get(site.url("/missing"))
    assert caught.value.status == 404
    assert len(site.seen("/missing")) == 1


def test_redirect_chain_records_the_final_url(site: Site) -> None:
    site.route("/a", Reply(301, headers={"Location": "/b"}))
    site.route("/b", Reply(302, headers={"Location": site.url("/c")}))
    site.route("/c", Reply(200, b"<p>here</p>", HTML))
    response = get(site.url("/a"))
    assert response.url == site.url("/a") and response.final_url == site.url("/c")
    assert [len(site.seen(p)) for p in ("/a", "/b", "/c")] == [1, 1, 1]


def test_redirect_loop_is_caught(site: Site) -> None:
    site.route("/a", Reply(302, headers={"Location": "/b"}))
    site.route("/b", Reply(302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop at .*/a$"):
        get(site.url("/a"))
    assert len(site.seen("/a")) == 1 and len(site.seen("/b")) == 1


def test_too_many_redirects(site: Site) -> None:
    site.route("/0", Reply(302, headers={"Location": "/1"}))
    site.route("/1", Reply(302, headers={"Location": "/2"}))
    site.route("/2", Reply(200, b"x", HTML))
    with pytest.raises(FetchError, match="more than 1 redirects"):
        get(site.url("/0"), replace(FAST, max_redirects=1))


def test_redirect_out_of_scope_is_skipped(site: Site) -> None:
    site.route("/a", Reply(302, headers={"Location": "https://elsewhere.example/x"}))
    with pytest.raises(Skip, match="redirected out of scope: host elsewhere.example is not allowed"):
        get(site.url("/a"), allowed_hosts=(site.host,))


def test_a_40_mb_page_is_cut_at_max_bytes(site: Site) -> None:
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    site.route("/big", Reply(200, chunk, HTML, repeat=40_000_000 // len(chunk)))
    with pytest.raises(Skip, match=r"body over max_bytes \(1000000\)"):
        get(site.url("/big"))


def test_a_declared_length_over_max_bytes_is_not_read(site: Site) -> None:
    site.route("/big", Reply(200, b"x" * 2_000_000, HTML))
    with pytest.raises(Skip, match=r"body over max_bytes"):
        get(site.url("/big"))


def test_non_html_is_skipped_when_a_page_is_wanted(site: Site) -> None:
    site.route("/doc.pdf", Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}))
    with pytest.raises(Skip, match=r"not HTML \(application/pdf\)"):
        get(site.url("/doc.pdf"), html_only=True)
    assert get(site.url("/doc.pdf")).body == b"%PDF-1.4"


def test_user_agent_is_sent(site: Site) -> None:
    site.route("/a", Reply(200, b"x", HTML))
    get(site.url("/a"))
    assert site.seen("/a")[0].headers["user-agent"] == FAST.user_agent


def test_robots_disallow_is_obeyed_and_fetched_once(site: Site) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}))
    site.route("/open", Reply(200, b"x", HTML))
    site.route("/private/a", Reply(200, b"secret", HTML))

    async def main() -> None:
        async with Fetcher(FAST, backoff=0.05) as fetcher:
            await asyncio.gather(*(fetcher.get(site.url("/open")) for _ in range(4)))
            with pytest.raises(Skip, match="robots.txt disallows"):
                await fetcher.get(site.url("/private/a"))
    asyncio.run(main())
    assert "/private/a" not in site.paths()
    assert len(site.seen("/robots.txt")) == 1


def test_robots_group_for_our_agent(site: Site) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: wiredesk-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
                                    {"Content-Type": "text/plain"}))
    with pytest.raises(Skip, match="robots.txt disallows"):
        get(site.url("/a"))
    assert site.paths() == {"/robots.txt"}


def test_robots_5xx_blocks_the_host(site: Site) -> None:
    site.route("/robots.txt", Reply(500))
    # a failure, not a skip: the page is retried on the next run, when robots.txt may answer
    with pytest.raises(FetchError, match=r"robots.txt unreachable"):
        get(site.url("/a"), replace(FAST, retries=0))
    assert "/a" not in site.paths()


def test_robots_can_be_switched_off(site: Site) -> None:
    site.route("/a", Reply(200, b"x", HTML))
    get(site.url("/a"), replace(FAST, respect_robots=False))
    assert site.paths() == {"/a"}


def test_crawl_delay_spaces_requests(site: Site) -> None:
    site.route("/robots.txt", Reply(200, b"User-agent: *\nCrawl-delay: 0.3\n", {"Content-Type": "text/plain"}))
    for n in range(3):
        site.route(f"/p{n}", Reply(200, b"x", HTML))

    async def main() -> None:
        async with Fetcher(FAST) as fetcher:
            await asyncio.gather(*(fetcher.get(site.url(f"/p{n}")) for n in range(3)))
    asyncio.run(main())
    # the span of the three, not each gap: the server notes arrivals in threads that load can bunch up
    starts = sorted(s.at for s in site.seen() if s.path.startswith("/p"))
    assert starts[-1] - starts[0] >= 2 * 0.3 * 0.9


def test_per_host_limit_and_delay(site: Site) -> None:
    for n in range(8):
        site.route(f"/p{n}", Reply(200, b"x", HTML, delay=0.15))

    async def main(config: FetchConfig) -> None:
        async with Fetcher(config) as fetcher:
            await asyncio.gather(*(fetcher.get(site.url(f"/p{n}")) for n in range(8)))
    asyncio.run(main(FAST))
    assert site.max_in_flight == 2
    site.reset()
    asyncio.run(main(replace(FAST, per_host=4, delay=0.05)))
    assert site.max_in_flight == 4
    # the server notes arrivals, which thread scheduling can bunch up a little; the span of eight requests
    # shows the spacing without that jitter (no delay would put them all within a few milliseconds)
    starts = sorted(s.at for s in site.seen() if s.path.startswith("/p"))
    assert starts[-1] - starts[0] >= 7 * 0.05 * 0.9


def test_keep_alive_reuses_the_connection(site: Site) -> None:
    site.route("/a", Reply(200, b"x", HTML))
    pools: list[int] = []

    async def main() -> None:
        async with Fetcher(replace(FAST, per_host=1, respect_robots=False)) as fetcher:
            for _ in range(3):
                await fetcher.get(site.url("/a"))
            assert fetcher._client is not None
            pool = fetcher._client._transport._pool  # type: ignore[attr-defined]
            pools.append(len(pool.connections))
    asyncio.run(main())
    assert pools == [1]


def test_scope_problem() -> None:
    assert scope_problem("https://news.example.com/a", ("example.com",)) == ""
    assert scope_problem("https://badexample.com/a", ("example.com",)) == "host badexample.com is not allowed for this source"
    assert scope_problem("ftp://example.com/a", ()) == "not an http(s) URL (ftp)"
    assert scope_problem("https://anything.example/a", ()) == ""


def test_connection_error_is_retried() -> None:
    # no loopback server can refuse a connection on cue; this transport raises it on the first call (and,
    # unlike MockTransport, leaves the body unread, as the network does)
    calls: list[str] = []

    class Refusing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(str(request.url))
            if len(calls) == 1:
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(200, stream=httpx.ByteStream(b"ok"), headers={"content-type": "text/html"})

    async def main() -> Response:
        config = replace(FAST, respect_robots=False)
        async with Fetcher(config, transport=Refusing(), backoff=0.01) as fetcher:
            return await fetcher.get("http://mock.example/a")
    assert asyncio.run(main()).body == b"ok"
    assert len(calls) == 2
