"""The OpenAPI 3.1 document of the JSON API (/api/openapi.json), written out by hand: the shapes are those
of the results' `to_dict()`, which the CLI's `--json` prints too."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .params import MAX_PER_PAGE

__all__ = ["document"]

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_INSTANT = {"type": ["string", "null"], "format": "date-time"}
_STRINGS = {"type": "array", "items": _STRING}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: bool = True, **properties: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(properties)
    return out


def _query(name: str, description: str, schema: dict[str, Any] | None = None, *, repeated: bool = False) -> dict[str, Any]:
    schema = schema or _STRING
    return {"name": name, "in": "query", "description": description, "required": False,
            "schema": {"type": "array", "items": schema} if repeated else schema,
            **({"style": "form", "explode": True} if repeated else {})}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": _STRING}


def _answer(description: str, schema: dict[str, Any], *errors: int) -> dict[str, Any]:
    texts = {400: "bad parameters: the message is the CLI's for the same input",
             404: "no release (or alert) with this id", 503: "the index or the state cannot be read now"}
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}},
            **{str(code): {"description": texts[code], "content": {"application/json": {"schema": _ref("Error")}}}
               for code in errors}}


_SEARCH_PARAMETERS = [
    _query("q", "the query, in the language of `wiredesk search` (words, \"phrases\", AND/OR/NOT, field:value)"),
    _query("since", "published on or after: 2025-04-01, 2025-04, 2025, yesterday, last week, 3 days ago"),
    _query("until", "published on or before (the forms of since)"),
    _query("facet", "count hits per value of this field: agency, source, country, city, people, organizations, "
                    "places, countries, categories, language, year, month, day", repeated=True),
    _query("filter", "FIELD=VALUE: only hits with this value (all must hold)", repeated=True),
    _query("sort", "relevance (the default), newest or oldest", {"type": "string", "enum": ["relevance", "newest", "oldest"]}),
    _query("page", "the page of hits, from 1", {"type": "integer", "minimum": 1}),
    _query("per-page", "hits per page (10)", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
    _query("facet-limit", "values per facet, most frequent first (10)", {"type": "integer", "minimum": 1}),
    _query("collapse", "one hit per syndication cluster, with its number of copies", {"type": "boolean"}),
]

_SCHEMAS: dict[str, Any] = {
    "Error": _object(error={"type": "string", "description": "one line, as the CLI prints it after 'Error: '"}),
    "Dateline": _object(city=_STRING, country=_STRING),
    "Hit": {**_object(id=_STRING, score={"type": "number"}, title=_STRING, url=_STRING, published=_INSTANT,
                      agency=_STRING, source=_STRING, dateline=_ref("Dateline"), snippet=_STRING),
            "description": "with collapse, also `copies` (integer) and `copy_sources` (strings)"},
    "Results": {**_object(query=_STRING, total={"type": "integer"}, page={"type": "integer"},
                          hits={"type": "array", "items": _ref("Hit")},
                          facets={"type": "object", "additionalProperties": {
                              "type": "array", "items": {"type": "array", "prefixItems": [_STRING, {"type": "integer"}]}}},
                          suggestion=_NULLABLE_STRING),
                "description": "with collapse, also `clusters`: the distinct stories among the hits"},
    "Copy": _object(id=_STRING, source=_STRING, url=_STRING, title=_STRING),
    "Story": {"type": "object", "description": "a release, every field, and the other copies of its story",
              "properties": {"id": _STRING, "url": _STRING, "source": _STRING, "agency": _STRING, "title": _STRING,
                             "lead": _STRING, "body": _STRING, "published": _INSTANT, "published_local": _INSTANT,
                             "updated": _INSTANT, "fetched": _INSTANT,
                             "dateline": {"type": "object", "additionalProperties": True}, "authors": _STRINGS,
                             "language": _STRING, "categories": _STRINGS, "people": _STRINGS,
                             "organizations": _STRINGS, "places": _STRINGS, "countries": _STRINGS,
                             "acronyms": {"type": "object", "additionalProperties": _STRING},
                             "content_hash": _STRING, "word_count": {"type": "integer"}, "cluster": _STRING,
                             "copies": {"type": "array", "items": _ref("Copy")}},
              "required": ["id", "title", "body", "copies"]},
    "Source": _object(name=_STRING, kind=_STRING, enabled={"type": "boolean"}, last_run=_INSTANT,
                      last_success=_INSTANT, new_last_run={"type": "integer"},
                      failures={"type": "integer", "description": "failed runs in a row"}, next_due=_INSTANT,
                      last_error=_STRING),
    "Alert": _object(name=_STRING, query=_STRING, filters=_STRINGS, created=_INSTANT, fired={"type": "integer"},
                     last_fired=_INSTANT),
    "AlertMatch": _object(alert=_STRING, release=_STRING, fired={"type": "string", "format": "date-time"}),
}


def document(server: str) -> dict[str, Any]:
    """The OpenAPI document, naming `server` (the desk's base URL) as where the API runs."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "wiredesk", "version": __version__,
                 "description": "A read-only API over a wiredesk index: the shapes of the CLI's --json."},
        "servers": [{"url": server}],
        "paths": {
            "/api/search": {"get": {"summary": "one page of ranked hits, with facet counts and a suggestion",
                                    "parameters": _SEARCH_PARAMETERS,
                                    "responses": _answer("as `wiredesk search --json`", _ref("Results"), 400, 503)}},
            "/api/release/{id}": {"get": {"summary": "a whole release and the other copies of its story",
                                          "parameters": [_path("id", "the release's id")],
                                          "responses": _answer("as `wiredesk show --json`", _ref("Story"), 404, 503)}},
            "/api/similar/{id}": {"get": {"summary": "the releases most like this one",
                                          "parameters": [_path("id", "the release's id"),
                                                         _query("limit", "hits (10)", {"type": "integer", "minimum": 1,
                                                                                       "maximum": 100})],
                                          "responses": _answer("as `wiredesk similar --json`", _ref("Results"), 400,
                                                               404, 503)}},
            "/api/sources": {"get": {"summary": "each configured source: last run, failures, next due",
                                     "responses": _answer("as `wiredesk sources --json`",
                                                          {"type": "array", "items": _ref("Source")}, 503)}},
            "/api/alerts": {"get": {"summary": "the saved alerts",
                                    "responses": _answer("as `wiredesk alerts list --json`",
                                                         {"type": "array", "items": _ref("Alert")}, 503)}},
            "/api/alerts/{name}": {"get": {"summary": "the releases an alert fired for, the latest first",
                                           "parameters": [_path("name", "the alert's name"),
                                                          _query("limit", "matches (20)", {"type": "integer", "minimum": 1})],
                                           "responses": _answer("matches", {"type": "array", "items": _ref("AlertMatch")},
                                                                400, 404, 503)}},
            "/api/openapi.json": {"get": {"summary": "this document",
                                          "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {"schemas": _SCHEMAS},
    }
