"""Export every hit of a search as JSON lines or CSV (`search --jsonl`, `search --csv`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator

__all__ = ["EXPORT_COLUMNS", "hit_row", "jsonl_lines", "csv_lines"]

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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="")
    writer.writeheader()
    yield buffer.getvalue()
    for hit in hits:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(hit_row(hit))
        yield buffer.getvalue()
