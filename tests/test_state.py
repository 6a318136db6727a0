"""The state database: one idempotent schema, upserts, runs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import pytest

from wiredesk.ingest.state import (TABLES, ensure_schema, finish_run, latest_run, mark_source, mark_url, open_state, retry_due,
                                   source_row, start_run, transaction, url_row)
from wiredesk.core.errors import StorageError

NOW = datetime(2025, 4, 16, 6, 0, tzinfo=timezone.utc)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_schema_is_idempotent_and_in_wal(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        ensure_schema(conn)
        ensure_schema(conn)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for table, declared in TABLES.items():
            assert columns(conn, table) == list(declared)


def test_missing_columns_are_added(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with closing(sqlite3.connect(path)) as old:
        old.execute("CREATE TABLE urls (url TEXT PRIMARY KEY, source TEXT NOT NULL, status TEXT NOT NULL, changed TEXT NOT NULL)")
        old.execute("INSERT INTO urls VALUES ('https://a.example/', 's', 'indexed', '2025-01-01')")
        old.commit()
    with closing(open_state(path)) as conn:
        assert set(columns(conn, "urls")) == set(TABLES["urls"])
        row = url_row(conn, "https://a.example/")
        assert (row["status"], row["attempts"], row["content_hash"]) == ("indexed", 0, "")


def test_mark_url_upserts_only_what_it_is_given(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        with transaction(conn):
            mark_url(conn, "u", source="s", status="failed", now=NOW, attempts=1, last_error="HTTP 503")
        with transaction(conn):
            mark_url(conn, "u", source="s", status="indexed", now=NOW, content_hash="abc")
        row = url_row(conn, "u")
        assert (row["status"], row["attempts"], row["last_error"], row["content_hash"]) == ("indexed", 1, "HTTP 503", "abc")
        with pytest.raises(ValueError, match="unknown URL status"):
            mark_url(conn, "u", source="s", status="done", now=NOW)
        with pytest.raises(ValueError, match="unknown urls columns: colour"):
            mark_url(conn, "u", source="s", status="indexed", now=NOW, colour="red")


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        with pytest.raises(RuntimeError), transaction(conn):
            mark_url(conn, "u", source="s", status="indexed", now=NOW)
            raise RuntimeError("killed mid-way")
        assert url_row(conn, "u") is None


def test_runs_left_running_are_marked_interrupted(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        first = start_run(conn, now=NOW)
        second = start_run(conn, now=NOW)
        finish_run(conn, second, now=NOW, outcome="ok")
        rows = conn.execute("SELECT id, outcome, finished FROM runs ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(first, "interrupted", None), (second, "ok", NOW.isoformat())]


def test_unusable_state_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "s.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="state database"):
        open_state(tmp_path / "s.sqlite")
    with pytest.raises(StorageError, match="no state database"):
        open_state(tmp_path / "absent.sqlite", create=False)


def test_mark_source_upserts_only_what_it_is_given(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        with transaction(conn):
            mark_source(conn, "wire", failures=2, last_error="HTTP 503", etag='"v1"')
        with transaction(conn):
            mark_source(conn, "wire", failures=0, last_error="")
        row = source_row(conn, "wire")
        assert (row["failures"], row["last_error"], row["etag"]) == (0, "", '"v1"')
        with pytest.raises(ValueError, match="unknown sources columns: colour"):
            mark_source(conn, "wire", colour="red")


def test_failed_urls_are_due_again_once_their_next_try_has_come(tmp_path: Path) -> None:
    later = NOW.replace(hour=9).isoformat()
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        with transaction(conn):
            mark_url(conn, "due", source="s", status="failed", now=NOW, next_try=NOW.isoformat(), lastmod="2025-04-01")
            mark_url(conn, "never-tried", source="s", status="failed", now=NOW)
            mark_url(conn, "later", source="s", status="failed", now=NOW, next_try=later)
            mark_url(conn, "given-up", source="s", status="given_up", now=NOW)
            mark_url(conn, "other-source", source="t", status="failed", now=NOW)
        assert sorted(tuple(row) for row in retry_due(conn, "s", now=NOW)) == [
            ("due", "2025-04-01"), ("never-tried", None)]


def test_the_latest_run_is_the_last_one_that_ended(tmp_path: Path) -> None:
    with closing(open_state(tmp_path / "s.sqlite")) as conn:
        assert latest_run(conn) is None
        finish_run(conn, start_run(conn, now=NOW), now=NOW, outcome="failures")
        start_run(conn, now=NOW)
        assert tuple(latest_run(conn)) == (NOW.isoformat(), NOW.isoformat(), "failures", "ingest")
