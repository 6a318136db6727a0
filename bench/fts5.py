"""The baseline a user would reach for instead: SQLite FTS5 over the same corpus and the same queries.

One FTS5 table (title, body, acronyms; porter unicode61) and a plain table of the facet and filter
values, joined on rowid. A search is two statements: the top 10 by bm25 (title weighted 2.5, as
wiredesk does) with a snippet, and the total plus the facet counts in one statement that evaluates the
MATCH once (a MATERIALIZED CTE) and counts with GROUP BY: what a competent FTS5 user would write.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .queries import Query

__all__ = ["FACETS", "Fts5", "build"]

FACETS = ("agency", "country", "month")
TOP = 10


def build(corpus: Path, db: Path) -> dict[str, float]:
    """Build the baseline database from a corpus (once; reused while it exists). Returns its build figures."""
    stats = db.with_suffix(".json")
    if db.exists() and stats.exists():
        return json.loads(stats.read_text())
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.executescript("""
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, agency TEXT, country TEXT, month TEXT,
                           published TEXT);
        CREATE VIRTUAL TABLE docs USING fts5(title, body, acronyms, tokenize = 'porter unicode61');
    """)
    count = 0
    with corpus.open(encoding="utf-8") as lines, conn:
        for rowid, line in enumerate(lines, start=1):
            r = json.loads(line)
            published = r.get("published") or ""
            acronyms = " ".join(f"{short} {long}" for short, long in (r.get("acronyms") or {}).items())
            conn.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                         (rowid, r["id"], r.get("agency") or None, (r.get("dateline") or {}).get("country"),
                          published[:7] or None, published or None))
            conn.execute("INSERT INTO docs (rowid, title, body, acronyms) VALUES (?, ?, ?, ?)",
                         (rowid, r.get("title") or "", r["body"], acronyms))
            count = rowid
    conn.executescript("""
        CREATE INDEX meta_agency ON meta (agency);
        CREATE INDEX meta_country ON meta (country);
        CREATE INDEX meta_published ON meta (published);
        INSERT INTO docs (docs) VALUES ('optimize');
    """)
    conn.close()
    seconds = time.perf_counter() - started
    figures = {"documents": count, "seconds": round(seconds, 2), "docs_per_s": round(count / seconds, 1),
               "bytes_per_doc": round(db.stat().st_size / max(count, 1), 1)}
    stats.write_text(json.dumps(figures))
    return figures


@dataclass(frozen=True)
class Answer:
    total: int
    ids: tuple[str, ...]
    facets: dict[str, list[tuple[str, int]]]


class Fts5:
    """An open baseline database; `search` answers one query of the mix."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self.conn.close()

    @staticmethod
    def _where(query: Query) -> tuple[str, list[str]]:
        sql, args = "docs MATCH ?", [query.match]
        if query.kind == "filter" and query.field != "title":  # a title word is part of the MATCH
            sql += f" AND m.{query.field} = ?"
            args.append(query.value)
        if query.kind == "dates":
            sql += " AND m.published >= ? AND m.published < ?"
            args += [query.since, query.day_after_until]
        return sql, args

    def search(self, query: Query, *, facets: bool) -> Answer:
        where, args = self._where(query)
        top = self.conn.execute(
            f"SELECT m.id, docs.title, snippet(docs, 1, '', '', '…', 24) FROM docs JOIN meta m ON m.rowid = docs.rowid "
            f"WHERE {where} ORDER BY bm25(docs, 2.5, 1.0, 1.0) LIMIT {TOP}", args).fetchall()
        if not facets:
            total = self.conn.execute(f"SELECT count(*) FROM docs JOIN meta m ON m.rowid = docs.rowid WHERE {where}",
                                      args).fetchone()[0]
            return Answer(total, tuple(row[0] for row in top), {})
        groups = " UNION ALL ".join(f"SELECT '{name}', {name}, count(*) FROM hits GROUP BY {name}" for name in FACETS)
        rows = self.conn.execute(
            f"WITH hits AS MATERIALIZED (SELECT m.agency, m.country, m.month FROM docs JOIN meta m "
            f"ON m.rowid = docs.rowid WHERE {where}) SELECT 'total', NULL, count(*) FROM hits UNION ALL {groups}",
            args).fetchall()
        total = 0
        counted: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
        for name, value, n in rows:
            if name == "total":
                total = n
            elif value is not None:
                counted[name].append((value, n))
        for name in FACETS:
            counted[name] = sorted(counted[name], key=lambda item: (-item[1], item[0]))[:TOP]
        return Answer(total, tuple(row[0] for row in top), counted)
