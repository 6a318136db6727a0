"""Jobs that join stages: `ingest` (sources -> index), `import` (records -> index) and `reindex` (archive -> index).

The stages never call each other; the jobs here pass values from one to the next, in one direction. Both
jobs commit the index in batches and tell ingest's state which pages are indexed only after the commit
that made them durable, so a run killed at any moment is finished by the next one without loss or
duplicates (the index adds or replaces by id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import IO, Callable, Iterator, Sequence

from .config import Config, SourceConfig
from .lock import run_lock
from .release import Release

__all__ = ["IngestReport", "SourceReport", "ImportReport", "run_ingest", "run_import", "run_reindex", "select_sources"]

COMMIT_EVERY = 200  # releases per index commit: bounds the work a kill can lose and the memory a batch holds


@dataclass
class SourceReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
                "failed": self.failed, "errors": list(self.errors)}


@dataclass
class IngestReport:
    sources: dict[str, SourceReport] = field(default_factory=dict)

    @property
    def indexed(self) -> int:
        return sum(s.new + s.updated for s in self.sources.values())

    def to_dict(self) -> dict:
        return {"indexed": self.indexed, "sources": {name: s.to_dict() for name, s in self.sources.items()}}


def select_sources(config: Config, *, names: Sequence[str] = (), all_sources: bool = False,
                   now: datetime | None = None) -> list[SourceConfig]:
    """The sources a run works on: those named (enabled or not), else all enabled ones, else the due ones."""
    if names:
        return [config.source(name) for name in names]
    if all_sources:
        return [s for s in config.sources if s.enabled]
    from ingest import due_sources

    return due_sources(config, now=now)


def run_ingest(config: Config, sources: Sequence[SourceConfig], *, wait: float | None = None,
               on_outcome: Callable[[object], None] | None = None) -> IngestReport:
    """One ingest run over `sources`, under the run lock. Exit-1 errors: LockedError, StorageError."""
    from index import open_index
    from ingest import Harvest

    report = IngestReport({s.name: SourceReport() for s in sources})
    with run_lock(config.storage.run_lock, wait=wait):
        index = open_index(config.storage.index_root)
        harvest = Harvest(config, sources)
        try:
            with index.writer() as writer:
                pending: list = []
                for outcome in harvest:
                    counts = report.sources.setdefault(outcome.source, SourceReport())
                    setattr(counts, outcome.status, getattr(counts, outcome.status) + 1)
                    if outcome.status in ("skipped", "failed"):
                        counts.errors.append({"url": outcome.url, "reason": outcome.reason})
                    if outcome.release is not None:
                        writer.add([outcome.release])
                        pending.append(outcome)
                        if len(pending) >= COMMIT_EVERY:
                            writer.commit()
                            harvest.confirm(pending)
                            pending = []
                    if on_outcome:
                        on_outcome(outcome)
                writer.commit()
                harvest.confirm(pending)
        finally:
            harvest.close()
    return report


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"imported": self.imported, "failed": len(self.errors), "errors": self.errors}


def read_records(stream: IO[str], report: ImportReport, *, source: str) -> Iterator[tuple[dict, Release]]:
    """Releases from JSON lines in the `extract` shape; a bad line goes into `report.errors` with its number."""
    now = datetime.now(timezone.utc)
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line must hold one JSON object")
            release = Release.from_dict(record)
        except ValueError as exc:
            report.errors.append({"line": number, "reason": str(exc).splitlines()[0]})
            continue
        if not release.source:
            release = replace(release, source=source)
        if release.fetched is None:
            release = replace(release, fetched=now)
        yield record, release.with_derived()


def run_import(config: Config, stream: IO[str], *, source: str = "import",
               on_release: Callable[[Release], None] | None = None) -> ImportReport:
    """Load `extract`-shaped JSON lines into the index; each record is kept in the archive for `reindex`."""
    from index import open_index
    from ingest import archive_record

    report = ImportReport()
    index = open_index(config.storage.index_root)
    with index.writer() as writer:
        batch: list[Release] = []
        for record, release in read_records(stream, report, source=source):
            archive_record(config, {**record, "id": release.id, "source": release.source})
            batch.append(release)
            if len(batch) >= COMMIT_EVERY * 5:
                writer.add(batch)
                report.imported += len(batch)
                batch = []
            if on_release:
                on_release(release)
        writer.add(batch)
        report.imported += len(batch)
        writer.commit()
    return report


def run_reindex(config: Config, *, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the raw archive without the network; searches use the old one until the swap."""
    from index import rebuild
    from ingest.replay import replay

    with run_lock(config.storage.run_lock):
        return rebuild(config.storage.index_root, replay(config), progress=progress)

