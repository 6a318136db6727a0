"""Alerts: saved searches that report each release new in an ingest or import run, once.

An alert is a query plus filters, kept in the alerts database (`home/alerts.sqlite`, tables `alerts` and
`alert_fired`, declared here in `SCHEMA`). After each index commit of an ingest run (and an import's), `Alerts.check` matches
the releases that commit made new against every alert, through `search.run` with an `id` filter, so an alert
means exactly what `wiredesk search QUERY --filter ...` means. A match is recorded in `alert_fired` first
and delivered after: appended to `home/alerts/NAME.jsonl` and, when `[alerts] command` is set, piped to
that command as JSON. Recording first means a kill between the two loses a delivery rather than repeating
it: an alert never fires twice for one release.

Homes made before the alerts had their own database kept the two tables in ingest's state database; the
first use of the alerts moves them (`_move_from_state`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import subprocess
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.config import Config
from .core.database import Schema, from_iso, iso, open_database, transaction
from .core.errors import NotFoundError, StorageError, UsageError

if TYPE_CHECKING:
    from wiredesk.index import Index

__all__ = ["Alert", "AlertMatch", "Alerts", "add_alert", "list_alerts", "remove_alert", "alert_matches", "COMMAND_TIMEOUT"]

log = logging.getLogger("wiredesk.alerts")

COMMAND_TIMEOUT = 30.0  # seconds the alert command may take per release before it is killed and logged
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # also the name of its file under home/alerts

# saved searches, and each (alert, release) already fired: the unique index makes an alert fire once per release
SCHEMA = Schema(
    tables={
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
    },
    unique_indexes={"alert_fired_once": "alert_fired(alert, release)"},
)


@dataclass(frozen=True)
class Alert:
    """A saved search; `fired` counts the releases it has fired for, the last at `last_fired`."""

    name: str
    query: str
    filters: tuple[tuple[str, str], ...] = ()
    created: datetime | None = None
    fired: int = 0
    last_fired: datetime | None = None

    def request(self) -> Any:  # -> search.SearchRequest
        from wiredesk.search import SearchRequest

        from .spelling import stored_value

        return SearchRequest(query=self.query, filters=self.filters, limit=1, stored=stored_value)

    def to_dict(self) -> dict[str, Any]:
        """The `alerts list --json` shape: filters as "FIELD=VALUE" strings."""
        return {"name": self.name, "query": self.query, "filters": [f"{k}={v}" for k, v in self.filters],
                "created": iso(self.created), "fired": self.fired, "last_fired": iso(self.last_fired)}


@dataclass(frozen=True)
class AlertMatch:
    """One release an alert fired for, and when."""

    alert: str
    release: str  # the release's id
    fired: datetime

    def to_dict(self) -> dict[str, str]:
        return {"alert": self.alert, "release": self.release, "fired": self.fired.isoformat()}


def _filters(stored: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in json.loads(stored))


def _open(config: Config) -> sqlite3.Connection:
    """The alerts database (made when missing), with the alerts of a home of the earlier layout moved in."""
    storage = config.storage
    conn = open_database(storage.alerts_db, SCHEMA, name="alerts database")
    try:
        if _kept_in_state(storage.state_db):
            _move_from_state(conn, storage.state_db)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_saved(config: Config) -> sqlite3.Connection | None:
    """`_open`, or None (and nothing made) when no alert was ever saved."""
    storage = config.storage
    if not storage.alerts_db.exists() and not _kept_in_state(storage.state_db):
        return None
    return _open(config)


def _kept_in_state(state_db: Path) -> bool:
    """Whether the state database still holds alert tables (a home made before alerts had their own file)."""
    if not state_db.exists():
        return False
    try:
        with closing(sqlite3.connect(f"{state_db.as_uri()}?mode=ro", uri=True)) as conn:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alerts'").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(f"state database {state_db}: {exc}") from exc
    return found is not None


def _move_from_state(conn: sqlite3.Connection, state_db: Path) -> None:
    """Copy the state database's alerts and fired matches into `conn`, then drop them there. Copying keeps
    what is here already, so a move cut short by a kill is finished by the next one without loss."""
    try:
        conn.execute("ATTACH DATABASE ? AS state", (str(state_db),))
        try:
            with transaction(conn):
                conn.execute("INSERT OR IGNORE INTO alerts (name, query, filters, created) "
                             "SELECT name, query, filters, created FROM state.alerts")
                conn.execute("INSERT OR IGNORE INTO alert_fired (alert, release, fired) "
                             "SELECT alert, release, fired FROM state.alert_fired")
            with transaction(conn):
                conn.execute("DROP TABLE IF EXISTS state.alert_fired")
                conn.execute("DROP TABLE IF EXISTS state.alerts")
        finally:
            conn.execute("DETACH DATABASE state")
    except sqlite3.Error as exc:
        raise StorageError(f"moving the alerts of {state_db} to their own database: {exc}") from exc


def add_alert(config: Config, name: str, query: str, filters: Sequence[tuple[str, str]]) -> Alert:
    """Save an alert. UsageError for a bad name, an empty alert or a name in use; QueryError for a bad query."""
    from wiredesk import search
    from wiredesk.index import open_index

    if not _NAME.fullmatch(name):
        raise UsageError(f"alert name {name!r}: use letters, digits, '_', '.' and '-' (at most 64, first a letter or digit)")
    if not query.strip() and not filters:
        raise UsageError("an alert needs a QUERY or at least one --filter")
    with open_index(config.storage.index_root, create=False) as index:
        search.run(index, Alert(name, query, tuple(filters)).request())  # raises QueryError for a bad query or filter
    alert = Alert(name, query, tuple(filters), created=datetime.now(timezone.utc))
    conn = _open(config)
    try:
        with transaction(conn):
            if conn.execute("SELECT 1 FROM alerts WHERE name = ?", (name,)).fetchone():
                raise UsageError(f"an alert named {name!r} exists; `wiredesk alerts remove {name}` first")
            conn.execute("INSERT INTO alerts (name, query, filters, created) VALUES (?, ?, ?, ?)",
                         (name, query, json.dumps([list(f) for f in filters]), iso(alert.created)))
    finally:
        conn.close()
    return alert


def list_alerts(config: Config) -> list[Alert]:
    """Every saved alert, by name, with how many releases it has fired for."""
    conn = _open_saved(config)
    if conn is None:
        return []
    try:
        rows = conn.execute("SELECT a.name, a.query, a.filters, a.created, COUNT(f.release) AS fired, "
                            "MAX(f.fired) AS last_fired FROM alerts a LEFT JOIN alert_fired f ON f.alert = a.name "
                            "GROUP BY a.name ORDER BY a.name").fetchall()
    finally:
        conn.close()
    return [Alert(r["name"], r["query"], _filters(r["filters"]), created=from_iso(r["created"]), fired=r["fired"],
                  last_fired=from_iso(r["last_fired"])) for r in rows]


def alert_matches(config: Config, name: str, *, limit: int = 20) -> list[AlertMatch]:
    """The releases the alert NAME fired for, the latest first, at most `limit`. NotFoundError for an unknown name."""
    conn = _open_saved(config)
    if conn is None:
        raise NotFoundError(f"no alert named {name!r} (see `wiredesk alerts list`)")
    try:
        if not conn.execute("SELECT 1 FROM alerts WHERE name = ?", (name,)).fetchone():
            raise NotFoundError(f"no alert named {name!r} (see `wiredesk alerts list`)")
        rows = conn.execute("SELECT release, fired FROM alert_fired WHERE alert = ? ORDER BY fired DESC, release "
                            "LIMIT ?", (name, limit)).fetchall()
    finally:
        conn.close()
    return [AlertMatch(name, r["release"], datetime.fromisoformat(r["fired"])) for r in rows]


def remove_alert(config: Config, name: str) -> None:
    """Forget an alert and the releases it fired for (its file stays). NotFoundError for an unknown name."""
    conn = _open_saved(config)
    if conn is None:
        raise NotFoundError(f"no alert named {name!r} (see `wiredesk alerts list`)")
    try:
        with transaction(conn):
            if conn.execute("DELETE FROM alerts WHERE name = ?", (name,)).rowcount == 0:
                raise NotFoundError(f"no alert named {name!r} (see `wiredesk alerts list`)")
            conn.execute("DELETE FROM alert_fired WHERE alert = ?", (name,))
    finally:
        conn.close()


class Alerts:
    """The saved alerts during one ingest run; `fired` collects {name: [release ids]} as they fire."""

    def __init__(self, config: Config, alerts: Sequence[Alert]) -> None:
        self.config = config
        self.alerts = tuple(alerts)
        self.fired: dict[str, list[str]] = {a.name: [] for a in self.alerts}

    @classmethod
    def saved(cls, config: Config) -> Alerts | None:
        """The alerts saved, or None when there are none."""
        conn = _open_saved(config)
        if conn is None:
            return None
        try:
            rows = conn.execute("SELECT name, query, filters FROM alerts ORDER BY name").fetchall()
        finally:
            conn.close()
        if not rows:
            return None
        return cls(config, [Alert(r["name"], r["query"], _filters(r["filters"])) for r in rows])

    def check(self, index: Index, new_ids: Sequence[str]) -> None:
        """Fire every alert that matches one of `new_ids` (releases the index has just committed)."""
        from wiredesk import search
    
        if not new_ids:
            return
        matches = [(alert, rid) for alert in self.alerts for rid in search.matching_ids(index, alert.request(), new_ids)]
        if not matches:
            return
        now = iso(datetime.now(timezone.utc))
        conn = _open(self.config)
        try:
            with transaction(conn):
                fresh = [(alert, rid) for alert, rid in matches
                         if conn.execute("INSERT OR IGNORE INTO alert_fired (alert, release, fired) VALUES (?, ?, ?)",
                                         (alert.name, rid, now)).rowcount]
        finally:
            conn.close()
        for alert, rid in fresh:
            release = index.get(rid)
            if release is not None:
                self.fired[alert.name].append(rid)
                self._deliver(alert.name, json.dumps(release.to_dict(), ensure_ascii=False) + "\n")

    def _deliver(self, name: str, line: str) -> None:
        # `line` ends with its newline, for the command too: `cat >> log` keeps one release per line
        folder: Path = self.config.storage.home / "alerts"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{name}.jsonl", "a", encoding="utf-8") as out:
            out.write(line)
        command = self.config.alerts.command
        if not command:
            return
        # the command's output is captured, so it never mixes into `ingest --json` or the JSON-lines log
        try:
            done = subprocess.run(["/bin/sh", "-c", command], input=line, capture_output=True, text=True,
                                  timeout=COMMAND_TIMEOUT, env={**os.environ, "WIREDESK_ALERT": name})
        except subprocess.TimeoutExpired:
            log.warning("alert %s: command timed out after %g s", name, COMMAND_TIMEOUT)
            return
        except OSError as exc:
            log.warning("alert %s: command could not start: %s", name, exc)
            return
        if done.returncode != 0:
            detail = " ".join(done.stderr.split())[-300:]
            log.warning("alert %s: command exited %d%s", name, done.returncode, f": {detail}" if detail else "")
