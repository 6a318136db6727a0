"""Export every hit of a search as JSON lines or CSV (`search --jsonl`, `search --csv`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator

from .render import printable

__all__ = ["EXPORT_COLUMNS", "hit_row", "jsonl_lines", "csv_lines"]

# what makes a spreadsheet read a cell as a formula (OWASP's CSV injection list; tab and CR are gone already)
_FORMULA_STARTS = ("=", "+", "-", "@")
EXPORT_COLUMNS = ("id", "score", "title", "url", "published", "agency", "source", "city", "country", "snippet")


def hit_row(hit: Any) -> dict[str, Any]:
    dateline = hit.dateline
    return {
        "id": hit.id, "score": round(hit.score, 4), "title": hit.title, "url": hit.url,
        "published": hit.published.isoformat() if hit.published else None, "agency": hit.agency, "source": hit.source,
        "city": dateline.city, "country": dateline.country, "snippet": hit.snippet,
    }


def jsonl_lines(hits: Iterable[Any]) -> Iterator[str]:
    for hit in hits:
        yield json.dumps(hit_row(hit), ensure_ascii=False)


def csv_lines(hits: Iterable[Any]) -> Iterator[str]:
    """The hits as CSV for a spreadsheet: each text cell on one line, without control characters, and one
    that a spreadsheet would run as a formula (it starts with = + - or @) begins with a quote instead."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="")
    writer.writeheader()
    yield buffer.getvalue()
    for hit in hits:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({name: _cell(value) for name, value in hit_row(hit).items()})
        yield buffer.getvalue()


def _cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = " ".join(printable(value).split())  # tabs and line breaks too: a cell is one line of words
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
