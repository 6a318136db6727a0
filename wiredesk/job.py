"""Jobs that join stages: `ingest` (sources -> index), `import` (records -> index) and `reindex` (archive -> index).

The stages never call each other; the jobs here pass values from one to the next, in one direction. Both
jobs commit the index in batches and tell ingest's state which pages are indexed only after the commit
that made them durable, so a run killed at any moment is finished by the next one without loss or
duplicates (the index adds or replaces by id).
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, Callable, Iterator, Sequence

from .core.config import Config, SourceConfig
from .core.errors import RefusedError
from .lock import run_lock
from .core.release import Release

if TYPE_CHECKING:
    from wiredesk.index import Index, IndexWriter
    from wiredesk.ingest import Outcome

    from .records import ImportReport

__all__ = ["IngestReport", "SourceReport", "run_ingest", "run_import", "run_reindex", "reindex_locked", "select_sources"]

COMMIT_EVERY = 200  # releases per index commit: bounds the work a kill can lose and the memory a batch holds


@dataclass
class SourceReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
                "failed": self.failed, "errors": list(self.errors)}


@dataclass
class IngestReport:
    sources: dict[str, SourceReport] = field(default_factory=dict)
    new_ids: list[str] = field(default_factory=list)  # releases this run indexed for the first time
    alerts: dict[str, list[str]] | None = None  # alert name -> ids it fired for; None when none is saved
    stopped: bool = False  # the run was asked to stop before every page was done

    @property
    def indexed(self) -> int:
        return sum(s.new + s.updated for s in self.sources.values())

    def count(self, outcome: Outcome) -> None:
        counts = self.sources.setdefault(outcome.source, SourceReport())
        setattr(counts, outcome.status, getattr(counts, outcome.status) + 1)
        if outcome.status in ("skipped", "failed"):
            counts.errors.append({"url": outcome.url, "reason": outcome.reason})

    def to_dict(self) -> dict:
        """The fixed `ingest --json` shape, plus "alerts" when alerts are saved."""
        result: dict = {"indexed": self.indexed, "sources": {name: s.to_dict() for name, s in self.sources.items()}}
        if self.alerts is not None:
            result["alerts"] = self.alerts
        return result


def select_sources(config: Config, *, names: Sequence[str] = (), all_sources: bool = False,
                   now: datetime | None = None) -> list[SourceConfig]:
    """The sources a run works on: those named (enabled or not), else all enabled ones, else the due ones."""
    if names:
        return [config.source(name) for name in names]
    if all_sources:
        return [s for s in config.sources if s.enabled]
    from wiredesk.ingest import due_sources

    return due_sources(config, now=now)


class _KillPoints:
    """A test hook, off unless `WIREDESK_KILL_AT=EVENT:N` is set: SIGKILL this process at the Nth EVENT.

    EVENT is `outcome` (a page's outcome came from the harvest), `added` (a release went to the index
    writer), `committed` (an index commit is durable but its pages are not yet confirmed in the state) or
    `confirmed` (the state says those pages are indexed). The crash-safety test uses it to hit the narrow
    moments a timed kill rarely lands in, such as between a commit and its confirmation.
    """

    def __init__(self, spec: str) -> None:
        event, _, count = spec.partition(":")
        self.event, self.left = event, int(count or 1)

    def reach(self, event: str) -> None:
        if self.event and event == self.event:
            self.left -= 1
            if self.left <= 0:
                os.kill(os.getpid(), signal.SIGKILL)


def run_ingest(config: Config, sources: Sequence[SourceConfig], *, wait: float | None = None,
               on_outcome: Callable[[Outcome], None] | None = None, stop: Callable[[], bool] | None = None,
               commit_every: int = COMMIT_EVERY) -> IngestReport:
    """One ingest run over `sources`, under the run lock. Exit-1 errors: LockedError, StorageError.

    `on_outcome` sees each page once its outcome is final: a new or updated release after the commit that
    made it durable, any other outcome at once. When `stop()` turns true the run commits what it has,
    abandons the pages still in flight (the next run fetches them again) and returns with `stopped` set.
    After each commit, the saved alerts are matched against the releases that commit made new.
    """
    from .alerts import Alerts

    report = IngestReport({s.name: SourceReport() for s in sources})
    kill = _KillPoints(os.environ.get("WIREDESK_KILL_AT", ""))
    # the lock first, so a run that finds it held says so before loading the index and the fetcher; the
    # index is closed after each run: watch mode runs for months and must not pile up open snapshots
    with run_lock(config.storage.run_lock, wait=wait), _open_index(config) as index:
        from wiredesk.ingest import Harvest

        alerts = Alerts.saved(config)
        harvest = Harvest(config, sources, stop=stop)
        outcomes = iter(harvest)
        pending: list[Outcome] = []

        def commit(writer: IndexWriter) -> None:
            writer.commit()
            kill.reach("committed")
            harvest.confirm(pending)
            kill.reach("confirmed")
            new = [o.release.id for o in pending if o.status == "new" and o.release is not None]
            report.new_ids.extend(new)
            if alerts is not None:
                alerts.check(index, new)
            if on_outcome:
                for outcome in pending:
                    on_outcome(outcome)
            pending.clear()

        try:
            with index.writer() as writer:
                for outcome in outcomes:
                    kill.reach("outcome")
                    report.count(outcome)
                    if outcome.release is not None:
                        writer.add([outcome.release])
                        kill.reach("added")
                        pending.append(outcome)
                        if len(pending) >= commit_every:
                            commit(writer)
                    elif on_outcome:
                        on_outcome(outcome)
                commit(writer)
                report.stopped = not harvest.exhausted
        finally:
            outcomes.close()  # stops the fetcher and the extraction workers before the state is closed
            harvest.close()
    if alerts is not None:
        report.alerts = alerts.fired
    return report


def _open_index(config: Config) -> Index:
    from wiredesk.index import open_index

    return open_index(config.storage.index_root)


def run_import(config: Config, stream: IO[str] | IO[bytes], *, source: str = "import",
               on_release: Callable[[Release], None] | None = None, wait: float | None = None) -> ImportReport:
    """Load `extract`-shaped JSON lines into the index; each record is kept in the archive for `reindex`.

    Holds the run lock (`wait` as for `run_lock`), so an import never meets an ingest or reindex halfway.
    After the commit, the saved alerts are matched against the releases the index did not hold before.

    Archiving is file work and indexing is CPU work, so a thread archives each batch while the next one is
    read and indexed; the final commit waits for the archive, so a finished import is wholly rebuildable.
    """
    from concurrent.futures import Future, ThreadPoolExecutor
    from contextlib import closing

    from wiredesk.ingest import Archive

    from .alerts import Alerts
    from .records import ImportReport, read_records

    report = ImportReport()
    # the lock first: an import queued behind a reindex must open the index the reindex swapped in, not
    # the folder it replaced
    with (run_lock(config.storage.run_lock, wait=wait),
          _recorded_run(config, "import"),
          _open_index(config) as index,
          ThreadPoolExecutor(1, thread_name_prefix="wiredesk-archive") as archiver,
          index.writer() as writer,
          closing(read_records(stream, report, source=source)) as batches):
        archive = Archive(config.storage.archive)
        alerts = Alerts.saved(config)
        new_ids: list[str] = []  # releases the index did not hold: what alerts are checked against
        archived: Future | None = None
        for batch in batches:
            if archived is not None:
                archived.result()  # one batch in flight bounds the records held in memory
            archived = archiver.submit(archive.put_record_lines, batch.records.archived)
            if alerts is not None:
                new_ids.extend(r.id for r in batch.records.releases if index.document_number(r.id) is None)
            writer.add(batch.records.releases, analysed=batch.analysed)
            report.imported += len(batch.records.releases)
            if on_release:
                for release in batch.records.releases:
                    on_release(release)
        if archived is not None:
            archived.result()
        writer.commit()
        if alerts is not None:
            alerts.check(index, new_ids)
            report.alerts = alerts.fired
    return report


@contextmanager
def _recorded_run(config: Config, kind: str) -> Iterator[None]:
    """The run in the state's runs, so that `wiredesk stats` tells when the index last changed and how:
    `ok` when the block ends, `abandoned` when it raises (Ctrl-C, a full disk)."""
    from contextlib import closing

    from wiredesk.ingest.state import finish_run, open_state, start_run

    with closing(open_state(config.storage.state_db)) as conn:
        run = start_run(conn, now=datetime.now(timezone.utc), kind=kind)
        outcome = "abandoned"
        try:
            yield
            outcome = "ok"
        finally:
            finish_run(conn, run, now=datetime.now(timezone.utc), outcome=outcome)


def run_reindex(config: Config, *, progress: Callable[[Release], None] | None = None,
                wait: float | None = None, force: bool = False) -> int:
    """Rebuild the index from the raw archive without the network; searches use the old one until the swap.

    `progress` sees each release as it goes into the new index. Unless `force`, a rebuild that would hold
    fewer releases than the index does (an archive missing or cut short) is refused with RefusedError and the
    index kept as it is: reindex is the recovery command, and must not be the one that loses the releases.
    """
    with run_lock(config.storage.run_lock, wait=wait):
        return reindex_locked(config, progress=progress, force=force)


def reindex_locked(config: Config, *, progress: Callable[[Release], None] | None = None, force: bool = False) -> int:
    """`run_reindex` for a caller that holds the run lock already (`wiredesk index check --repair`)."""
    from wiredesk.index import held_documents, rebuild
    from wiredesk.ingest import Archive
    from wiredesk.ingest.replay import replay

    held = 0 if force else held_documents(config.storage.index_root)
    if held and Archive(config.storage.archive).is_empty():
        raise RefusedError(f"the archive {config.storage.archive} holds nothing to rebuild the index's {held} "
                           "releases from, so the index was kept as it is (`wiredesk reindex --force` "
                           "replaces it anyway)")
    releases = replay(config)
    return rebuild(config.storage.index_root, _each(releases, progress) if progress else releases,
                   keep_at_least=held)


def _each(releases: Iterator[Release], callback: Callable[[Release], None]) -> Iterator[Release]:
    for release in releases:
        callback(release)
        yield release
