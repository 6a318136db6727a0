"""The Python API: a `Desk` is one storage home (index, state database, raw archive) and its sources.

    from wiredesk import Desk

    desk = Desk.open()                       # --config's look-up: $WIREDESK_CONFIG, then ./config.toml
    desk.ingest()                            # fetch the due sources, index what is new
    results = desk.search("green hydrogen", facets=["agency", "month"], since="2025-01")
    for hit in results.hits:
        print(hit.published, hit.agency, hit.title)

The CLI and the web app are shells over this class: each command is one call here, and each result's
`to_dict()` is exactly what the command prints with `--json`. Every method raises the exception types of
`wiredesk.core.errors` (re-exported by `wiredesk`): `UsageError` and its kinds for bad input, `RunError`
and its kinds when the work cannot be done.

Reads (search, get, similar, stats, ...) use an open index per thread, kept between calls and brought
up to date at the start of each call, so a long-lived desk (a notebook, the web app) sees what a run in
another process has committed. Writes (ingest, import, reindex, optimize) take the run lock for
themselves. The stages are imported on first use: `from wiredesk import Desk` loads none of them.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

from .core.config import SOURCE_KINDS, AlertsConfig, Config, FetchConfig, SourceConfig, StorageConfig, load_config
from .core.errors import ConfigError, NotFoundError, QueryError, UsageError
from .job import COMMIT_EVERY

if TYPE_CHECKING:
    from wiredesk.index import Index
    from wiredesk.ingest import Outcome, RawPage
    from wiredesk.search import Hit, Results

    from .alerts import Alert, AlertMatch
    from .check import HomeCheck
    from .sourcebook import AddedSource, ImportedSources
    from .core.release import Release
    from .extract_files import Extraction
    from .job import IngestReport
    from .records import ImportReport
    from .reports import IndexSize, SourceStatus, Stats, Story
    from .watch import StopFlag

__all__ = ["Desk", "Filters", "COMMIT_EVERY"]

# `filters=`: FIELD=VALUE strings, (FIELD, VALUE) pairs, or a mapping (one value per field)
Filters = Union[Mapping[str, str], Iterable[Union[str, tuple[str, str]]]]
When = Union[str, date, None]


class Desk:
    """One wiredesk home and its sources. Make one with `Desk.open(path)` from a config file, or with
    `Desk(home, sources=[...])` in code; use it as a context manager, or `close()` it, to let go of the
    index it reads."""

    def __init__(self, home: str | os.PathLike[str], *, sources: Iterable[SourceConfig] = (),
                 fetch: FetchConfig | None = None, alerts: AlertsConfig | None = None) -> None:
        sources = tuple(sources)
        _check_sources(sources)
        self._attach(Config(path=None, storage=StorageConfig(home=Path(home).resolve()), fetch=fetch or FetchConfig(),
                            sources=sources, alerts=alerts or AlertsConfig()))

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Desk:
        """The desk a config file describes: `path`, else `$WIREDESK_CONFIG`, else `./config.toml`.

        ConfigError (naming file, line and key) for a missing or bad config."""
        return cls.from_config(load_config(path))

    @classmethod
    def from_config(cls, config: Config) -> Desk:
        """The desk of a config already read (`wiredesk.core.config.load_config`)."""
        desk = cls.__new__(cls)
        desk._attach(config)
        return desk

    def _attach(self, config: Config) -> None:
        self.config = config
        self._local = threading.local()
        self._open: list[Index] = []
        self._open_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Desk home={str(self.config.storage.home)!r} sources={len(self.config.sources)}>"

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the indexes opened for reading (in every thread); the desk opens them again when needed."""
        with self._open_lock:
            handles, self._open = self._open, []
        for handle in handles:
            handle.close()
        self._local = threading.local()

    # ------------------------------------------------------------------------------------------ runs

    def ingest(self, sources: Sequence[str] = (), *, all_sources: bool = False, wait: float | None = None,
               on_outcome: Callable[[Outcome], None] | None = None, stop: Callable[[], bool] | None = None,
               commit_every: int = COMMIT_EVERY) -> IngestReport:
        """Fetch sources, extract their releases and index what is new or changed; alerts are checked.

        Runs the named `sources` (enabled or not), else every enabled one with `all_sources`, else the due
        ones. `wait`: seconds to wait for a run that holds the lock (LockedError at once when None).
        `on_outcome` sees every page's final outcome; when `stop()` turns true the run ends early, safely.
        Failed pages are in the report, not raised.
        """
        from .job import run_ingest, select_sources

        chosen = select_sources(self.config, names=sources, all_sources=all_sources)
        return run_ingest(self.config, chosen, wait=wait, on_outcome=on_outcome, stop=stop, commit_every=commit_every)

    def watch(self, *, sources: Sequence[str] = (), stop: StopFlag | None = None,
              on_report: Callable[[IngestReport], None] | None = None, on_busy: Callable[[str], None] | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, commit_every: int = COMMIT_EVERY) -> int:
        """Run each enabled (or named) source whenever it is due, until `stop` is set; the number of runs made.

        A round that finds the run lock held goes to `on_busy` and is tried again at the next one."""
        from .watch import StopFlag, watch_sources

        for name in sources:
            self.config.source(name)  # an unknown name is a config error at once, not a source never due
        return watch_sources(self.config, stop=stop or StopFlag(), names=sources, on_report=on_report or _ignore,
                             on_busy=on_busy or _ignore, on_outcome=on_outcome, commit_every=commit_every)

    def import_records(self, records: IO[str] | IO[bytes] | Iterable[str | bytes | Mapping[str, Any]] | os.PathLike[str],
                       *, source: str = "import", wait: float | None = None,
                       on_release: Callable[[Release], None] | None = None) -> ImportReport:
        """Index records in the `extract` shape: JSON lines (an open file, text or binary, any iterable of
        lines, a path) or mappings. A line that is not UTF-8, not JSON or not a release is reported in the
        result with its number and the reason; the rest are imported. Saved alerts are checked against the
        releases new to the index, as after an ingest."""
        from .job import run_import

        if isinstance(records, os.PathLike):
            try:
                with open(records, "rb") as lines:
                    return run_import(self.config, lines, source=source, on_release=on_release, wait=wait)
            except OSError as exc:
                raise UsageError(f"cannot read {os.fspath(records)}: {exc.strerror or exc}") from exc
        lines = (record if isinstance(record, (str, bytes)) else json.dumps(record, ensure_ascii=False, default=str)
                 for record in records)
        return run_import(self.config, lines, source=source, on_release=on_release, wait=wait)

    def reindex(self, *, wait: float | None = None, progress: Callable[[Release], None] | None = None,
                force: bool = False) -> int:
        """Rebuild the index from the raw archive, offline; searches use the old one until the swap.
        Returns the number of releases indexed. RefusedError when the rebuilt index would hold fewer releases
        than the current one, unless `force`."""
        from .job import run_reindex

        return run_reindex(self.config, progress=progress, wait=wait, force=force)

    def check(self, *, repair: bool = False, wait: float | None = None) -> HomeCheck:
        """Verify the home (archive, index, state and alerts databases); with `repair`, under the run lock,
        repair what is damaged by steps that cannot lose a release (see `wiredesk.check`)."""
        from .check import check_home

        return check_home(self.config, repair=repair, wait=wait)

    def optimize(self) -> IndexSize:
        """Merge the index's segments into one, for faster searches."""
        from wiredesk.index import open_index

        from .reports import IndexSize

        with open_index(self.config.storage.index_root) as index:
            index.optimize()
            return IndexSize(documents=index.document_count(), index_bytes=index.size_bytes())

    # ---------------------------------------------------------------------------------------- reading

    def search(self, query: str = "", *, filters: Filters = (), facets: Iterable[str] = (), since: When = None,
               until: When = None, sort: str = "relevance", limit: int = 10, page: int = 1, facet_limit: int = 10,
               collapse: bool = False, expand: bool = False, explain: bool = False) -> Results:
        """One page of ranked hits, with totals, facet counts and a "did you mean" suggestion.

        `query` is the query language of `wiredesk search`; `filters` keep hits with FIELD=VALUE (all must
        hold); `since`/`until` take a date or what `--since` takes ("2025-04", "last week");
        `facets` are among agency, source, country, city, people, organizations, places, categories,
        language, year, month, day; `sort` is relevance, newest or oldest; `collapse` gives one hit per
        syndication cluster; `expand` re-ranks the hits with words of the best ones (feedback: more of
        the relevant releases in the first hundred, the same hits, a slower query); `explain` gives each hit
        an `Explanation` of its score. QueryError for a bad query, filter, facet, sort or date.
        """
        from wiredesk.search import run

        return run(self._index(), self._request(query, filters=filters, facets=facets, since=since, until=until,
                                                sort=sort, limit=limit, page=page, facet_limit=facet_limit,
                                                collapse=collapse, expand=expand, explain=explain))

    def export(self, query: str = "", *, filters: Filters = (), since: When = None, until: When = None,
               sort: str = "relevance", expand: bool = False) -> Iterator[Hit]:
        """Every hit of a search, in order, one at a time (for exports: no page, no facets)."""
        from wiredesk.search import export

        return export(self._index(), self._request(query, filters=filters, since=since, until=until, sort=sort,
                                                   expand=expand))

    def batch(self, lines: Iterable[str], *, filters: Filters = (), facets: Iterable[str] = (), since: When = None,
              until: When = None, sort: str = "relevance", limit: int = 10, page: int = 1, facet_limit: int = 10,
              collapse: bool = False, expand: bool = False) -> Iterator[dict[str, Any]]:
        """`qid<TAB>query` lines -> one {"qid", "total", "took_ms", "hits": [{"id", "score"}]} per query, each
        searched with the filters, dates, sort, page and the rest as `search` takes them (with `facets`, each
        row has "facets" and "facets_more"). A bad query gives its row an "error" and the batch goes on;
        a bad filter, facet or date is a QueryError at once."""
        from wiredesk.search import batch

        return batch(self._index(), lines, request=self._request(
            "", filters=filters, facets=facets, since=since, until=until, sort=sort, limit=limit, page=page,
            facet_limit=facet_limit, collapse=collapse, expand=expand))

    def get(self, id: str) -> Release:
        """The release with this id. NotFoundError when the index has none."""
        return self.story(id).release

    def story(self, id: str) -> Story:
        """The release with this id and the other copies of its story. NotFoundError when there is none."""
        from wiredesk.search import show

        from .reports import Copy, Story

        release, copies = show(self._index(), id)
        return Story(release, tuple(Copy(c["id"], c["source"], c["url"], c["title"]) for c in copies))

    def archived_page(self, id: str) -> RawPage:
        """The page the release with this id was extracted from, as fetched (bytes, headers, fetch time).

        NotFoundError for an unknown id, and for a release with no archived page: an imported one, or one
        whose id is a canonical URL other than the address its source listed."""
        from wiredesk.ingest import Archive

        release = self.get(id)
        page = Archive(self.config.storage.archive).page(release.url)
        if page is None:
            raise NotFoundError(f"release {id} has no archived page (imported, or archived under another URL)")
        return page

    def similar(self, id: str, *, limit: int = 10) -> Results:
        """The releases most like this one, its own copies left out. NotFoundError for an unknown id."""
        from wiredesk.search import similar

        return similar(self._index(), id, limit=limit)

    def stats(self) -> Stats:
        """Releases in the index, per agency and per source, its size, its date span and the last run."""
        from wiredesk.ingest import last_run
        from wiredesk.search import stats

        from .core.database import from_iso
        from .reports import RunSummary, Stats

        counts = stats(self._index())
        run = last_run(self.config)
        return Stats(documents=counts["documents"], agencies=counts["agencies"], sources=counts["sources"],
                     index_bytes=counts["index_bytes"], oldest=from_iso(counts["oldest"]),
                     newest=from_iso(counts["newest"]), last_run=RunSummary.from_row(run) if run else None)

    def sources(self) -> list[SourceStatus]:
        """Each configured source as the state last saw it: last run and success, failures, next due time."""
        from wiredesk.ingest import source_status

        from .reports import SourceStatus

        return [SourceStatus.from_row(row) for row in source_status(self.config)]

    # Changing the sources rewrites the config file (comments kept, checked before it is replaced) and reads it
    # again; see wiredesk.sourcebook.

    def add_source(self, url: str, *, name: str = "", agency: str = "", every: str = "",
                   dry_run: bool = False) -> AddedSource:
        """Find the feed or sitemap behind a site's address (through the polite fetcher) and add it as a
        source, unless `dry_run`. RunError when nothing is found; RefusedError when it is followed already."""
        from .sourcebook import add_source

        return self._changed(add_source(self.config, url, name=name, agency=agency, every=every, dry_run=dry_run))

    def remove_source(self, name: str) -> None:
        """Remove a source from the config (what it indexed stays searchable)."""
        from .sourcebook import remove_source

        self._changed(remove_source(self.config, name))

    def enable_source(self, name: str, enabled: bool = True) -> bool:
        """Enable (or disable) a source; whether the config changed."""
        from .sourcebook import enable_source

        return self._changed(enable_source(self.config, name, enabled))

    def import_opml(self, data: bytes) -> ImportedSources:
        """Add a feed source for each subscription of an OPML file not followed yet."""
        from .sourcebook import import_opml

        return self._changed(import_opml(self.config, data))

    def export_opml(self) -> tuple[str, list[str]]:
        """The feed sources as OPML, and the names of the other sources, which OPML cannot carry."""
        from .sourcebook import export_opml

        return export_opml(self.config)

    def _changed(self, result: Any) -> Any:
        if self.config.path is not None:
            self.config = load_config(self.config.path)
        return result

    # ------------------------------------------------------------------------------------- extraction

    def extract(self, page: bytes | os.PathLike[str], *, url: str | None = None, source: str | None = None) -> Release:
        """The release in one page (its bytes, or a path to a saved page), without indexing it.

        `url` sets the id and resolves relative links; `source` names a configured source whose CSS rules
        and default agency apply. Raises `Skip` (with its `reason`) for a page that holds no release."""
        from .extract_files import extract_page

        if source:
            self.config.check_selectors([source])
        return extract_page(page, url=url, source=self.config.source(source) if source else None,
                            max_bytes=self.config.fetch.max_bytes)

    def extract_files(self, paths: Iterable[os.PathLike[str] | IO[bytes]], *, url: str | None = None,
                      source: str | None = None) -> Iterator[Extraction]:
        """`extract` over saved pages (paths, or open binary streams such as stdin), one result per page in
        order; a page without a release is a result with an `error` (the reason), never an exception. `url`
        applies to a single page only."""
        from .extract_files import extract_files

        paths = list(paths)
        if url and len(paths) > 1:
            raise UsageError("`url` applies to a single page: give one path, or no url")
        if source:
            self.config.check_selectors([source])
        return extract_files(paths, url=url, source=self.config.source(source) if source else None,
                             max_bytes=self.config.fetch.max_bytes)

    # ----------------------------------------------------------------------------------------- alerts

    def add_alert(self, name: str, query: str = "", *, filters: Filters = ()) -> Alert:
        """Save a search as an alert, reported when an ingest run indexes a new release that matches it.

        UsageError for a bad or used name or an empty alert; QueryError for a bad query or filter."""
        from .alerts import add_alert

        return add_alert(self.config, name, query, _filter_pairs(filters))

    def alerts(self) -> list[Alert]:
        """The saved alerts, by name, with how many releases each has fired for."""
        from .alerts import list_alerts

        return list_alerts(self.config)

    def alert_matches(self, name: str, *, limit: int = 20) -> list[AlertMatch]:
        """The releases the alert fired for, the latest first. NotFoundError for an unknown alert."""
        from .alerts import alert_matches

        return alert_matches(self.config, name, limit=limit)

    def remove_alert(self, name: str) -> None:
        """Forget an alert (its HOME/alerts/NAME.jsonl file is kept). NotFoundError for an unknown name."""
        from .alerts import remove_alert

        remove_alert(self.config, name)

    # ---------------------------------------------------------------------------------------- helpers

    def _request(self, query: str, *, filters: Filters, since: When, until: When, sort: str, facets: Iterable[str] = (),
                 limit: int = 10, page: int = 1, facet_limit: int = 10, collapse: bool = False, expand: bool = False,
                 explain: bool = False) -> Any:
        from wiredesk.search import SearchRequest

        from .spelling import stored_value

        return SearchRequest(query=query, facets=tuple(facets), filters=_filter_pairs(filters), since=_when(since),
                             until=_when(until), sort=sort, limit=limit, page=page, facet_limit=facet_limit,
                             collapse=collapse, expand=expand, explain=explain, stored=stored_value)

    def _index(self) -> Index:
        """This thread's open index, up to date with the latest commit (or reindex) of any process.

        A commit adds files to the index's version folder and a reindex swaps the folder, so the folder
        and its modification time tell, for the price of a `stat`, whether the snapshot is stale: a
        refreshed one costs its cached column arrays, which the searches of a long-lived desk reuse."""
        from wiredesk.index import open_index
        from wiredesk.index.store import current_folder

        folder = current_folder(self.config.storage.index_root)
        stamp = _stamp(folder)
        reader: _Reader | None = getattr(self._local, "reader", None)
        if reader is not None and reader.index.folder != folder:  # reindexed, or made since
            self._forget(reader.index)
            reader = None
        if reader is None:
            reader = _Reader(open_index(self.config.storage.index_root, create=False), stamp)
            self._local.reader = reader
            with self._open_lock:
                self._open.append(reader.index)
        elif reader.stamp != stamp:
            reader.index.refresh()
            reader.stamp = stamp
        return reader.index

    def _forget(self, index: Index) -> None:
        index.close()
        with self._open_lock:
            if index in self._open:
                self._open.remove(index)


class _Reader:
    """A thread's open index and the modification time of its folder when its snapshot was last fresh."""

    def __init__(self, index: Index, stamp: int) -> None:
        self.index = index
        self.stamp = stamp


def _stamp(folder: Path | None) -> int:
    try:
        return folder.stat().st_mtime_ns if folder else 0
    except OSError:
        return 0  # removed under us: the next call finds the new folder


def _ignore(*_: object) -> None:
    pass


def _when(value: When) -> str | None:
    # the search stage reads dates as people write them; a date object is written out as its day
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else value


def _filter_pairs(filters: Filters) -> tuple[tuple[str, str], ...]:
    """Filters as (FIELD, VALUE) pairs. QueryError for a string that is not FIELD=VALUE."""
    if isinstance(filters, Mapping):
        return tuple((str(name), str(value)) for name, value in filters.items())
    if isinstance(filters, str):
        filters = (filters,)
    pairs = []
    for item in filters:
        if isinstance(item, str):
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise QueryError(f"--filter takes FIELD=VALUE, got {item!r}")
            pairs.append((name.strip(), value.strip()))
        else:
            name, value = item
            pairs.append((name, value))
    return tuple(pairs)


def _check_sources(sources: Sequence[SourceConfig]) -> None:
    """What the config file's reader checks, for sources made in code."""
    seen: set[str] = set()
    for source in sources:
        if not isinstance(source, SourceConfig):
            raise ConfigError(f"a source must be a SourceConfig, got {type(source).__name__}", key="sources")
        if not source.name.strip():
            raise ConfigError("every source needs a name", key="sources.name")
        if source.name in seen:
            raise ConfigError(f"duplicate source name {source.name!r}", key=f"sources.{source.name}.name")
        seen.add(source.name)
        if source.kind not in SOURCE_KINDS:
            raise ConfigError(f"unknown kind {source.kind!r} (known: {', '.join(SOURCE_KINDS)})",
                              key=f"sources.{source.name}.kind")
        if source.kind == "files" and not (source.path or source.url):
            raise ConfigError("a files source needs a path", key=f"sources.{source.name}.path")
        if source.kind != "files" and not source.url:
            raise ConfigError(f"a {source.kind} source needs a url", key=f"sources.{source.name}.url")
