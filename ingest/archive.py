"""The raw archive: every fetched body and every imported record, kept so extraction can re-run offline.

Layout under `storage.archive`:

    blobs/ab/cd/<sha256>.gz      a body, gzip-compressed, named by the SHA-256 of the uncompressed bytes
    pages/ab/<sha256(url)>.json  the latest fetch of one URL: url, final URL, headers, fetch time, source,
                                 feed hints, and the body's sha256
    records/ab/<sha256(key)>.json  legacy, only read: an imported record's latest version, pointing at its
                                 JSON blob
    records/packs/<time_ns>-<sha256[:16]>.jsonl.gz
                                 one imported batch: its records as gzip-compressed JSON lines, named so that
                                 names sort in write order

Imports write one pack per batch rather than a blob and an entry per record: two small atomic files per record
kept the archive busier than indexing. A record's key is its id or, lacking one, the sha256 of its JSON; the
latest version of a key is its last line in the last pack holding it, and any pack beats a legacy entry, which
is older.

Blobs are content-addressed, so a page fetched again unchanged costs nothing. Every file is written to a
temporary name in the same folder and moved into place in one step (`wiredesk.core.files`), so a process killed mid-write
leaves either the old file or the new one. The blob is written before the entry that names it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from wiredesk.core.errors import StorageError
from wiredesk.core.files import replace_file
from wiredesk.core.release import Hints

from .page import RawPage

__all__ = ["Archive"]

# Fast enough to keep up with a fetcher on one core; bodies are HTML, which shrinks well at any level.
_GZIP_LEVEL = 5
# Packs are written beside indexing: zlib lets go of the GIL while compressing, but level 1 still takes a
# third of level 5's time for 14% more bytes on press-release JSON (0.3 s vs 1.0 s per 10,000 records).
_PACK_LEVEL = 1


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

    def put_records(self, records: list[dict[str, Any]]) -> None:
        """Keep a batch of imported records (the `extract` JSON shape) as one pack, newer than every earlier one."""
        self.put_record_lines([json.dumps(record, sort_keys=True, ensure_ascii=False) for record in records])

    def put_record_lines(self, lines: list[str]) -> None:
        """`put_records` for records serialised already, a JSON object on one line each."""
        if not lines:
            return
        packed = gzip.compress("".join(line + "\n" for line in lines).encode("utf-8"), compresslevel=_PACK_LEVEL,
                               mtime=0)
        # the hash keeps two packs written in the same nanosecond apart
        name = f"{time.time_ns():020d}-{hashlib.sha256(packed).hexdigest()[:16]}.jsonl.gz"
        _atomic_write(self._packs_folder() / name, packed)

    def is_empty(self) -> bool:
        """Whether the archive holds no page and no record (it may not exist at all)."""
        return not any(self.root.glob("pages/*/*.json")) and not any(self.root.glob("records/*/*.json")) \
            and not any(self._packs_folder().glob("*.jsonl.gz"))

    def pages(self) -> Iterator[RawPage]:
        """Every archived URL's latest page, in a stable order."""
        for entry in self._entries("pages"):
            yield self._page(entry)

    def page(self, url: str) -> RawPage | None:
        """The latest page fetched from the listed `url`, or None when none was archived under it."""
        path = self._entry_path("pages", url)
        try:
            entry = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StorageError(f"archive entry {path}: {exc}") from exc
        return self._page(entry)

    def _page(self, entry: dict[str, Any]) -> RawPage:
        return RawPage(
            url=entry["url"],
            body=self.body(entry["sha256"]),
            final_url=entry.get("final_url") or entry["url"],
            headers=entry.get("headers") or {},
            fetched=datetime.fromisoformat(entry["fetched"]) if entry.get("fetched") else None,
            source=entry.get("source") or "",
            hints=_hints_from_json(entry.get("hints") or {}),
        )

    def records(self) -> Iterator[dict[str, Any]]:
        """Every imported record (the latest per key): surviving legacy entries, then packs in write order.

        Two passes, so only where each key's latest version lies is held in memory, never the records.
        """
        packs = sorted(self._packs_folder().glob("*.jsonl.gz"))
        legacy = {entry["key"]: entry["sha256"] for entry in self._entries("records")}
        latest: dict[str, tuple[int, int]] = {}
        for number, pack in enumerate(packs):
            for line, (key, _) in enumerate(_pack_records(pack)):
                latest[key] = (number, line)
        for key, digest in legacy.items():
            if key not in latest:
                yield json.loads(self.body(digest))
        wanted: dict[int, set[int]] = {}
        for number, line in latest.values():
            wanted.setdefault(number, set()).add(line)
        for number, lines in sorted(wanted.items()):
            for line, (_, record) in enumerate(_pack_records(packs[number])):
                if line in lines:
                    yield record

    def body(self, digest: str) -> bytes:
        try:
            return gzip.decompress(self._blob_path(digest).read_bytes())
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise StorageError(f"archive blob {digest}: {exc}") from exc

    def _packs_folder(self) -> Path:
        return self.root / "records" / "packs"

    def _blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest[2:4] / f"{digest}.gz"

    def _put_blob(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._blob_path(digest)
        if not path.exists():
            # mtime=0 so one body always compresses to the same bytes
            _atomic_write(path, gzip.compress(data, compresslevel=_GZIP_LEVEL, mtime=0))
        return digest

    def _entry_path(self, kind: str, key: str) -> Path:
        name = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.root / kind / name[:2] / f"{name}.json"

    def _write_entry(self, kind: str, key: str, entry: dict[str, Any]) -> None:
        _atomic_write(self._entry_path(kind, key), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def _entries(self, kind: str) -> Iterator[dict[str, Any]]:
        folder = self.root / kind
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*/*.json")):
            try:
                yield json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise StorageError(f"archive entry {path}: {exc}") from exc


def _pack_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each line of a pack as (key, record), in order."""
    try:
        with gzip.open(path, "rb") as lines:
            # binary lines split on b"\n" only; json.dumps escapes every newline inside a record
            for line in lines:
                data = line.rstrip(b"\n")
                record = json.loads(data)
                # the key legacy entries were filed under: the id, or the sha256 of the serialised record
                yield str(record.get("id") or "") or hashlib.sha256(data).hexdigest(), record
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise StorageError(f"archive pack {path}: {exc}") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
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
