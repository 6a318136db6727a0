"""The JSON API under /api/: each route is one call on the desk, answered with the `to_dict()` that the
matching command prints with `--json` (`search`, `show`, `similar`, `sources`, `alerts list`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..core.errors import UsageError
from ..desk import Desk
from .openapi import document
from .params import SearchState, whole_number

__all__ = ["routes", "MAX_SIMILAR"]

MAX_SIMILAR = 100


def routes() -> list[Route]:
    return [
        Route("/api/search", search),
        Route("/api/release/{id:path}", release),
        Route("/api/similar/{id:path}", similar),
        Route("/api/sources", sources),
        Route("/api/alerts", alerts),
        Route("/api/alerts/{name}", alert_matches),
        Route("/api/openapi.json", openapi),
    ]


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def search(request: Request) -> JSONResponse:
    params = request.query_params
    state = SearchState.from_params(params)
    results = _desk(request).search(state.q, facets=params.getlist("facet"),
                                    facet_limit=whole_number(params, "facet-limit", 10),
                                    collapse=_flag(params.get("collapse", "")), **state.search_args())
    return JSONResponse(results.to_dict())


def release(request: Request) -> JSONResponse:
    return JSONResponse(_desk(request).story(request.path_params["id"]).to_dict())


def similar(request: Request) -> JSONResponse:
    limit = whole_number(request.query_params, "limit", 10)
    if not 1 <= limit <= MAX_SIMILAR:
        raise UsageError(f"limit must be from 1 to {MAX_SIMILAR}, got {limit}")
    return JSONResponse(_desk(request).similar(request.path_params["id"], limit=limit).to_dict())


def sources(request: Request) -> JSONResponse:
    return JSONResponse([source.to_dict() for source in _desk(request).sources()])


def alerts(request: Request) -> JSONResponse:
    return JSONResponse([alert.to_dict() for alert in _desk(request).alerts()])


def alert_matches(request: Request) -> JSONResponse:
    limit = whole_number(request.query_params, "limit", 20)
    if limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}")
    matches = _desk(request).alert_matches(request.path_params["name"], limit=limit)
    return JSONResponse([match.to_dict() for match in matches])


def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document(str(request.base_url)))


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise UsageError(f"collapse takes true or false, got {raw!r}")
