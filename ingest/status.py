"""The operator's view of ingestion, read from the state database: which sources are due, how each one
fared, how the last run ended. Reading only; light to import, for `wiredesk sources` and `stats`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from wiredesk.core.config import Config, SourceConfig

from wiredesk.core.database import has_schema

from .state import SCHEMA, from_iso, latest_run, open_state, source_row

__all__ = ["due_sources", "source_status", "last_run"]


def _read_state(config: Config) -> Any:
    """A read connection, or None when no run has made the state database yet (its schema included)."""
    if not config.storage.state_db.exists():
        return None
    conn = open_state(config.storage.state_db, create=False)
    if not has_schema(conn, SCHEMA):
        conn.close()
        return None
    return conn


def due_sources(config: Config, *, now: datetime | None = None) -> list[SourceConfig]:
    """Enabled sources whose `every` has elapsed or that never ran; a failing source waits its backoff."""
    now = now or datetime.now(timezone.utc)
    conn = _read_state(config)
    try:
        due = []
        for source in config.sources:
            if not source.enabled:
                continue
            row = source_row(conn, source.name) if conn else None
            next_due = from_iso(row["next_due"]) if row else None
            if next_due is None or next_due <= now:
                due.append(source)
        return due
    finally:
        if conn:
            conn.close()


def source_status(config: Config) -> list[dict[str, Any]]:
    """Per configured source: name, kind, enabled, last_run, last_success, new_last_run, failures,
    next_due, last_error (times as ISO 8601 strings, None when never)."""
    conn = _read_state(config)
    try:
        rows = []
        for source in config.sources:
            row = source_row(conn, source.name) if conn else None
            rows.append({
                "name": source.name, "kind": source.kind, "enabled": source.enabled,
                "last_run": row["last_attempt"] if row else None,
                "last_success": row["last_success"] if row else None,
                "new_last_run": row["new_last_run"] if row else 0,
                "failures": row["failures"] if row else 0,
                "next_due": row["next_due"] if row else None,
                "last_error": row["last_error"] if row else "",
            })
        return rows
    finally:
        if conn:
            conn.close()


def last_run(config: Config) -> dict[str, Any] | None:
    """The latest run (an ingest or an import) that is not still running: {"started", "finished", "outcome",
    "kind"}, or None."""
    conn = _read_state(config)
    if conn is None:
        return None
    try:
        row = latest_run(conn)
        return dict(row) if row else None
    finally:
        conn.close()
