"""A second baseline: tantivy (Rust, through its Python package) over the same corpus and the same queries.

An optional, bench-only dependency (`pip install -e '.[bench]'`); without it the bench leaves tantivy out.
Title and body are stemmed English text (title weighted 2.5, as wiredesk and the FTS5 baseline do); agency,
country and month are raw fast fields, counted by tantivy's terms aggregation for the facets; published is
an indexed integer (epoch seconds) for date ranges. A search is the top 10 by BM25 with their ids and the
total, plus the three facet counts when asked: the work the FTS5 baseline does, but for snippets, which
tantivy's Python package makes only from stored text and wiredesk and FTS5 make from theirs.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .fts5 import FACETS, TOP, Answer
from .queries import Query

__all__ = ["available", "build", "Tantivy"]


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def _schema():  # type: ignore[no-untyped-def]
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    for name in FACETS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw")
    builder.add_integer_field("published", indexed=True, fast=True)
    return builder.build()


def _epoch(text: str) -> int:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int((moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp())


def build(corpus: Path, folder: Path) -> dict[str, float]:
    """Build the tantivy index of a corpus once (reused while it exists); its build figures."""
    import tantivy

    stats = folder.with_suffix(".json")
    if folder.exists() and stats.exists():
        return json.loads(stats.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    index = tantivy.Index(_schema(), path=str(folder))
    writer = index.writer(heap_size=200_000_000, num_threads=1)  # one thread, as wiredesk's writer has
    count = 0
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            published = r.get("published") or ""
            fields: dict[str, Any] = {"id": r["id"], "title": r.get("title") or "", "body": r["body"],
                                      "agency": r.get("agency") or "", "country": (r.get("dateline") or {}).get("country") or "",
                                      "month": published[:7]}
            if published:
                fields["published"] = _epoch(published)
            writer.add_document(tantivy.Document(**fields))
            count += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    figures = {"documents": count, "seconds": round(seconds, 2), "docs_per_s": round(count / seconds, 1),
               "bytes_per_doc": round(size / max(count, 1), 1)}
    stats.write_text(json.dumps(figures))
    return figures


class Tantivy:
    """An open tantivy index; `search` answers one query of the mix."""

    def __init__(self, folder: Path) -> None:
        import tantivy

        self._tantivy = tantivy
        self.index = tantivy.Index.open(str(folder))
        self.index.reload()
        self.schema = self.index.schema
        self.searcher = self.index.searcher()

    def _query(self, query: Query):  # type: ignore[no-untyped-def]
        tantivy = self._tantivy
        if query.kind == "phrase":
            return self.index.parse_query(f'"{" ".join(query.words)}"', ["title", "body"], field_boosts={"title": 2.5})
        words = self.index.parse_query(" ".join(query.words), ["title", "body"], field_boosts={"title": 2.5})
        if query.kind == "filter":
            if query.field == "title":
                required = self.index.parse_query(query.value, ["title"])
            else:
                required = tantivy.Query.term_query(self.schema, query.field, query.value)
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, required), (tantivy.Occur.Must, words)])
        if query.kind == "dates":
            low = _epoch(query.since)
            high = _epoch(query.until) + int(timedelta(days=1).total_seconds()) - 1
            dates = tantivy.Query.range_query(self.schema, "published", tantivy.FieldType.Integer, low, high)
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, dates), (tantivy.Occur.Must, words)])
        return words

    def search(self, query: Query, *, facets: bool) -> Answer:
        parsed = self._query(query)
        result = self.searcher.search(parsed, TOP, count=True)
        ids = tuple(self.searcher.doc(address)["id"][0] for _score, address in result.hits)
        counted: dict[str, list[tuple[str, int]]] = {}
        if facets:
            found = self.searcher.aggregate(parsed, {name: {"terms": {"field": name, "size": TOP}} for name in FACETS})
            counted = {name: [(bucket["key"], bucket["doc_count"]) for bucket in found[name]["buckets"] if bucket["key"]]
                       for name in FACETS}
        return Answer(result.count, ids, counted)
