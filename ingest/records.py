"""Import records: JSON lines in the `extract` shape, made into releases.

A record is checked as it is read (one JSON object, a `body` or `title` with text, not an `extract` error
line) and its release derived (id, content hash, word count). The record is kept as the archive holds it,
with its id and the defaults it was given (source, fetched), so that a reindex makes the same release of it
again (`release_from_record`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wiredesk.core.release import Release

__all__ = ["Records", "release_from_record", "parse_lines"]


@dataclass
class Records:
    """Consecutive lines read: their releases (derived), each record as the archive keeps it (a JSON line),
    and the lines that could not be read ({"line": number, "reason": ...})."""

    releases: list[Release]
    archived: list[str]
    errors: list[dict]


def release_from_record(data: Mapping[str, Any]) -> Release:
    """The derived release of one record. Raises ValueError saying what is wrong with it."""
    if data.get("error"):  # `extract` found no release in its page: a listing, an empty file
        raise ValueError(f"the record holds no release: {data['error']}")
    release = Release.from_dict(data)
    if not release.body.strip() and not release.title.strip():
        raise ValueError("the record has no text: 'body' and 'title' are empty")
    return release.with_derived()


def parse_lines(first: int, lines: list[str | bytes], *, source: str, now: str) -> Records:
    """Lines (text, or bytes read as UTF-8) numbered from `first` as records. A record without a `source`
    gets `source`; without `fetched`, `now` (an ISO time). A line that is not UTF-8, not JSON, or not a
    release's shape is in `errors` with its number and the reason; the others are read all the same."""
    releases, archived, errors = [], [], []
    for number, line in enumerate(lines, start=first):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.append({"line": number, "reason": f"not UTF-8: byte 0x{line[exc.start]:02x} at column "
                                                         f"{exc.start + 1}"})
                continue
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark some editors write
        if not line.strip():
            continue
        try:
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"not JSON: {exc}") from None
            if not isinstance(data, dict):
                raise ValueError(f"not a release: a line must hold one JSON object, not {_json_kind(data)}")
            # defaults go in before the release is built: each `replace` afterwards would build it again
            record = {**data, "source": data.get("source") or source, "fetched": data.get("fetched") or now}
            release = release_from_record(record)
        except (ValueError, TypeError) as exc:  # TypeError: a field of the wrong type
            errors.append({"line": number, "reason": str(exc).splitlines()[0]})
            continue
        releases.append(release)
        archived.append(json.dumps({**record, "id": release.id}, sort_keys=True, ensure_ascii=False))
    return Records(releases, archived, errors)


def _json_kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")
