"""`wiredesk extract`: saved pages through the extraction stage, without indexing them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .core.config import FetchConfig, SourceConfig
from .core.errors import Skip, UsageError
from .core.release import Release

__all__ = ["Extraction", "extract_page", "extract_files", "empty_row"]


def empty_row(reason: str, *, url: str = "") -> dict[str, Any]:
    """Every key of the document type with an empty value but the page's `url`, plus the reason no release
    came out."""
    return {**Release(body="", url=url).to_dict(), "error": reason}


@dataclass(frozen=True)
class Extraction:
    """What one saved page gave: its release, or the reason it holds none (`error`); `url` is the page's
    (the --url given, else the file's own), so a line without a release still says which page it is."""

    path: Path | None  # None: the page came on stdin
    release: Release | None
    error: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The `extract` line: every field of the document type, plus "error" when there is no release."""
        return self.release.to_dict() if self.release is not None else empty_row(self.error, url=self.url)


def extract_page(page: bytes | os.PathLike[str], *, url: str | None = None, source: SourceConfig | None = None,
                 max_bytes: int = FetchConfig.max_bytes) -> Release:
    """The release in a page given as bytes or as a path to a saved file. Skip when it holds none, and for a
    FIFO, a device or a file over `max_bytes`; UsageError for a file that cannot be read; StepError (a bug)
    for a step that fails otherwise."""
    from wiredesk.ingest.extract import extract
    from wiredesk.ingest.localfiles import read_local
    from wiredesk.ingest.page import RawPage

    if isinstance(page, (bytes, bytearray)):
        body, where = bytes(page), url or ""
    elif isinstance(page, os.PathLike):
        path = Path(page)
        try:
            body = read_local(path, limit=max_bytes)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except Skip as skip:
            raise Skip(f"{path}: {skip.reason}") from None
        where = url or path.resolve().as_uri()
    else:
        raise UsageError(f"a page is bytes or a path (pathlib.Path), not {type(page).__name__}")
    raw = RawPage(url=where, body=body, fetched=datetime.now(timezone.utc), source=source.name if source else "")
    return extract(raw, source=source)


def extract_files(pages: Iterable[os.PathLike[str] | IO[bytes]], *, url: str | None = None,
                  source: SourceConfig | None = None, max_bytes: int = FetchConfig.max_bytes) -> Iterator[Extraction]:
    """One `Extraction` per page (a path, or an open binary stream such as stdin), in order: a page that
    cannot be read or holds no release gets the reason."""
    from wiredesk.ingest.pipeline import StepError

    for page in pages:
        path = None if hasattr(page, "read") else Path(page)
        where = url or (path.resolve().as_uri() if path is not None else "")
        try:
            if path is None:
                body = page.read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise Skip(f"page over max_bytes ({max_bytes})")
                release = extract_page(body, url=url, source=source, max_bytes=max_bytes)
            else:
                release = extract_page(path, url=url, source=source, max_bytes=max_bytes)
            yield Extraction(path, release, url=where)
        except Skip as skip:
            yield Extraction(path, None, skip.reason, url=where)
        except UsageError as exc:
            yield Extraction(path, None, str(exc), url=where)
        except StepError as exc:  # a bug in one step: this file's line says so, the other files go on
            yield Extraction(path, None, f"extraction error: {exc}", url=where)
