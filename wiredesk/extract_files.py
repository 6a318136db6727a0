"""`wiredesk extract`: saved pages through the extraction stage, one JSON-ready row per file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from .core.config import FetchConfig, SourceConfig
from .core.errors import Skip
from .core.release import Release

__all__ = ["extract_files", "empty_row"]


def empty_row(reason: str) -> dict[str, Any]:
    """Every key of the document type with an empty value, plus the reason no release came out."""
    return {**Release(body="").to_dict(), "error": reason}


def extract_files(paths: Sequence[Path], *, url: str | None = None, source: SourceConfig | None = None,
                  max_bytes: int = FetchConfig.max_bytes) -> Iterator[dict[str, Any]]:
    """One row per path; a FIFO, a device or a file over `max_bytes` gets a row with its reason."""
    from wiredesk.ingest.extract import extract
    from wiredesk.ingest.localfiles import read_local
    from wiredesk.ingest.page import RawPage
    from wiredesk.ingest.pipeline import StepError

    for path in paths:
        try:
            body = read_local(path, limit=max_bytes)
        except OSError as exc:
            yield empty_row(f"cannot read {path}: {exc.strerror or exc}")
            continue
        except Skip as skip:
            yield empty_row(f"{path}: {skip.reason}")
            continue
        page = RawPage(url=url or path.resolve().as_uri(), body=body, fetched=datetime.now(timezone.utc),
                       source=source.name if source else "")
        try:
            yield extract(page, source=source).to_dict()
        except Skip as skip:
            yield empty_row(skip.reason)
        except StepError as exc:  # a bug in one step: this file's line says so, the other files go on
            yield empty_row(f"extraction error: {exc}")
