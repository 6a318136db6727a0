"""`RawPage`: what the fetcher (or a file, or the archive) hands to cleaning and extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from wiredesk.core.release import FrozenMap, Hints

__all__ = ["RawPage"]


@dataclass(frozen=True)
class RawPage:
    """A page's bytes as received, with what is known about where they came from.

    `url` is the address the source listed, `final_url` the one after redirects. `headers` holds the
    response headers with lower-case names (`content-type` carries the declared charset). Plain values
    only, so a page can be pickled to a worker process.
    """

    url: str
    body: bytes
    final_url: str = ""
    headers: Mapping[str, str] = field(default_factory=FrozenMap)
    fetched: datetime | None = None
    source: str = ""
    hints: Hints = field(default_factory=Hints)

    def __post_init__(self) -> None:
        if not isinstance(self.headers, FrozenMap):
            object.__setattr__(self, "headers", FrozenMap({k.lower(): v for k, v in dict(self.headers).items()}))
        if not self.final_url:
            object.__setattr__(self, "final_url", self.url)
