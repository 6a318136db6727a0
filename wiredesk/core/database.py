"""wiredesk's SQLite files (ingest's state database, the application's alerts database): one way to open
them, to write to them and to keep their schema, whichever part owns the file.

A file is in WAL mode, so readers never block its one writer. Its schema is declared as data (`Schema`);
`ensure_schema` creates what is missing and adds missing columns, so it is safe to run before every command
that writes. Every write is one short transaction (`transaction`): a process killed at any moment leaves
each row either before or after a change, never between.

Times are stored as ISO 8601 strings in UTC, which sort as text (`iso`, `from_iso`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .errors import DiskFullError, StorageError

__all__ = ["Schema", "open_database", "damaged", "full", "no_room", "has_schema", "ensure_schema", "transaction", "iso", "from_iso", "check_database",
           "Salvage", "salvage"]

_SIDE_FILES = ("-wal", "-shm")  # SQLite's companions of a database file in WAL mode
_MAX_ROWID = (1 << 63) - 1
_ROOM = 256 * 1024  # bytes free under which an I/O error is taken for a full device (a page, a WAL frame or two)
_SALVAGE_TRIES = 200  # reads a table's salvage may try past damaged pages before it gives up on the rest


@dataclass(frozen=True)
class Schema:
    """A database's tables (table -> column -> SQL declaration) and indexes (name -> "table(columns)"); a
    unique index is a constraint."""

    tables: dict[str, dict[str, str]]
    indexes: dict[str, str] = field(default_factory=dict)
    unique_indexes: dict[str, str] = field(default_factory=dict)


def damaged(name: str, path: Path, exc: sqlite3.Error) -> StorageError | None:
    """The one-line error for a database file SQLite finds damaged (not a database, a malformed page), naming
    the file and its repair; None for any other error (a lock, a full disk)."""
    if not getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return None
    return StorageError(f"the {name} {path} is damaged ({exc}): run `wiredesk index check --repair` to rebuild it "
                        "from what can still be read")


def full(path: Path, exc: sqlite3.Error) -> DiskFullError | None:
    """DiskFullError for SQLite's "database or disk is full", and for an I/O error on a device left with no
    room (SQLite says "disk I/O error" when it cannot grow its WAL or shared-memory file); None otherwise."""
    code = getattr(exc, "sqlite_errorname", "")
    if code == "SQLITE_FULL" or (code.startswith("SQLITE_IOERR") and no_room(path.parent)):
        return DiskFullError(str(path))
    return None


def no_room(folder: Path) -> bool:
    """Whether the device holding `folder` has (nearly) no space left for wiredesk to write."""
    try:
        usage = os.statvfs(folder)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < _ROOM


def _translated(conn: _Database, call: Callable[..., Any], *args: Any) -> Any:
    try:
        return call(*args)
    except sqlite3.DatabaseError as exc:
        error = damaged(conn.name, conn.path, exc) or full(conn.path, exc)
        if error is None:
            raise
        raise error from exc


class _Cursor(sqlite3.Cursor):
    """A cursor whose reads and writes turn SQLite's "damaged file" errors into `damaged`'s StorageError: a
    page found malformed in the middle of a run is reported like a file found damaged on opening."""

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        return _translated(self.connection, super().execute, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> _Cursor:
        return _translated(self.connection, super().executemany, sql, parameters)

    def fetchone(self) -> Any:
        return _translated(self.connection, super().fetchone)

    def fetchmany(self, size: int = 1) -> list[Any]:
        return _translated(self.connection, super().fetchmany, size)

    def fetchall(self) -> list[Any]:
        return _translated(self.connection, super().fetchall)

    def __next__(self) -> Any:
        return _translated(self.connection, super().__next__)


class _Database(sqlite3.Connection):
    """A connection that knows its file and what it is, and whose cursors report damage (`_Cursor`)."""

    name: str  # what the file is, for error messages: "state database"
    path: Path

    def cursor(self, factory: Any = _Cursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Any:  # type: ignore[override]
        return self.cursor().executemany(sql, parameters)


def open_database(path: Path, schema: Schema, *, name: str, create: bool = True) -> sqlite3.Connection:
    """A connection to the database `name` at `path` in WAL mode, made with its schema when `create`.
    Rows come as `sqlite3.Row`. StorageError when the file cannot be opened; `damaged`'s StorageError when
    SQLite finds it damaged, now or at any later statement."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.exists():
            raise StorageError(f"no {name} at {path}")
        # autocommit mode: `transaction` opens each transaction explicitly
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False, factory=_Database)
        conn.name, conn.path = name, path
        conn.row_factory = sqlite3.Row
        if create:
            conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode; only a power cut may lose the last commits
        conn.execute("PRAGMA synchronous=NORMAL")
        if create:
            ensure_schema(conn, schema)
        else:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a file that is no database says so now
        return conn
    except StorageError:
        raise
    except sqlite3.Error as exc:
        raise (full(path, exc) or StorageError(f"{name} {path}: {exc}")) from exc
    except OSError as exc:
        raise StorageError(f"{name} {path}: {exc}") from exc


def has_schema(conn: sqlite3.Connection, schema: Schema) -> bool:
    """Whether every table of `schema` exists: a file made by a process that died (or ran out of disk) before
    its schema was written holds none, and reads as a database not made yet."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(schema.tables) <= present


def ensure_schema(conn: sqlite3.Connection, schema: Schema) -> None:
    """Create the tables, columns and indexes of `schema` that are missing. Idempotent."""
    with transaction(conn):
        for table, columns in schema.tables.items():
            body = ", ".join(f"{name} {decl}" for name, decl in columns.items())
            conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
            present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns.items():
                if name not in present:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        for name, target in schema.indexes.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        for name, target in schema.unique_indexes.items():
            conn.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (BEGIN IMMEDIATE), rolled back on any error."""
    name = getattr(conn, "name", "database")
    path = getattr(conn, "path", None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise ((path and full(path, exc)) or StorageError(f"{name}: {exc}")) from exc
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise ((path and full(path, exc)) or StorageError(f"{name}: {exc}")) from exc


def check_database(path: Path) -> str | None:
    """What SQLite finds wrong with the database at `path` (its `quick_check`), in one line; None when nothing
    is, or when there is no file. Reads only."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            found = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if found == ["ok"] else "; ".join(found[:3]) + (f" (and {len(found) - 3} more)" if len(found) > 3 else "")


@dataclass(frozen=True)
class Salvage:
    """What `salvage` kept: rows per table, and where the damaged file was put."""

    kept: dict[str, int]
    aside: Path


def salvage(path: Path, schema: Schema, *, name: str) -> Salvage:
    """Make the damaged database at `path` anew with `schema`, keeping every row that can still be read.

    The damaged file (with its WAL) is moved aside, never deleted, and read from there: rows go into a new
    file in `rowid` order, and a read that meets a damaged page goes on past it, so one bad page loses only
    the rows it held. A file SQLite cannot read at all (not a database) leaves a new, empty one."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        for suffix in ("", *_SIDE_FILES):
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    except OSError as exc:
        raise StorageError(f"cannot move the damaged {name} {path} aside: {exc.strerror or exc}") from exc
    fresh = open_database(path, schema, name=name)
    kept: dict[str, int] = {}
    try:
        with closing(sqlite3.connect(aside)) as old:
            for table, columns in schema.tables.items():
                kept[table] = _copy_rows(old, fresh, table, list(columns))
    except sqlite3.DatabaseError:
        pass  # not a database at all: nothing more to keep
    finally:
        fresh.close()
    return Salvage(kept, aside)


def _copy_rows(old: sqlite3.Connection, fresh: sqlite3.Connection, table: str, columns: list[str]) -> int:
    try:
        present = {row[1] for row in old.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        return 0
    names = [column for column in columns if column in present]
    if not names:
        return 0
    listed = ", ".join(names)
    insert = f"INSERT OR IGNORE INTO {table} ({listed}) VALUES ({', '.join('?' * len(names))})"
    last, step, kept = -1, 1, 0
    for _ in range(_SALVAGE_TRIES):
        rows = []
        try:
            for row in old.execute(f"SELECT rowid, {listed} FROM {table} WHERE rowid > ? ORDER BY rowid", (last,)):
                rows.append(row[1:])
                last, step = row[0], 1
            done = True
        except sqlite3.DatabaseError:
            done = False
        with transaction(fresh):
            fresh.executemany(insert, rows)
        kept += len(rows)
        if done:
            break
        if not rows:  # a damaged page right here: jump further each time until a readable row is found
            last, step = last + step, step * 2
            if last >= _MAX_ROWID:
                break
    return kept


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
