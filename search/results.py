"""What a search returns, and its JSON shape (fixed by the CLI contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wiredesk.core.release import Dateline, Release

from .explain import Explanation

__all__ = ["Hit", "Results"]


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    title: str
    url: str
    published: datetime | None
    agency: str
    source: str
    dateline: Dateline
    snippet: str  # plain text, control characters removed
    highlights: tuple[tuple[int, int], ...] = ()  # (start, end) of matched words in `snippet`
    cluster: str = ""
    copies: int = 1  # with collapse: documents of this hit's cluster in the result set
    copy_sources: tuple[str, ...] = ()  # with collapse: their sources
    explanation: Explanation | None = None  # with explain: how the score was made
    release: Release | None = field(default=None, repr=False, compare=False)  # the whole release, for exports

    def to_dict(self, *, collapse: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "agency": self.agency,
            "source": self.source,
            "dateline": {"city": self.dateline.city, "country": self.dateline.country},
            "snippet": self.snippet,
        }
        if collapse:
            out["copies"] = self.copies
            out["copy_sources"] = list(self.copy_sources)
        if self.explanation is not None:
            out["explain"] = self.explanation.to_dict()
        return out


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    page: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    clusters: int | None = None  # with collapse: distinct clusters in the result set
    took_ms: float = 0.0
    facets_more: dict[str, int] = field(default_factory=dict)  # values a value facet left out
    reason: str | None = None  # why there is no hit, when that is known

    def to_dict(self) -> dict[str, Any]:
        collapse = self.clusters is not None
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "hits": [hit.to_dict(collapse=collapse) for hit in self.hits],
            "facets": {name: [[value, n] for value, n in values] for name, values in self.facets.items()},
            "facets_more": dict(self.facets_more),
            "suggestion": self.suggestion,
            "reason": self.reason,
        }
        if collapse:
            out["clusters"] = self.clusters
        return out
