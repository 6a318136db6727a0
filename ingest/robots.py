"""robots.txt: fetched once per host per run, parsed with protego, obeyed, its Crawl-delay honoured.

Unreachable rules are read as RFC 9309 says: a robots.txt that answers 4xx means no rules (all
allowed); one that answers 5xx or cannot be fetched (a timeout, a redirect off the source's hosts) means the
whole host is off limits for this run, and its pages are retried on the next. A file is read up to
`MAX_ROBOTS_BYTES` and the rest ignored, as the RFC allows: a huge robots.txt costs no more than that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from wiredesk.core.errors import FetchError, Skip

__all__ = ["Robots", "RobotsRules", "robots_url", "agent_token"]

# Files larger than this are cut, as Google does at 500 KiB; the rules that matter come first.
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True)
class RobotsRules:
    """One host's rules for our user agent. `parser` is None when everything is allowed."""

    parser: Protego | None
    agent: str
    blocked: str = ""  # set when the whole host is off limits: why

    def allows(self, url: str) -> bool:
        if self.blocked:
            return False
        return self.parser is None or self.parser.can_fetch(url, self.agent)

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(self.agent)
        return float(delay) if delay is not None else None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: `wiredesk` in `wiredesk/0.1 (+...)`."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


Loader = Callable[[str, Sequence[str]], Awaitable[tuple[int, bytes]]]


class Robots:
    """Per-run cache of robots.txt rules, one fetch per host even when many requests ask at once.

    `load(url, allowed_hosts)` returns `(status, body)` and may raise `FetchError` or `Skip`; the fetcher
    passes its own polite request function, so robots.txt requests count against the host's limits too.
    Rules are kept per robots.txt URL and allowed hosts, since where its redirects may go depends on them.
    """

    def __init__(self, *, user_agent: str, load: Loader) -> None:
        self._agent = agent_token(user_agent)
        self._load = load
        self._rules: dict[tuple[str, tuple[str, ...]], asyncio.Task[RobotsRules]] = {}

    async def rules(self, url: str, allowed_hosts: Sequence[str] = ()) -> RobotsRules:
        where = robots_url(url)
        key = (where, tuple(sorted(set(allowed_hosts))))
        task = self._rules.get(key)
        if task is None:
            task = asyncio.ensure_future(self._fetch(where, key[1]))
            self._rules[key] = task
        return await asyncio.shield(task)

    async def _fetch(self, where: str, allowed_hosts: tuple[str, ...]) -> RobotsRules:
        try:
            status, body = await self._load(where, allowed_hosts)
        except (FetchError, Skip) as exc:
            return RobotsRules(None, self._agent, blocked=f"robots.txt unreachable ({exc})")
        if status >= 500:
            return RobotsRules(None, self._agent, blocked=f"robots.txt unreachable (HTTP {status})")
        if status >= 400:
            return RobotsRules(None, self._agent)
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(text), self._agent)
