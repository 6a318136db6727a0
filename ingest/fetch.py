"""The polite async HTTP fetcher: one httpx `AsyncClient` per run, shared by every source.

Per request, in order: scope (a well-formed http(s) URL on an allowed host and port), robots.txt, then a slot: at most
`per_host` requests in flight to one host and `concurrency` overall, and at least `delay` seconds (or the
host's Crawl-delay) between two request starts to one host. Timeouts, connection errors, 429 and 5xx are
retried `retries` times with exponential backoff plus jitter; a `Retry-After` holds back the whole host.
Redirects are followed here, not by httpx, so every hop is checked for scope and robots and a loop is
caught. A body is read raw and decoded here, under a bound counted while inflating (`inflate`), and
abandoned past `max_bytes`; a whole request (connect, headers, body) gets at most `deadline` seconds, however
slowly the server drips.

Errors leave as wiredesk types: `FetchTimeout`, `BadStatusError`, `FetchError` (httpx's, and whatever else
a hostile answer makes the HTTP stack raise, are translated in `_exchange`), and `Skip` for a page that is
fine to fetch but not ours to keep (robots, scope, too big, not HTML). Nothing else leaves `get`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from wiredesk.core.config import FetchConfig
from wiredesk.core.errors import BadStatusError, FetchError, FetchTimeout, Skip
from wiredesk.core.urls import control_character, scope_problem

from .inflate import ACCEPT_ENCODING, BrokenEncoding, Decoder, OverLimit, Unsupported
from .robots import MAX_ROBOTS_BYTES, Robots

__all__ = ["Fetcher", "Response", "scope_problem", "HTML_TYPES"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CONDITIONAL = ("if-none-match", "if-modified-since")
# robots.txt redirects are followed this far (RFC 9309 asks for at least five)
_ROBOTS_REDIRECTS = 5
# A Crawl-delay or Retry-After longer than this is not waited out within a run: the page fails instead.
MAX_WAIT = 60.0
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Response:
    """A finished GET: `url` as asked, `final_url` after redirects, lower-case header names."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    fetched: datetime | None = None


class _Retryable(Exception):
    """An answer worth asking again: a timeout, a broken connection, a 429 or a 5xx."""

    def __init__(self, what: str, *, status: int = 0, retry_after: float | None = None, timeout: bool = False) -> None:
        super().__init__(what)
        self.what, self.status, self.retry_after, self.timeout = what, status, retry_after, timeout


class Fetcher:
    """Use as `async with Fetcher(config) as fetcher: response = await fetcher.get(url, ...)`.

    `transport` replaces the network (tests of pure logic); `backoff` is the first retry's base wait in
    seconds; `rng` makes the jitter reproducible.
    """

    def __init__(self, config: FetchConfig, *, transport: httpx.AsyncBaseTransport | None = None,
                 backoff: float = 0.5, rng: random.Random | None = None) -> None:
        self.config = config
        self._transport = transport
        self._backoff = backoff
        self._rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None
        self._all = asyncio.Semaphore(config.concurrency)
        self._per_host: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self.robots = Robots(user_agent=config.user_agent, load=self._load_robots)

    async def __aenter__(self) -> Fetcher:
        self._client = httpx.AsyncClient(
            transport=self._transport,
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout),
            limits=httpx.Limits(max_connections=self.config.concurrency,
                                max_keepalive_connections=self.config.concurrency),
            follow_redirects=False,
            event_hooks={"response": [_set_location_aside]},
        )
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get(self, url: str, *, allowed_hosts: Sequence[str] = (), headers: Mapping[str, str] | None = None,
                  html_only: bool = False, limit: int | None = None) -> Response:
        """GET `url`, following redirects within scope. A 304 is returned when `headers` made the request
        conditional; any other non-2xx raises. `limit` replaces `max_bytes` for this document.

        Raises `Skip` (robots, scope, over the limit, not HTML when `html_only`) or `FetchError`.
        """
        current, seen = url, {url}
        conditional = any(name.lower() in _CONDITIONAL for name in (headers or {}))
        for _ in range(self.config.max_redirects + 1):
            problem = scope_problem(current, allowed_hosts) or _client_problem(current)
            if problem:
                raise Skip(problem if current == url else f"redirected out of scope: {problem}")
            if self.config.respect_robots:
                rules = await self.robots.rules(current, allowed_hosts)
                self._crawl_delay[_host(current)] = min(rules.crawl_delay() or 0.0, MAX_WAIT)
                if rules.blocked:
                    # a host whose rules cannot be read is off limits for this run only: the page is retried
                    raise FetchError(rules.blocked, url=url)
                if not rules.allows(current):
                    raise Skip("robots.txt disallows")
            status, found, body = await self._request(current, headers=headers, html_only=html_only, limit=limit)
            location = found.get("location")
            if status in _REDIRECTS and location:
                target = _redirect_target(current, location)
                if target in seen:
                    raise FetchError(f"redirect loop at {target}", url=url)
                seen.add(target)
                current = target
                continue
            if status == 304 and not conditional:
                # a 304 to a request that named no version would mark a page never read as unchanged
                raise BadStatusError("HTTP 304 to a request that was not conditional", url=url, status=status)
            if status != 304 and not 200 <= status < 300:
                raise BadStatusError(f"HTTP {status}", url=url, status=status)
            return Response(url=url, final_url=current, status=status, headers=found, body=body,
                            fetched=datetime.now(timezone.utc))
        raise FetchError(f"more than {self.config.max_redirects} redirects", url=url)

    async def _load_robots(self, where: str, allowed_hosts: Sequence[str]) -> tuple[int, bytes]:
        """robots.txt, its redirects (http to https, bare host to www) held to the hosts the asking source
        allows, as its pages' are; cut at `MAX_ROBOTS_BYTES`. Raises FetchError when it cannot be read."""
        current = where
        for _ in range(_ROBOTS_REDIRECTS + 1):
            problem = scope_problem(current, allowed_hosts) or _client_problem(current)
            if problem:
                raise FetchError(f"redirected out of scope: {problem}", url=where)
            status, found, body = await self._request(current, headers=None, html_only=False,
                                                      limit=MAX_ROBOTS_BYTES, cut=True)
            if status in _REDIRECTS and found.get("location"):
                current = _redirect_target(current, found["location"])
                continue
            return status, body
        return 404, b""  # RFC 9309: past five redirects, robots.txt counts as unavailable

    async def _request(self, url: str, *, headers: Mapping[str, str] | None, html_only: bool,
                       limit: int | None = None, cut: bool = False) -> tuple[int, dict[str, str], bytes]:
        retries = self.config.retries
        for attempt in range(retries + 1):
            try:
                return await self._exchange(url, headers=headers, html_only=html_only, limit=limit, cut=cut)
            except _Retryable as problem:
                wait = self._backoff * 2 ** attempt + self._rng.uniform(0, self._backoff)
                if problem.retry_after is not None:
                    if problem.retry_after > MAX_WAIT:
                        raise BadStatusError(f"HTTP {problem.status} (Retry-After {problem.retry_after:.0f} s)",
                                             url=url, status=problem.status) from None
                    wait = max(wait, problem.retry_after)
                    self._hold_host(url, problem.retry_after)
                if attempt == retries:
                    raise _final_error(problem, url=url, retries=retries) from problem
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _exchange(self, url: str, *, headers: Mapping[str, str] | None, html_only: bool,
                        limit: int | None, cut: bool) -> tuple[int, dict[str, str], bytes]:
        """One request and its body within the deadline; every error of the HTTP stack is translated here."""
        assert self._client is not None, "use the Fetcher as an async context manager"
        deadline = self.config.deadline
        async with self._slot(_host(url)):
            try:
                async with asyncio.timeout(deadline):
                    return await self._answer(url, headers=headers, html_only=html_only, limit=limit, cut=cut)
            except TimeoutError as exc:
                raise FetchTimeout(f"no complete answer within fetch.deadline ({deadline:g} s)", url=url) from exc
            except httpx.TimeoutException as exc:
                raise _Retryable("timeout", timeout=True) from exc
            except httpx.TransportError as exc:
                raise _Retryable(f"connection failed: {type(exc).__name__}") from exc
            except (Skip, _Retryable, FetchError):
                raise
            except Exception as exc:  # httpx.InvalidURL, DecodingError, and what sockets or h11 raise on nonsense
                raise FetchError(f"bad answer: {type(exc).__name__}: {_one_line(exc)}", url=url) from exc

    async def _answer(self, url: str, *, headers: Mapping[str, str] | None, html_only: bool, limit: int | None,
                      cut: bool) -> tuple[int, dict[str, str], bytes]:
        assert self._client is not None
        async with self._client.stream("GET", url, headers=dict(headers or {})) as answer:
            status = answer.status_code
            found = {name.lower(): value for name, value in answer.headers.items()}
            if _LOCATION in answer.extensions:
                found["location"] = answer.extensions[_LOCATION]
            if status == 429 or status >= 500:
                raise _Retryable(f"HTTP {status}", status=status, retry_after=_retry_after(found.get("retry-after")))
            if not 200 <= status < 300:
                return status, found, b""
            if html_only:
                kind = found.get("content-type", "").split(";")[0].strip().lower()
                if kind and kind not in HTML_TYPES:
                    raise Skip(f"not HTML ({kind})")
            return status, found, await self._read(answer, found, limit=limit, cut=cut)

    async def _read(self, answer: httpx.Response, found: Mapping[str, str], *, limit: int | None, cut: bool) -> bytes:
        """The body, decoded, at most `limit` bytes (`max_bytes` by default) after inflating: past it the
        page is skipped, or with `cut` the body is cut there."""
        bound = self.config.max_bytes if limit is None else limit
        over = f"body over max_bytes ({bound})" if limit is None else f"body over {bound} bytes"
        declared = found.get("content-length", "").strip()
        if not cut and declared.isascii() and declared.isdigit() and int(declared) > bound:
            raise Skip(over)
        try:
            decoder = Decoder(found.get("content-encoding", ""), limit=bound)
        except Unsupported as exc:
            raise Skip(str(exc)) from None
        body = bytearray()
        try:
            async for chunk in answer.aiter_raw(_CHUNK):
                body += decoder.decode(chunk)
                if len(body) > bound:
                    raise OverLimit
        except OverLimit:
            if cut:
                return bytes(body[:bound])
            raise Skip(over if not found.get("content-encoding") else f"{over} once decompressed") from None
        except BrokenEncoding as exc:
            raise FetchError(str(exc), url=str(answer.request.url)) from None
        return bytes(body)

    @asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[None]:
        # the host's own limit is taken first, so a busy host never holds one of the overall slots idle
        semaphore = self._per_host.setdefault(host, asyncio.Semaphore(self.config.per_host))
        async with semaphore:
            await self._wait_turn(host)
            async with self._all:
                yield

    async def _wait_turn(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        gap = max(self.config.delay, self._crawl_delay.get(host, 0.0))
        now = loop.time()
        start = max(now, self._next_start.get(host, now))
        self._next_start[host] = start + gap
        if start > now:
            await asyncio.sleep(start - now)

    def _hold_host(self, url: str, seconds: float) -> None:
        host = _host(url)
        until = asyncio.get_running_loop().time() + seconds
        self._next_start[host] = max(self._next_start.get(host, until), until)


_LOCATION = "wiredesk.location"


async def _set_location_aside(response: httpx.Response) -> None:
    """httpx parses a redirect's Location even when it follows no redirects, and raises on a hostile one
    (`javascript:`, a bad port) before the answer reaches us; we follow redirects ourselves, checking each
    target, so the header is moved out of its way into the response's extensions."""
    if "location" in response.headers:
        response.extensions[_LOCATION] = response.headers["location"]
        del response.headers["location"]


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _client_problem(url: str) -> str:
    """What httpx refuses in a URL that passed our own checks (a host that is not valid IDNA), "" if none."""
    try:
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        return f"malformed URL ({exc})"
    return ""


def _redirect_target(current: str, location: str) -> str:
    """The absolute URL a Location header names; FetchError when it names none (`http://[`, a control
    character, which joining would silently drop)."""
    if control_character(location.strip()):
        raise FetchError(f"bad redirect target {location[:200]!r}: it holds a control character", url=current)
    try:
        return urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError(f"bad redirect target {location[:200]!r}: {exc}", url=current) from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _final_error(problem: _Retryable, *, url: str, retries: int) -> FetchError:
    message = f"{problem.what} after {retries} retries" if retries else problem.what
    if problem.timeout:
        return FetchTimeout(message, url=url)
    if problem.status:
        return BadStatusError(message, url=url, status=problem.status)
    return FetchError(message, url=url)
