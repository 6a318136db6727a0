"""The raw archive: every fetched body and every imported record, kept so extraction can re-run offline.

Layout under `storage.archive`:

    blobs/ab/cd/<sha256>.gz      a body, gzip-compressed, named by the SHA-256 of the uncompressed bytes
    pages/ab/<sha256(url)>.json  the latest fetch of one URL: url, final URL, headers, fetch time, source,
                                 feed hints, and the body's sha256
    records/ab/<sha256(key)>.json  the latest imported record with one id, pointing at its JSON blob

Blobs are content-addressed, so a page fetched again unchanged costs nothing. Every file is written to a
temporary name in the same folder and moved into place with `os.replace`, so a process killed mid-write
leaves either the old file or the new one. The blob is written before the entry that names it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from wiredesk.errors import StorageError
from wiredesk.release import Hints

from .page import RawPage

__all__ = ["Archive"]

# Fast enough to keep up with a fetcher on one core; bodies are HTML, which shrinks well at any level.
_GZIP_LEVEL = 5


class Archive:
    """A content-addressed store of page bodies and import records under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put_page(self, page: RawPage) -> str:
        """Keep a fetched page and record it as the latest fetch of its URL; returns the body's sha256."""
        digest = self._put_blob(page.body)
        entry = {
            "url": page.url,
            "final_url": page.final_url,
            "headers": dict(page.headers),
            "fetched": page.fetched.isoformat() if page.fetched else None,
            "source": page.source,
            "hints": _hints_to_json(page.hints),
            "sha256": digest,
        }
        self._write_entry("pages", page.url, entry)
        return digest

    def put_record(self, record: dict[str, Any]) -> str:
        """Keep an imported record (the `extract` JSON shape) as the latest with its id; returns its sha256."""
        data = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
        digest = self._put_blob(data)
        key = str(record.get("id") or "") or digest
        self._write_entry("records", key, {"key": key, "sha256": digest})
        return digest

    def pages(self) -> Iterator[RawPage]:
        """Every archived URL's latest page, in a stable order."""
        for entry in self._entries("pages"):
            yield RawPage(
                url=entry["url"],
                body=self.body(entry["sha256"]),
                final_url=entry.get("final_url") or entry["url"],
                headers=entry.get("headers") or {},
                fetched=datetime.fromisoformat(entry["fetched"]) if entry.get("fetched") else None,
                source=entry.get("source") or "",
                hints=_hints_from_json(entry.get("hints") or {}),
            )

    def records(self) -> Iterator[dict[str, Any]]:
        """Every imported record (the latest per id), in a stable order."""
        for entry in self._entries("records"):
            yield json.loads(self.body(entry["sha256"]))

    def body(self, digest: str) -> bytes:
        try:
            return gzip.decompress(self._blob_path(digest).read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise StorageError(f"archive blob {digest}: {exc}") from exc

    def _blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest[2:4] / f"{digest}.gz"

    def _put_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._blob_path(digest)
        if not path.exists():
            # mtime=0 so one body always compresses to the same bytes
            _atomic_write(path, gzip.compress(data, compresslevel=_GZIP_LEVEL, mtime=0))
        return digest

    def _write_entry(self, kind: str, key: str, entry: dict[str, Any]) -> None:
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()
        path = self.root / kind / name[:2] / f"{name}.json"
        _atomic_write(path, json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def _entries(self, kind: str) -> Iterator[dict[str, Any]]:
        folder = self.root / kind
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*/*.json")):
            try:
                yield json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise StorageError(f"archive entry {path}: {exc}") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as exc:
        raise StorageError(f"cannot write to the archive at {path}: {exc}") from exc


def _hints_to_json(hints: Hints) -> dict[str, Any]:
    data = asdict(hints)
    for key in ("published", "updated"):
        data[key] = data[key].isoformat() if data[key] else None
    data["categories"], data["authors"] = list(hints.categories), list(hints.authors)
    return data


def _hints_from_json(data: dict[str, Any]) -> Hints:
    return Hints(
        title=data.get("title") or "",
        published=datetime.fromisoformat(data["published"]) if data.get("published") else None,
        updated=datetime.fromisoformat(data["updated"]) if data.get("updated") else None,
        categories=tuple(data.get("categories") or ()),
        authors=tuple(data.get("authors") or ()),
        summary=data.get("summary") or "",
        language=data.get("language") or "",
    )
