"""The HTML pages: search (with facets, chips and the timeline), a release, the sources and alerts.

Each handler reads the request, calls the desk, and renders a Jinja2 template with autoescaping on, so
every text that came from a page is escaped; the only markup made from such text is `marked`, which
escapes the snippet and adds its own <mark> tags around the matched words.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..core.errors import NotFoundError
from ..desk import Desk
from ..render import moment
from .params import SearchState
from .timeline import HEIGHT, WIDTH, Timeline, period_for, timeline

__all__ = ["templates", "search_page", "release_page", "archived_page", "sources_page", "error_page", "marked",
           "web_link", "release_url", "SIDEBAR", "LABELS"]

# the facets of the sidebar, in this order
SIDEBAR = ("agency", "source", "country", "city", "countries", "people", "organizations", "places", "categories",
           "language")
LABELS = {"country": "dateline country", "city": "dateline city", "countries": "countries named",
          "organizations": "organisations", "authors": "authors", "cluster": "story"}
# the release fields whose values are searches of their own (a click filters on the value)
_LINKED = ("agency", "source", "language", "authors", "categories", "people", "organizations", "places", "countries")
_SIMILAR = 8
_MATCHES_SHOWN = 5


def templates(folder: Path) -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(marked=marked, moment=moment, web_link=web_link, release_url=release_url)
    env.globals.update(labels=LABELS, chart_width=WIDTH, chart_height=HEIGHT)
    return Jinja2Templates(env=env)


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def _render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def search_page(request: Request) -> Response:
    desk = _desk(request)
    state = SearchState.from_params(request.query_params)
    results = desk.search(state.q, facets=(*SIDEBAR, "year"), collapse=True, **state.search_args())
    stories = results.clusters or 0
    return _render(request, "search.html", {
        "state": state, "results": results, "chart": _chart(desk, state, results.facets["year"]), "stories": stories,
        "pages": max(1, math.ceil(stories / state.per_page)), "sidebar": [(n, results.facets.get(n, [])) for n in SIDEBAR],
    })


def release_page(request: Request) -> Response:
    desk = _desk(request)
    id = request.path_params["id"]
    story = desk.story(id)
    return _render(request, "release.html", {
        "release": story.release.to_dict(), "copies": story.copies, "similar": desk.similar(id, limit=_SIMILAR).hits,
        "archived": _has_archived_page(desk, id), "linked": _LINKED, "state": SearchState(),
    })


def archived_page(request: Request) -> Response:
    """The page as fetched, as plain text: never a document a browser would render or run."""
    page = _desk(request).archived_page(request.path_params["id"])
    return Response(page.body.decode("utf-8", errors="replace"), media_type="text/plain; charset=utf-8",
                    headers={"content-security-policy": "sandbox; default-src 'none'",
                             "content-disposition": "inline"})


def sources_page(request: Request) -> Response:
    desk = _desk(request)
    alerts = [(alert, _matches(desk, alert.name)) for alert in desk.alerts()]
    return _render(request, "sources.html", {"sources": desk.sources(), "alerts": alerts, "state": SearchState(),
                                             "now": datetime.now(timezone.utc)})


def error_page(request: Request, status: int, message: str) -> Response:
    """The error in one line, over a search box that keeps what was typed, to correct it."""
    params = request.query_params
    state = SearchState(q=params.get("q", ""), since=params.get("since", ""), until=params.get("until", ""),
                        filters=tuple(params.getlist("filter")))
    return _render(request, "error.html", {"status": status, "message": message, "state": state}, status=status)


def marked(snippet: str, spans: Sequence[Sequence[int]]) -> Markup:
    """The snippet, escaped, with the matched words in <mark>."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out += [escape(snippet[at:start]), Markup("<mark>"), escape(snippet[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(snippet[at:]))
    return Markup("").join(out)


def release_url(id: str) -> str:
    """The release page's path: an id is any string (an imported record's), so it is quoted whole."""
    return "/release/" + quote(id, safe="")


def web_link(url: str) -> str | None:
    """`url` when it is an http(s) address, safe in an href; None otherwise (javascript:, data:, ...)."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _chart(desk: Desk, state: SearchState, years: list[tuple[str, int]]) -> Timeline | None:
    """The timeline of the search's hits, from the counts of the period their years call for."""
    found = [int(year) for year, count in years if count]
    if not found:
        return None
    period = period_for(min(found), max(found))
    if period == "year":
        return timeline("year", years)
    counted = desk.search(state.q, facets=(period,), **{**state.search_args(), "limit": 1, "page": 1})
    return timeline(period, counted.facets[period])


def _has_archived_page(desk: Desk, id: str) -> bool:
    try:
        desk.archived_page(id)
    except NotFoundError:
        return False
    return True


def _matches(desk: Desk, name: str) -> list[tuple[Any, str | None]]:
    """An alert's latest matches, each with its release's title (None for a release no longer indexed)."""
    found = []
    for match in desk.alert_matches(name, limit=_MATCHES_SHOWN):
        try:
            found.append((match, desk.get(match.release).title))
        except NotFoundError:
            found.append((match, None))
    return found
