"""Re-extract everything in the raw archive, without the network (`wiredesk reindex`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from wiredesk.core.config import Config, SourceConfig
from wiredesk.core.errors import Skip
from wiredesk.core.release import Release

from .archive import Archive
from .extract import extract

__all__ = ["replay"]

log = logging.getLogger("wiredesk.ingest")


def replay(config: Config) -> Iterator[Release]:
    """Every archived page (latest per URL) extracted again, then every archived import record; offline.

    A page that yields no release now is passed over (logged); so is a record that no longer parses.
    Raises ConfigError at once, before any page is read, for a CSS selector of a source that cannot be read.
    """
    config.check_selectors()
    return _replayed(config)


def _replayed(config: Config) -> Iterator[Release]:
    archive = Archive(config.storage.archive)
    by_name = {s.name: s for s in config.sources}
    for page in archive.pages():
        # a page whose source left the config is still held to its own host for the canonical URL it names
        source = by_name.get(page.source) or SourceConfig(name=page.source, kind="files")
        try:
            yield extract(page, source=source)
        except Skip as exc:
            log.info("reindex: %s: %s", page.url, exc.reason)
    for record in archive.records():
        try:
            yield Release.from_dict(record).with_derived()
        except ValueError as exc:
            log.warning("reindex: record %s: %s", record.get("id", "?"), exc)
