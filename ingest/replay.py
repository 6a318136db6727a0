"""Re-extract everything in the raw archive, without the network (`wiredesk reindex`)."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future

from wiredesk.core.config import Config, SourceConfig
from wiredesk.core.errors import Skip, WorkerError
from wiredesk.core.release import Release
from wiredesk.core.workers import WorkerPool

from .archive import Archive
from .extract import extract, warm_up
from .page import RawPage
from .pipeline import StepError
from .records import release_from_record

__all__ = ["replay"]

log = logging.getLogger("wiredesk.ingest")


def replay(config: Config, *, workers: int | None = None) -> Iterator[Release]:
    """Every archived page (latest per URL) extracted again, then every archived import record; offline.

    Pages are extracted in `workers` processes (default: up to 2), in archive order, each under the
    deadline `fetch.extract_deadline`, as in an ingest run. A page that yields no release now, or whose
    extraction fails or runs out of time, is passed over (logged); so is a record that no longer parses.
    Raises ConfigError at once, before any page is read, for a CSS selector of a source that cannot be read.
    """
    config.check_selectors()
    return _replayed(config, workers=workers)


def _replayed(config: Config, *, workers: int | None) -> Iterator[Release]:
    archive = Archive(config.storage.archive)
    by_name = {s.name: s for s in config.sources}
    size = workers or max(1, min(2, os.cpu_count() or 1))
    window: deque[tuple[RawPage, Future[Release]]] = deque()
    with WorkerPool(size, name="wiredesk-reindex", warm=warm_up) as pool:
        for page in archive.pages():
            # a page whose source left the config is still held to its own host for the canonical URL it names
            source = by_name.get(page.source) or SourceConfig(name=page.source, kind="files")
            window.append((page, pool.submit(extract, page, source=source, deadline=config.fetch.extract_deadline)))
            if len(window) > 2 * size:
                yield from _extracted(*window.popleft())
        while window:
            yield from _extracted(*window.popleft())
    for record in archive.records():
        try:
            yield release_from_record(record)
        except ValueError as exc:
            log.warning("reindex: record %s: %s", record.get("id", "?"), exc)


def _extracted(page: RawPage, future: Future[Release]) -> Iterator[Release]:
    try:
        yield future.result()
    except Skip as exc:
        log.info("reindex: %s: %s", page.url, exc.reason)
    except (StepError, WorkerError) as exc:  # as in an ingest run, the page fails alone
        log.warning("reindex: %s: extraction failed: %s", page.url, exc)
