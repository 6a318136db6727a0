"""A search as the web app reads it from a URL and writes it back into links.

The URL holds the whole state (query, dates, filters, sort, page), so a search can be bookmarked and shared,
and every link on a page (a facet value, a chip's ×, a timeline bar, the next page) is this state changed in
one place. Values are passed to the API as given: the API's checks, and so its messages, are the CLI's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping
from urllib.parse import urlencode

from ..core.errors import UsageError

__all__ = ["SearchState", "MAX_PER_PAGE", "whole_number"]

MAX_PER_PAGE = 100  # a page renders every hit with its snippet: a bound on the work one request can ask for
_DEFAULT_PER_PAGE = 10


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    since: str = ""
    until: str = ""
    filters: tuple[str, ...] = ()  # FIELD=VALUE, as `--filter` takes them
    sort: str = "relevance"
    page: int = 1
    per_page: int = _DEFAULT_PER_PAGE

    @classmethod
    def from_params(cls, params: Any) -> SearchState:
        """From a request's query parameters (`q`, `since`, `until`, `filter` repeated, `sort`, `page`,
        `per-page`). UsageError for a page or page size that is not a whole number in range."""
        per_page = whole_number(params, "per-page", _DEFAULT_PER_PAGE)
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise UsageError(f"per-page must be from 1 to {MAX_PER_PAGE}, got {per_page}")
        return cls(q=params.get("q", "").strip(), since=params.get("since", "").strip(),
                   until=params.get("until", "").strip(), filters=tuple(dict.fromkeys(params.getlist("filter"))),
                   sort=params.get("sort", "").strip() or "relevance", page=whole_number(params, "page", 1),
                   per_page=per_page)

    def search_args(self) -> dict[str, Any]:
        """The keyword arguments of `Desk.search` (and `Desk.export`) this state means, besides the query."""
        return {"filters": self.filters, "since": self.since or None, "until": self.until or None, "sort": self.sort,
                "limit": self.per_page, "page": self.page}

    def pairs(self) -> list[tuple[str, str]]:
        """The filters as (FIELD, VALUE), for showing them."""
        return [(name.strip(), value.strip()) for name, _, value in (f.partition("=") for f in self.filters)]

    def link(self, **changes: Any) -> str:
        """The search page's URL for this state with `changes`; any change but the page's goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        state = replace(self, **changes)
        params = [("q", state.q), ("since", state.since), ("until", state.until),
                  *(("filter", f) for f in state.filters)]
        if state.sort != "relevance":
            params.append(("sort", state.sort))
        if state.page != 1:
            params.append(("page", str(state.page)))
        if state.per_page != _DEFAULT_PER_PAGE:
            params.append(("per-page", str(state.per_page)))
        return "/?" + urlencode([(k, v) for k, v in params if v])

    def with_filter(self, field: str, value: str) -> str:
        wanted = f"{field}={value}"
        return self.link(filters=self.filters if wanted in self.filters else (*self.filters, wanted))

    def without_filter(self, wanted: str) -> str:
        return self.link(filters=tuple(f for f in self.filters if f != wanted))

    def has_filter(self, field: str, value: str) -> bool:
        return f"{field}={value}" in self.filters


def whole_number(params: Mapping[str, str], name: str, default: int) -> int:
    """A whole-number parameter, `default` when absent or empty. UsageError naming it otherwise."""
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, got {raw!r}") from None
