"""Hits as records for scripts and exports: `search --jsonl`, `search --csv`, and the web app's JSON.

`hit_record` is the one way a hit becomes a record. Its default fields are exactly a hit of `search --json`
(`Hit.to_dict`, the shape it starts from), so a JSON line of `--jsonl` and a hit of `--json` are alike;
`fields` adds any field of the release (body, entities, ...) or picks fewer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .core.errors import UsageError
from .core.release import RELEASE_KEYS
from .render import printable

__all__ = ["HIT_FIELDS", "RECORD_FIELDS", "hit_record", "parse_fields", "jsonl_lines", "csv_lines"]

# what a hit of `search --json` holds, in its order
HIT_FIELDS: tuple[str, ...] = ("id", "score", "title", "url", "published", "agency", "source", "dateline", "snippet")
# every field a record can carry: the hit's, then the rest of the release's
RECORD_FIELDS: tuple[str, ...] = HIT_FIELDS + tuple(key for key in RELEASE_KEYS if key not in HIT_FIELDS)
# what a spreadsheet reads a cell as a formula by (OWASP's CSV injection list; tab and CR are gone already)
_FORMULA_STARTS = ("=", "+", "-", "@")


def parse_fields(text: str | None) -> tuple[str, ...]:
    """`--fields`: names separated by commas, in the order wanted, or `all`. UsageError for an unknown one."""
    if not text:
        return HIT_FIELDS
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if names == ("all",):
        return RECORD_FIELDS
    unknown = [name for name in names if name not in RECORD_FIELDS]
    if unknown or not names:
        raise UsageError(f"--fields: unknown field {', '.join(map(repr, unknown)) or repr(text)} "
                         f"(fields: all, {', '.join(RECORD_FIELDS)})")
    return names


def hit_record(hit: Any, fields: Sequence[str] = HIT_FIELDS) -> dict[str, Any]:
    """A hit (`wiredesk.search.Hit`) as a record of `fields`: those of the hit as `search --json` shows
    it, the others from its release (which `Desk.export` hits carry)."""
    shown = hit.to_dict()
    whole: Mapping[str, Any] | None = None
    record = {}
    for name in fields:
        if name in shown:
            record[name] = shown[name]
            continue
        if whole is None:
            if hit.release is None:
                raise UsageError(f"the field {name!r} needs the whole release, which this hit does not carry")
            whole = hit.release.to_dict()
        record[name] = whole[name]
    return record


def jsonl_lines(hits: Iterable[Any], fields: Sequence[str] = HIT_FIELDS) -> Iterator[str]:
    for hit in hits:
        yield json.dumps(hit_record(hit, fields), ensure_ascii=False)


def csv_lines(hits: Iterable[Any], fields: Sequence[str] = HIT_FIELDS) -> Iterator[str]:
    """The hits as CSV for a spreadsheet, a column per field (the dateline as `city` and `country`, lists
    joined with "; ", acronyms as "SIDM = Society of ..."): each text cell on one line, without control
    characters, and one that a spreadsheet would run as a formula (it starts with = + - or @) begins with a
    quote instead."""
    columns = [column for name in fields for column in (("city", "country") if name == "dateline" else (name,))]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="")
    writer.writeheader()
    yield buffer.getvalue()
    for hit in hits:
        buffer.seek(0)
        buffer.truncate()
        row: dict[str, Any] = {}
        for name, value in hit_record(hit, fields).items():
            if name == "dateline":
                row.update(city=_cell(value.get("city")), country=_cell(value.get("country")))
            else:
                row[name] = _cell(value)
        writer.writerow(row)
        yield buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, Mapping):
        value = "; ".join(f"{key} = {item}" for key, item in value.items())
    elif isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if not isinstance(value, str):
        return value
    text = " ".join(printable(value).split())  # tabs and line breaks too: a cell is one line of words
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
