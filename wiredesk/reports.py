"""What the Python API returns besides search results and run reports: typed values whose `to_dict()` is
exactly the JSON the matching command prints with `--json` (`show`, `stats`, `sources`, `index optimize`).

They are built from the plain rows the stages hand out, so the stages need not know these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .core.database import from_iso, iso
from .core.release import Release

__all__ = ["Copy", "Story", "RunSummary", "Stats", "SourceStatus", "IndexSize"]


@dataclass(frozen=True)
class Copy:
    """Another copy of a release's story: the same text syndicated elsewhere (same cluster)."""

    id: str
    source: str
    url: str
    title: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "source": self.source, "url": self.url, "title": self.title}


@dataclass(frozen=True)
class Story:
    """A release and the other copies of its story (`wiredesk show`)."""

    release: Release
    copies: tuple[Copy, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.release.to_dict(), "copies": [copy.to_dict() for copy in self.copies]}


@dataclass(frozen=True)
class RunSummary:
    """How the latest finished run went: `kind` ingest or import; `outcome` ok, failures, abandoned or
    interrupted."""

    started: datetime
    finished: datetime | None
    outcome: str
    kind: str = "ingest"

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunSummary:
        return cls(started=datetime.fromisoformat(row["started"]), finished=from_iso(row["finished"]),
                   outcome=row["outcome"], kind=row.get("kind") or "ingest")

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started.isoformat(), "finished": iso(self.finished), "outcome": self.outcome,
                "kind": self.kind}


@dataclass(frozen=True)
class Stats:
    """Counts of the index (`wiredesk stats`): releases per agency and per source, size, date span, last run."""

    documents: int
    agencies: Mapping[str, int]
    sources: Mapping[str, int]
    index_bytes: int
    oldest: datetime | None
    newest: datetime | None
    last_run: RunSummary | None

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "agencies": dict(self.agencies), "sources": dict(self.sources),
                "index_bytes": self.index_bytes, "oldest": iso(self.oldest), "newest": iso(self.newest),
                "last_run": self.last_run.to_dict() if self.last_run else None}


@dataclass(frozen=True)
class SourceStatus:
    """One configured source as the state last saw it (`wiredesk sources`); times are None when never."""

    name: str
    kind: str
    enabled: bool
    last_run: datetime | None
    last_success: datetime | None
    new_last_run: int
    failures: int  # consecutive failed runs
    next_due: datetime | None  # None: due at once
    last_error: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SourceStatus:
        return cls(name=row["name"], kind=row["kind"], enabled=row["enabled"], last_run=from_iso(row["last_run"]),
                   last_success=from_iso(row["last_success"]), new_last_run=row["new_last_run"],
                   failures=row["failures"], next_due=from_iso(row["next_due"]), last_error=row["last_error"])

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "enabled": self.enabled, "last_run": iso(self.last_run),
                "last_success": iso(self.last_success), "new_last_run": self.new_last_run,
                "failures": self.failures, "next_due": iso(self.next_due), "last_error": self.last_error}


@dataclass(frozen=True)
class IndexSize:
    """The index after `optimize`: its releases and its bytes on disk."""

    documents: int
    index_bytes: int

    def to_dict(self) -> dict[str, int]:
        return {"documents": self.documents, "index_bytes": self.index_bytes}
