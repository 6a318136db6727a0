"""The ingest state database: what each source and each URL last did, and every run.

One SQLite file (`storage.state_db`) in WAL mode, so readers (`wiredesk sources`, `stats`) never block the
one writer. The schema is declared in `TABLES` and `INDEXES`; `ensure_schema` creates what is missing and
adds missing columns, so it is safe to run before every command that writes. Every write is one short
transaction: a run killed at any moment leaves each row either before or after a change, never between.

Times are stored as ISO 8601 strings in UTC, which sort as text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from wiredesk.core.errors import StorageError

__all__ = [
    "TABLES", "INDEXES", "UNIQUE_INDEXES", "URL_STATUSES", "ensure_schema", "open_state", "transaction", "iso", "from_iso",
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
    },
    # saved searches (`wiredesk alerts`), and each (alert, release) already fired: see wiredesk.alerts
    "alerts": {
        "name": "TEXT PRIMARY KEY",
        "query": "TEXT NOT NULL",
        "filters": "TEXT NOT NULL DEFAULT '[]'",  # JSON [[FIELD, VALUE], ...]
        "created": "TEXT NOT NULL",
    },
    "alert_fired": {
        "alert": "TEXT NOT NULL",
        "release": "TEXT NOT NULL",
        "fired": "TEXT NOT NULL",
    },
}

INDEXES: dict[str, str] = {
    "urls_source_status": "urls(source, status)",
}
# unique indexes are constraints: an alert fires once per release
UNIQUE_INDEXES: dict[str, str] = {
    "alert_fired_once": "alert_fired(alert, release)",
}


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables, columns and indexes of `TABLES`/`INDEXES`/`UNIQUE_INDEXES` that are missing. Idempotent."""
    with transaction(conn):
        for table, columns in TABLES.items():
            body = ", ".join(f"{name} {decl}" for name, decl in columns.items())
            conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
            present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns.items():
                if name not in present:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        for name, target in INDEXES.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        for name, target in UNIQUE_INDEXES.items():
            conn.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")


def open_state(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection to the state database (made, with its schema, when `create`), in WAL mode."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise StorageError(f"no state database at {path}")
        # autocommit mode: `transaction` opens each transaction explicitly
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        if create:
            conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode; only a power cut may lose the last commits
        conn.execute("PRAGMA synchronous=NORMAL")
        if create:
            ensure_schema(conn)
        return conn
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"state database {path}: {exc}") from exc


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (BEGIN IMMEDIATE), rolled back on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StorageError(f"state database: {exc}") from exc
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise StorageError(f"state database: {exc}") from exc


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


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


def start_run(conn: sqlite3.Connection, *, now: datetime) -> int:
    """Record a run's start; a run left `running` by a killed process is marked `interrupted`.

    Only one run writes at a time (the CLI holds the run lock), so any other `running` row is dead.
    """
    with transaction(conn):
        conn.execute("UPDATE runs SET outcome = 'interrupted' WHERE finished IS NULL AND outcome = 'running'")
        cursor = conn.execute("INSERT INTO runs (started) VALUES (?)", (iso(now),))
    return int(cursor.lastrowid or 0)


def finish_run(conn: sqlite3.Connection, run: int, *, now: datetime, outcome: str) -> None:
    with transaction(conn):
        conn.execute("UPDATE runs SET finished = ?, outcome = ? WHERE id = ?", (iso(now), outcome, run))


def latest_run(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The latest run that is not still running (started, finished, outcome), or None."""
    return conn.execute("SELECT started, finished, outcome FROM runs WHERE outcome != 'running' "
                        "ORDER BY id DESC LIMIT 1").fetchone()
