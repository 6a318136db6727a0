"""One ingest run: sources -> fetch -> archive -> extract -> `Outcome`s, behind a plain iterator.

Over 400 lines because the run's three threads of control meet here and nowhere else: the event loop
(a background thread: listing and fetching, `asyncio`), the caller's thread (archive, state writes,
yielding outcomes) and the extraction workers. Splitting them apart would spread one protocol over files.

    producer (event loop thread)          consumer (caller's thread, in __iter__)
    list items, decide from state  ──►    bounded queue  ──►  archive body, submit to extraction,
    fetch pages (Fetcher)                                     record skip/fail in state, yield Outcome

Crash safety: the only writer of the state database is the caller's thread, one short transaction per
change. A URL becomes `indexed` only in `confirm`, after the caller's index commit; a source's new
ETag/Last-Modified are stored only in `close`, and only when every item it listed reached an end state and
every release it yielded was confirmed. A run killed at any moment therefore redoes, next time, exactly
the work whose result was not yet durable.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from wiredesk.core.config import Config, SourceConfig
from wiredesk.core.errors import FetchError, Skip, WorkerDied, WorkerTimeout
from wiredesk.core.release import Release
from wiredesk.core.workers import InThread, WorkerPool

from .archive import Archive
from .extract import extract, warm_up
from .fetch import Fetcher, scope_problem
from .localfiles import read_local
from .page import RawPage
from .pipeline import StepError
from .sources import Item, Listing, file_items, list_items
from .state import (
    finish_run,
    from_iso,
    iso,
    mark_source,
    mark_url,
    open_state,
    retry_due,
    source_row,
    start_run,
    transaction,
    url_row,
)

__all__ = ["Outcome", "Harvest", "OUTCOME_STATUSES"]

log = logging.getLogger("wiredesk.ingest")

OUTCOME_STATUSES = ("new", "updated", "unchanged", "skipped", "failed")
# A failed page waits this long before its next try, doubling per attempt, up to a day.
URL_RETRY_BASE = timedelta(minutes=15)
# A failing source with no `every` waits this long, doubling per consecutive failure, up to a day.
SOURCE_RETRY_BASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(days=1)
# Messages between the event loop and the caller. Each may hold a page body (up to max_bytes), so the
# queue is short: memory stays flat however long the run, and the network still runs ahead of extraction.
QUEUE_SIZE = 16


@dataclass(frozen=True)
class Outcome:
    source: str
    url: str
    status: str  # one of OUTCOME_STATUSES
    release: Release | None = None  # set for new/updated
    reason: str = ""  # set for skipped/failed: one line


# producer -> consumer messages ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Note:
    """An outcome decided without extraction; `record` says whether it changes the URL's state."""

    outcome: Outcome
    record: bool = False
    lastmod: str | None = None
    etag: str | None = None


@dataclass(frozen=True)
class _Fetched:
    page: RawPage
    lastmod: str | None
    previous_hash: str  # the indexed content hash, "" when the URL was never indexed


@dataclass(frozen=True)
class _SourceDone:
    name: str
    listing: Listing
    complete: bool  # every listed item reached an outcome (none held back by max_items)


@dataclass(frozen=True)
class _Crash:
    error: BaseException


_END = object()


@dataclass
class _Tally:
    yielded_new: set[str] = field(default_factory=set)  # URLs yielded as new/updated, until confirmed
    confirmed_new: int = 0
    done: _SourceDone | None = None


_STOP_POLL = 0.2  # seconds between looks at `stop` while the network is quiet


class Harvest:
    """Iterate for the outcomes, `confirm` what the index committed, `close` when done (also on error).

    `workers`: extraction processes (default: up to 2, the cores we have), each page under the deadline
    `fetch.extract_deadline`; 0 extracts in a thread, without a deadline (for tests and debugging).
    `backoff`: the fetcher's first retry wait in seconds.
    `stop`: polled while waiting for the network; once true, iteration ends and the pages in flight are
    abandoned (the next run fetches them again), so a page that hangs until its timeout cannot hold up a
    SIGTERM.
    """

    def __init__(self, config: Config, sources: Sequence[SourceConfig], *, now: datetime | None = None,
                 progress: Callable[[str, Outcome], None] | None = None, workers: int | None = None,
                 backoff: float = 0.5, stop: Callable[[], bool] | None = None) -> None:
        config.check_selectors(source.name for source in sources)
        self.config = config
        self.sources = tuple(sources)
        self.now = now or datetime.now(timezone.utc)
        self.progress = progress
        self.workers = max(1, min(2, os.cpu_count() or 1)) if workers is None else workers
        self.backoff = backoff
        self.stop = stop
        self.archive = Archive(config.storage.archive)
        self._conn = open_state(config.storage.state_db)
        self._run: int | None = None
        self._tallies = {s.name: _Tally() for s in self.sources}
        self._pending: dict[str, tuple[str | None, str | None]] = {}  # url -> (lastmod, etag) until confirmed
        self.exhausted = False  # every page listed has an outcome (the run was not stopped)
        self._closed = False

    # the consumer ---------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Outcome]:
        if self._run is not None:
            raise RuntimeError("a Harvest runs once")
        self._run = start_run(self._conn, now=self.now)
        messages: queue.Queue[Any] = queue.Queue(QUEUE_SIZE)
        producer = _Producer(self, messages)
        thread = threading.Thread(target=producer.run, name="wiredesk-fetch", daemon=True)
        executor = self._executor()
        window: deque[tuple[_Fetched, Future[Release]]] = deque()
        thread.start()
        try:
            while True:
                if self.stop is not None and self.stop():
                    return
                try:
                    message = messages.get(timeout=0.05 if window else _STOP_POLL if self.stop else None)
                except queue.Empty:
                    # nothing new from the network: hand out the extractions that have finished
                    while window and window[0][1].done():
                        yield self._finish(*window.popleft())
                    continue
                if message is _END:
                    break
                if isinstance(message, _Crash):
                    raise message.error
                if isinstance(message, _SourceDone):
                    self._tallies[message.name].done = message
                elif isinstance(message, _Note):
                    yield self._noted(message)
                else:
                    self.archive.put_page(message.page)
                    window.append((message, self._extract(executor, message.page)))
                    while len(window) > 2 * max(self.workers, 1) or (window and window[0][1].done()):
                        yield self._finish(*window.popleft())
            while window:
                yield self._finish(*window.popleft())
            self.exhausted = True
        finally:
            producer.stop()
            thread.join()
            executor.close()  # at once: the pages in flight are abandoned, the next run fetches them

    def _executor(self) -> WorkerPool | InThread:
        if self.workers >= 1:
            return WorkerPool(self.workers, name="wiredesk-extract", warm=warm_up)
        return InThread(name="wiredesk-extract")

    def _extract(self, executor: WorkerPool | InThread, page: RawPage) -> Future[Release]:
        return executor.submit(extract, page, source=self._source(page.source),
                               deadline=self.config.fetch.extract_deadline)

    def _source(self, name: str) -> SourceConfig:
        return next(s for s in self.sources if s.name == name)

    def _emit(self, outcome: Outcome) -> Outcome:
        if outcome.status in ("new", "updated"):
            self._tallies[outcome.source].yielded_new.add(outcome.url)
        if self.progress:
            self.progress(outcome.source, outcome)
        return outcome

    def _noted(self, note: _Note) -> Outcome:
        outcome = note.outcome
        if note.record:
            self._record(outcome, lastmod=note.lastmod, etag=note.etag)
        return self._emit(outcome)

    def _finish(self, fetched: _Fetched, future: Future[Release]) -> Outcome:
        page = fetched.page
        try:
            release = future.result()
        except Skip as exc:
            outcome = Outcome(page.source, page.url, "skipped", reason=exc.reason)
        except StepError as exc:  # a bug in one step must not end the run: the page fails, with the trace
            log.error("extraction of %s failed", page.url, exc_info=exc)
            outcome = Outcome(page.source, page.url, "failed", reason=f"extraction error: {exc}")
        except WorkerTimeout as exc:  # a page built to be slow, or a bug: its worker was replaced
            outcome = Outcome(page.source, page.url, "failed",
                              reason=f"extraction took longer than {exc.seconds:g} s (fetch.extract_deadline)")
        except WorkerDied as exc:
            outcome = Outcome(page.source, page.url, "failed", reason=f"extraction stopped: {exc}")
        except Exception as exc:  # a bug outside the steps
            log.error("extraction of %s failed", page.url, exc_info=exc)
            outcome = Outcome(page.source, page.url, "failed", reason=f"extraction error: {type(exc).__name__}: {exc}")
        else:
            etag = page.headers.get("etag")
            if fetched.previous_hash and release.content_hash == fetched.previous_hash:
                outcome = Outcome(page.source, page.url, "unchanged")
                self._record(outcome, lastmod=fetched.lastmod, etag=etag)
                return self._emit(outcome)
            self._pending[page.url] = (fetched.lastmod, etag)
            return self._emit(Outcome(page.source, page.url, "updated" if fetched.previous_hash else "new",
                                      release=release))
        self._record(outcome, lastmod=fetched.lastmod, etag=None)
        return self._emit(outcome)

    def _record(self, outcome: Outcome, *, lastmod: str | None, etag: str | None) -> None:
        """Write a skipped, failed or unchanged outcome to the URL's state, in one transaction."""
        with transaction(self._conn) as conn:
            if outcome.status == "unchanged":
                mark_url(conn, outcome.url, source=outcome.source, status="indexed", now=self.now, lastmod=lastmod,
                         etag=etag)
            elif outcome.status == "skipped":
                mark_url(conn, outcome.url, source=outcome.source, status="skipped", now=self.now,
                         last_error=outcome.reason, lastmod=lastmod)
            elif outcome.status == "failed":
                row = url_row(conn, outcome.url)
                attempts = (row["attempts"] if row else 0) + 1
                given_up = attempts >= self.config.fetch.max_attempts
                wait = min(URL_RETRY_BASE * 2 ** (attempts - 1), MAX_BACKOFF)
                mark_url(conn, outcome.url, source=outcome.source, status="given_up" if given_up else "failed",
                         now=self.now, attempts=attempts, last_error=outcome.reason, lastmod=lastmod,
                         next_try=None if given_up else iso(self.now + wait))

    # the caller's two other calls -------------------------------------------------------------------------

    def confirm(self, outcomes: Sequence[Outcome]) -> None:
        """Mark the releases of `outcomes` indexed, with their content hash, in one transaction.

        Call only after the index committed them.
        """
        with transaction(self._conn) as conn:
            for outcome in outcomes:
                if outcome.release is None:
                    continue
                lastmod, etag = self._pending.pop(outcome.url, (None, None))
                mark_url(conn, outcome.url, source=outcome.source, status="indexed", now=self.now, attempts=0,
                         last_error="", content_hash=outcome.release.content_hash, lastmod=lastmod, etag=etag,
                         next_try=None)
        for outcome in outcomes:
            tally = self._tallies.get(outcome.source)
            if tally and outcome.release is not None and outcome.url in tally.yielded_new:
                tally.yielded_new.discard(outcome.url)
                tally.confirmed_new += outcome.status == "new"

    def close(self) -> None:
        """Record each source's result (success, failures, next due, new count) and the run's end."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._run is None:
                return
            failed = False
            with transaction(self._conn) as conn:
                for source in self.sources:
                    failed |= self._close_source(conn, source, self._tallies[source.name])
            outcome = "abandoned" if not self.exhausted else "failures" if failed else "ok"
            finish_run(self._conn, self._run, now=datetime.now(timezone.utc), outcome=outcome)
        finally:
            self._conn.close()

    def _close_source(self, conn: Any, source: SourceConfig, tally: _Tally) -> bool:
        """Write one source's row; True when the source failed."""
        row = source_row(conn, source.name)
        failures = row["failures"] if row else 0
        values: dict[str, Any] = {"last_attempt": iso(self.now), "new_last_run": tally.confirmed_new}
        done = tally.done
        if done is not None and done.listing.error:
            failures += 1
            base = max(source.every or SOURCE_RETRY_BASE, SOURCE_RETRY_BASE)
            values.update(failures=failures, last_error=done.listing.error,
                          next_due=iso(self.now + min(base * 2 ** (failures - 1), MAX_BACKOFF)))
        elif done is not None:
            values.update(failures=0, last_error="", last_success=iso(self.now),
                          next_due=iso(self.now + source.every) if source.every else None)
            # new validators only once everything the feed listed is durable: a later 304 then means "done".
            # An iteration left early (a stop, an error) may hold fetched pages it never yielded: not durable.
            if done.complete and self.exhausted and not tally.yielded_new and not done.listing.not_modified:
                values.update(etag=done.listing.etag, last_modified=done.listing.last_modified, settled=iso(self.now))
        mark_source(conn, source.name, **values)
        return done is not None and bool(done.listing.error)


# the producer -------------------------------------------------------------------------------------------

class _Producer:
    """The event loop side: lists every source at once, decides per item, fetches, and queues messages."""

    def __init__(self, harvest: Harvest, messages: queue.Queue[Any]) -> None:
        self.harvest = harvest
        self.config = harvest.config
        self.messages = messages
        self.now = harvest.now
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            asyncio.run(self._main_task())
        except BaseException as exc:  # handed to the caller's thread, which re-raises it
            if not self._stopping.is_set():
                self.messages.put(_Crash(exc))
        finally:
            if not self._stopping.is_set():
                self.messages.put(_END)

    def stop(self) -> None:
        """Called from the caller's thread: cancel the loop's work (no-op once it has finished)."""
        self._stopping.set()
        loop, main = self._loop, self._main
        if loop is not None and main is not None:
            try:
                loop.call_soon_threadsafe(main.cancel)
            except RuntimeError:
                pass  # the loop has already closed

    async def _main_task(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        if self._stopping.is_set():
            return
        # reads only; the caller's thread is the one writer
        self._reader = open_state(self.config.storage.state_db, create=False)
        self._slots = asyncio.Semaphore(self.config.fetch.concurrency * 2)
        try:
            async with Fetcher(self.config.fetch, backoff=self.harvest.backoff) as fetcher:
                await asyncio.gather(*(self._source(source, fetcher) for source in self.harvest.sources))
        finally:
            self._reader.close()

    async def _put(self, message: object) -> None:
        # polls rather than blocking a thread on a full queue, so a stop always gets through
        while True:
            try:
                self.messages.put_nowait(message)
                return
            except queue.Full:
                await asyncio.sleep(0.01)

    async def _note(self, source: SourceConfig, url: str, status: str, reason: str = "", *, record: bool = False,
                    lastmod: str | None = None, etag: str | None = None) -> None:
        await self._put(_Note(Outcome(source.name, url, status, reason=reason), record=record, lastmod=lastmod, etag=etag))

    async def _source(self, source: SourceConfig, fetcher: Fetcher) -> None:
        """List and fetch one source. Whatever goes wrong in it is this source's failure alone."""
        listing: Listing = Listing()
        tasks: set[asyncio.Task[None]] = set()
        try:
            complete = await self._list(source, fetcher, listing, tasks)
        except Exception as exc:  # a bug or a hostile document we did not foresee: the other sources go on
            log.error("listing source %s failed", source.name, exc_info=exc)
            where = source.url or (source.path.as_uri() if source.path else source.name)
            reason = _unforeseen(exc)
            listing.error = listing.error or f"{where}: {reason}"
            complete = False
            await self._note(source, where, "failed", reason)
        if tasks:
            await asyncio.gather(*tasks)
        await self._put(_SourceDone(source.name, listing, complete))

    async def _list(self, source: SourceConfig, fetcher: Fetcher, listing: Listing, tasks: set[asyncio.Task[None]]) -> bool:
        """Decide on each item the source lists and start its fetch; True when none was held back."""
        seen: set[str] = set()
        fetches, complete = 0, True
        previous = source_row(self._reader, source.name)
        async for item in self._items(source, fetcher, listing, previous):
            if item.url in seen:
                continue
            seen.add(item.url)
            decided = await self._decide(source, item)
            if decided is None:
                continue
            if source.max_items is not None and fetches >= source.max_items:
                complete = False  # held back to a later run, which will list it again
                continue
            fetches += 1
            await self._slots.acquire()
            task = asyncio.create_task(self._fetch(source, item, decided, fetcher))
            tasks.add(task)
            task.add_done_callback(lambda done: (tasks.discard(done), self._slots.release()))
        return complete

    async def _items(self, source: SourceConfig, fetcher: Fetcher, listing: Listing, previous: Any) -> AsyncIterator[Item]:
        if source.kind == "files":
            try:
                for item in file_items(source, max_bytes=self.config.fetch.max_bytes):
                    yield item
            except (ValueError, OSError) as exc:
                where = source.url or (source.path.as_uri() if source.path else "")
                listing.error = f"{where}: {exc}"
                yield Item(url=where, problem=str(exc), failed=True)
            return
        async for item in list_items(source, fetcher=fetcher, listing=listing,
                                     etag=previous["etag"] if previous else None,
                                     last_modified=previous["last_modified"] if previous else None,
                                     settled=from_iso(previous["settled"]) if previous else None):
            yield item
        # pages that failed before are due again even when the listing no longer shows them (a 304, an
        # unchanged child sitemap, an entry that scrolled off the feed); the caller skips those seen already
        for row in retry_due(self._reader, source.name, now=self.now):
            yield Item(url=row["url"], lastmod=row["lastmod"])

    async def _decide(self, source: SourceConfig, item: Item) -> Any:
        """Queue the outcome of an item that needs no fetch and return None; else return its state row
        (or False for a URL never seen), to fetch it."""
        if item.problem:
            await self._note(source, item.url, "failed" if item.failed else "skipped", item.problem)
            return None
        if source.kind != "files":
            problem = scope_problem(item.url, source.allowed_hosts)
            if problem:
                await self._note(source, item.url, "skipped", problem)
                return None
        published = item.hints.published or item.hints.updated
        if source.since and published and published < source.since:
            await self._note(source, item.url, "skipped", f"published before since ({source.since.date().isoformat()})")
            return None
        row = url_row(self._reader, item.url)
        if row is None:
            return False
        changed = item.lastmod is not None and item.lastmod != row["lastmod"]
        if row["status"] == "given_up":
            await self._note(source, item.url, "skipped", f"given up after {row['attempts']} attempts: {row['last_error']}")
            return None
        if row["status"] == "indexed" and not changed:
            await self._note(source, item.url, "unchanged")
            return None
        if row["status"] == "skipped" and not changed:
            await self._note(source, item.url, "skipped", row["last_error"])
            return None
        if row["status"] == "failed" and row["next_try"] and row["next_try"] > iso(self.now):
            await self._note(source, item.url, "failed", f"waiting to retry: {row['last_error']}")
            return None
        return row

    async def _fetch(self, source: SourceConfig, item: Item, row: Any, fetcher: Fetcher) -> None:
        """Fetch one page and queue it, or note why not. Nothing raised here passes this page."""
        try:
            await self._fetch_page(source, item, row, fetcher)
        except Exception as exc:  # not foreseen, so not ours to classify: the page fails and is retried
            log.error("fetching %s failed", item.url, exc_info=exc)
            await self._note(source, item.url, "failed", _unforeseen(exc), record=True, lastmod=item.lastmod)

    async def _fetch_page(self, source: SourceConfig, item: Item, row: Any, fetcher: Fetcher) -> None:
        previous_hash = row["content_hash"] if row and row["status"] == "indexed" else ""
        try:
            if item.path is not None:
                body = await asyncio.to_thread(read_local, item.path, limit=self.config.fetch.max_bytes)
                page = RawPage(url=item.url, body=body, fetched=datetime.now(timezone.utc), source=source.name,
                               hints=item.hints)
            else:
                headers = {"If-None-Match": row["etag"]} if previous_hash and row["etag"] else {}
                response = await fetcher.get(item.url, allowed_hosts=source.allowed_hosts, headers=headers,
                                             html_only=True)
                if response.status == 304:
                    await self._note(source, item.url, "unchanged", record=True, lastmod=item.lastmod,
                                     etag=response.headers.get("etag"))
                    return
                page = RawPage(url=item.url, body=response.body, final_url=response.final_url,
                               headers=response.headers, fetched=response.fetched, source=source.name, hints=item.hints)
        except Skip as exc:
            await self._note(source, item.url, "skipped", exc.reason, record=True, lastmod=item.lastmod)
            return
        except (FetchError, OSError) as exc:
            await self._note(source, item.url, "failed", str(exc), record=True, lastmod=item.lastmod)
            return
        await self._put(_Fetched(page, item.lastmod, previous_hash))


def _unforeseen(exc: Exception) -> str:
    """The one-line reason for an error no handler names."""
    return f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
