"""The ingest state database: what each source and each URL last did, and every run.

One SQLite file (`storage.state_db`), opened, written and kept to its schema as every wiredesk database is
(`wiredesk.core.database`: WAL mode, so readers such as `wiredesk sources` and `stats` never block the one
writer; one short transaction per write). The schema is declared in `TABLES` and `INDEXES`, and every
statement that reads or writes it is a function here.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from wiredesk.core import database
from wiredesk.core.database import Schema, from_iso, iso, transaction

__all__ = [
    "TABLES", "INDEXES", "URL_STATUSES", "ensure_schema", "open_state", "transaction", "iso", "from_iso",
    "url_row", "source_row", "mark_url", "start_run", "finish_run",
    "mark_source", "retry_due", "latest_run",
]

# URL statuses: `indexed` after the index committed it (see Harvest.confirm); `failed` is tried again on a
# later run, `given_up` never again; `skipped` holds the reason the page yields no release.
URL_STATUSES = ("indexed", "skipped", "failed", "given_up")

TABLES: dict[str, dict[str, str]] = {
    "sources": {
        "name": "TEXT PRIMARY KEY",
        "etag": "TEXT",
        "last_modified": "TEXT",
        "last_attempt": "TEXT",
        "last_success": "TEXT",
        "failures": "INTEGER NOT NULL DEFAULT 0",
        "next_due": "TEXT",
        "last_error": "TEXT NOT NULL DEFAULT ''",
        "new_last_run": "INTEGER NOT NULL DEFAULT 0",
        # the start of the last run after which everything the source listed was durable (indexed or
        # recorded): a 304 against the stored validators, or a child sitemap unchanged since, means "done"
        "settled": "TEXT",
    },
    "urls": {
        "url": "TEXT PRIMARY KEY",
        "source": "TEXT NOT NULL",
        "status": "TEXT NOT NULL",
        "attempts": "INTEGER NOT NULL DEFAULT 0",
        "last_error": "TEXT NOT NULL DEFAULT ''",
        "content_hash": "TEXT NOT NULL DEFAULT ''",
        "lastmod": "TEXT",  # the feed's updated date, the sitemap's lastmod or a file's mtime, as last seen
        "etag": "TEXT",
        "next_try": "TEXT",
        "changed": "TEXT NOT NULL",
    },
    "runs": {
        "id": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "started": "TEXT NOT NULL",
        "finished": "TEXT",
        "outcome": "TEXT NOT NULL DEFAULT 'running'",
        "kind": "TEXT NOT NULL DEFAULT 'ingest'",  # ingest, or import: the runs that change the index
    },
}

INDEXES: dict[str, str] = {
    "urls_source_status": "urls(source, status)",
}

SCHEMA = Schema(TABLES, INDEXES)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables, columns and indexes of `TABLES`/`INDEXES` that are missing. Idempotent."""
    database.ensure_schema(conn, SCHEMA)


def open_state(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection to the state database (made, with its schema, when `create`), in WAL mode."""
    return database.open_database(path, SCHEMA, name="state database", create=create)


def url_row(conn: sqlite3.Connection, url: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM urls WHERE url = ?", (url,)).fetchone()


def source_row(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()


def mark_url(conn: sqlite3.Connection, url: str, *, source: str, status: str, now: datetime, **values: Any) -> None:
    """Upsert one URL's row: `status` plus any other columns of `TABLES["urls"]` given by name.

    Call inside `transaction`.
    """
    if status not in URL_STATUSES:
        raise ValueError(f"unknown URL status {status!r}")
    _upsert(conn, "urls", {"url": url, "source": source, "status": status, "changed": iso(now), **values})


def mark_source(conn: sqlite3.Connection, name: str, **values: Any) -> None:
    """Upsert one source's row: the columns of `TABLES["sources"]` given by name. Call inside `transaction`."""
    _upsert(conn, "sources", {"name": name, **values})


def _upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert `row` into `table`, or update the columns it names where its first column, the key, exists."""
    unknown = set(row) - set(TABLES[table])
    if unknown:
        raise ValueError(f"unknown {table} columns: {', '.join(sorted(unknown))}")
    key = next(iter(row))
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != key)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT({key}) DO UPDATE SET {updates}",
                 tuple(row.values()))


def retry_due(conn: sqlite3.Connection, source: str, *, now: datetime) -> list[sqlite3.Row]:
    """The failed URLs of `source` whose next try has come (url, lastmod)."""
    return conn.execute("SELECT url, lastmod FROM urls WHERE source = ? AND status = 'failed' "
                        "AND (next_try IS NULL OR next_try <= ?)", (source, iso(now))).fetchall()


def start_run(conn: sqlite3.Connection, *, now: datetime, kind: str = "ingest") -> int:
    """Record a run's start (an ingest or an import); a run left `running` by a killed process is marked
    `interrupted`.

    Only one run writes at a time (the CLI holds the run lock), so any other `running` row is dead.
    """
    with transaction(conn):
        conn.execute("UPDATE runs SET outcome = 'interrupted' WHERE finished IS NULL AND outcome = 'running'")
        cursor = conn.execute("INSERT INTO runs (started, kind) VALUES (?, ?)", (iso(now), kind))
    return int(cursor.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run: int, *, now: datetime, outcome: str) -> None:
    with transaction(conn):
        conn.execute("UPDATE runs SET finished = ?, outcome = ? WHERE id = ?", (iso(now), outcome, run))


def latest_run(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The latest run that is not still running (started, finished, outcome, kind), or None."""
    return conn.execute("SELECT started, finished, outcome, kind FROM runs WHERE outcome != 'running' "
                        "ORDER BY id DESC LIMIT 1").fetchone()
