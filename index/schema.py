"""The index schema: which release field becomes which index field, and the version that names it.

Text fields (`title`, `body`, `acronyms`) are stemmed by `analysis.terms`; the lead is indexed inside `body`,
its words weighted up (LEAD_WEIGHT). Exact fields hold case-normalised whole values (`value_key`) and match
case-insensitively; the facet fields among them also keep the value as written in a column, which is what
facets display and count. Dates are epoch seconds in number columns (MISSING where absent): date ranges,
sorting and the year/month facets are numpy operations on them. `published_local` is the publication time
as the story's own clock read it, counted as if that clock were UTC, so that its day is the story's day:
day, month and year searches and the year/month facets use it. The whole release is stored once, as JSON,
for `get`, hits and snippets. Each release's opening (the first terms of its headline and text) is also
kept, in a column of its own: feedback over the tail reads three of them for every query, and a stored
record is the whole release, deflated.

The fields are declared here as plain values (`fields()`); `backend` makes the on-disk schema of them.
A change here or in `analysis` is a format change: see FORMAT.md (the version, and the checked-in index to
regenerate).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from wiredesk.core.release import Release

from .analysis import terms, value_key

__all__ = [
    "SCHEMA_VERSION", "TEXT_FIELDS", "EXACT_FIELDS", "CASE_SENSITIVE", "FACET_FIELDS", "MULTI_FIELDS", "DATE_FIELDS",
    "LOCAL_DATE", "SEPARATOR", "MISSING", "FieldSpec", "fields", "exact_keys",
    "text_values", "acronym_keys", "release_fields", "document_fields", "stored_release", "stored_text",
    "OPENING_TERMS", "opening_terms",
]

SCHEMA_VERSION = 10
SEPARATOR = "\x1f"  # between the values of a multi-valued exact field, in the index and in its column

TEXT_FIELDS = ("title", "body", "acronyms")
# Exact fields a query may name (`agency:ANI`); `year`/`month` are computed from `published`.
# `country` is the dateline's country; `countries` all the countries the story is about.
EXACT_FIELDS = ("id", "url", "agency", "source", "country", "city", "language", "people", "organizations",
                "places", "countries", "categories", "authors", "cluster")
CASE_SENSITIVE = ("id", "cluster")  # ids are kept exactly as given, so they match exactly
MULTI_FIELDS = ("people", "organizations", "places", "countries", "categories", "authors")
FACET_FIELDS = ("agency", "source", "country", "city", "people", "organizations", "places", "countries", "categories",
                "language", "year", "month", "day")
_COLUMN_FIELDS = ("agency", "source", "country", "city", "language", "people", "organizations", "places",
                  "countries", "categories", "cluster")
DATE_FIELDS = ("published", "updated", "fetched")
LOCAL_DATE = "published_local"  # a date column of the story's wall-clock time; not a field a query names


MISSING = -(2**63)  # an absent date in a date column
# A release's opening: the first terms of its headline and text (`opening_terms`), where a news story and an
# abstract say what they are about. Feedback over the tail reads it: from 24 to 64 terms, Recall@100 stayed
# above SQLite FTS5's on both the TIME and the SciFact collections, and 40 to 48 were best on both together.
OPENING_TERMS = 40


@dataclass(frozen=True)
class FieldSpec:
    """One index field. Kinds: "text" (analysed, with positions, scored), "exact" (whole values, one term
    each), "date" (epoch seconds in a number column), "stored" (kept, not searchable), "signature" (a
    MinHash signature column), "terms" (index terms kept per document in a column, not searchable)."""

    name: str
    kind: str
    column: bool = False  # exact: the value as written is also kept per document (facets, ids)
    fold: bool = True  # exact: matched case-insensitively; False keeps case (ids)
    unique: bool = False
    stored: bool = False  # exact: also kept in the stored record


def fields() -> tuple[FieldSpec, ...]:
    """Every field of the index."""
    declared = [
        *(FieldSpec(name, "text") for name in TEXT_FIELDS),
        FieldSpec("id", "exact", column=True, fold=False, unique=True),
        FieldSpec("url", "exact"),
        FieldSpec("acronym_pair", "exact"),  # the index's acronym table, both ways (`acronym_keys`)
        FieldSpec("doc", "stored"),
        FieldSpec("signature", "signature"),  # MinHash, to find syndicated copies
        FieldSpec("opening", "terms"),  # `opening_terms`, written from the text fields' analysis
    ]
    named = {spec.name for spec in declared}
    # the cluster is stored beside the release: it is decided when the release is written, after the rest of
    # its document was made (`release_fields`)
    declared += [FieldSpec(name, "exact", column=name in _COLUMN_FIELDS, fold=name not in CASE_SENSITIVE,
                           stored=name == "cluster")
                 for name in EXACT_FIELDS if name not in named]
    declared += [FieldSpec(name, "date") for name in (*DATE_FIELDS, LOCAL_DATE)]
    return tuple(declared)


def exact_keys(value: str, *, fold: bool = True) -> set[str]:
    """The terms an exact field's value is indexed under (several values are joined by SEPARATOR)."""
    keys = {value_key(v) for v in value.split(SEPARATOR)} if fold else set(value.split(SEPARATOR))
    keys.discard("")
    return keys


def _clean(value: str) -> str:
    # NUL ends a value in a column and SEPARATOR joins values: neither may appear inside one
    return " ".join(value.replace("\x00", " ").replace(SEPARATOR, " ").split())


def _joined(values: Iterable[str]) -> str:
    seen: dict[str, str] = {}
    for value in values:
        cleaned = _clean(value)
        if cleaned:
            seen.setdefault(value_key(cleaned), cleaned)  # the same person twice, differently cased, counts once
    return SEPARATOR.join(seen.values())


def _body(release: Release) -> tuple[str, str]:
    """(lead to emphasise, text to index): a lead that is most of the text is no lead, and one the body does
    not contain (a page's own summary) is indexed with it."""
    lead, body = release.lead, release.body
    text = body if lead in body else f"{lead}\n\n{body}"
    return (lead if len(lead) * 2 < len(text) else "", text)


def _epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment else None


def text_values(release: Release) -> dict[str, Any]:
    """The values of the text fields: the body as a pair (lead to emphasise, text to index)."""
    return {
        "title": release.title,
        "body": _body(release),
        "acronyms": " ".join(f"{short} {long}" for short, long in release.acronyms.items()),
    }


def acronym_keys(acronyms: Mapping[str, str]) -> list[str]:
    """A release's rows in the index's acronym table, for an acronym "SIDM" of "Society of Indian Defence
    Manufacturers": "sidm=society of indian defence manufacturers" gives the long form of an acronym typed
    in a query, "=societi indian defenc manufactur=sidm" (the long form's index terms) the acronym of its
    words typed out, and "sidm" and "=societi" mark that such rows exist. A query checks its words against
    the marks (exact term look-ups) and reads rows only where one is found, so it never reads the whole
    table, which grows with the index."""
    keys = []
    for short, long in acronyms.items():
        short_key, long_key = value_key(short), value_key(long)
        if not short_key or not long_key or "=" in short_key:
            continue
        keys += (short_key, f"{short_key}={long_key}")
        words = terms(long)
        if len(words) > 1:
            keys += (f"={words[0]}", f"={' '.join(words)}={short_key}")
    return keys


def release_fields(release: Release) -> dict[str, Any]:
    """The values of a release's index fields, but for its cluster and signature,
    which are decided when it is written (`document_fields`); made ahead, by the workers that analyse it."""
    record = release.to_dict()
    del record["cluster"]
    doc: dict[str, Any] = {
        **text_values(release),
        "id": release.id,
        "url": _clean(release.url),
        "agency": _clean(release.agency),
        "source": _clean(release.source),
        "country": _clean(release.dateline.country or ""),
        "city": _clean(release.dateline.city or ""),
        "language": _clean(release.language),
        "acronym_pair": SEPARATOR.join(acronym_keys(release.acronyms)),
        "doc": json.dumps(record, ensure_ascii=False),
    }
    for name in MULTI_FIELDS:
        doc[name] = _joined(getattr(release, name))
    for name in DATE_FIELDS:
        epoch = _epoch(getattr(release, name))
        if epoch is not None:
            doc[name] = epoch
    local = release.published_local or release.published  # a release made in code may have only the instant
    if local is not None:
        doc[LOCAL_DATE] = _epoch(local.replace(tzinfo=timezone.utc))  # its wall clock, counted as if UTC
    return doc


def document_fields(release: Release, *, signature: bytes | None,
                    made: dict[str, Any] | None = None) -> dict[str, Any]:
    """The values of a release's index fields (cluster already assigned); `made` is
    its `release_fields`, where they were made ahead."""
    return {**(made if made is not None else release_fields(release)), "cluster": release.cluster,
            "signature": signature}


def stored_release(stored: dict[str, Any]) -> Release:
    """The release kept in a document's stored fields."""
    return Release.from_dict({**json.loads(stored["doc"]), "cluster": stored.get("cluster") or ""})


def stored_text(stored: dict[str, Any]) -> str:
    """The headline and the body of the release kept in a document's stored fields, a line apart."""
    record = json.loads(stored["doc"])
    return f"{record.get('title') or ''}\n{record['body']}"


def opening_terms(title: Sequence[str], text: Sequence[str]) -> list[str]:
    """A release's opening, of the terms of its headline and of its indexed text (`text_values`): the first
    OPENING_TERMS of the one and then the other."""
    return [*title[:OPENING_TERMS], *text[:max(OPENING_TERMS - len(title), 0)]]
