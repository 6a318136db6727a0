"""The config file changed from the command line (`wiredesk init`, `wiredesk sources add/remove/...`),
keeping what a person wrote in it: comments, order, spacing (tomlkit reads and writes TOML losslessly).

Every change is checked as the file will be read (`parse_config`) before it replaces the file, in one
atomic rename: a change that would make the config unreadable is refused and the file left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from .core.config import Config, parse_config
from .core.errors import ConfigError, RefusedError, StorageError
from .core.files import replace_file

__all__ = ["STARTER", "write_starter", "ConfigFile", "source_name"]

STARTER = '''\
# wiredesk configuration, written by `wiredesk init`. Paths are relative to this file's folder.
# Every key and its default is described in wiredesk's README ("Configuration").

[storage]
# The index, the state database and the raw page archive live here.
home = "data"

[fetch]
# Sent with every request: put a way to reach you here, as sites ask of crawlers.
user_agent = "wiredesk/0.1 (press-release indexer; set a contact address here)"
timeout = 20          # seconds to wait for an answer
deadline = 60         # seconds for a whole request, however slowly a server sends
max_bytes = 10000000  # a longer page (after decompression) is not read: skipped with a reason
concurrency = 8       # requests in flight over all hosts
per_host = 2          # requests in flight to one host
delay = 0.5           # seconds between two requests to one host (robots.txt Crawl-delay may raise it)
retries = 3           # retries of a request on timeouts, connection errors, 429 and 5xx
respect_robots = true

# Sources: add one with `wiredesk sources add https://newsroom.example.com/`, which finds the site's feed
# or sitemap, or write one here:
#
# [[sources]]
# name = "newsroom"
# kind = "feed"                # feed (RSS or Atom), sitemap, listing, or files (pages on disk)
# url = "https://newsroom.example.com/rss.xml"
# agency = "Example Wire"      # the credit when a page names none
# every = "30m"                # how often it is due; every run when left out
# enabled = true
'''

_NAME = re.compile(r"[^a-z0-9]+")


def write_starter(path: Path) -> Path:
    """Write the commented starter config at `path`; RefusedError when a file is there already."""
    try:
        with open(path, "x", encoding="utf-8") as out:
            out.write(STARTER)
    except FileExistsError:
        raise RefusedError(f"{path} exists already: it was left as it is") from None
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def source_name(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A source name made of `text` (a title or a host): lower case, words joined by dashes, unique among
    `taken` by a number."""
    base = _NAME.sub("-", text.lower().removeprefix("www.")).strip("-")[:40].strip("-") or "source"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


class ConfigFile:
    """A config file read for changing: `add`, `remove`, `set_enabled`, then `save` (checked, atomic)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.document = tomlkit.parse(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read: {exc}", path=str(self.path)) from exc
        except tomlkit.exceptions.ParseError as exc:
            raise ConfigError(f"TOML syntax error: {exc}", path=str(self.path)) from None

    def _sources(self) -> AoT | None:
        sources = self.document.get("sources")
        return sources if isinstance(sources, AoT) else None

    def names(self) -> set[str]:
        return {str(table.get("name", "")) for table in self._sources() or []}

    def _find(self, name: str) -> Table:
        for table in self._sources() or []:
            if table.get("name") == name:
                return table
        known = ", ".join(sorted(self.names())) or "none"
        raise ConfigError(f"no source named {name!r} (known: {known})", path=str(self.path))

    def add(self, source: Mapping[str, Any]) -> None:
        """Append a [[sources]] table with these keys, in this order, after a blank line."""
        table = tomlkit.table()
        for key, value in source.items():
            table.add(key, value)
        sources = self._sources()
        if sources is None:
            if "sources" in self.document:
                raise ConfigError("sources: must be an array of tables, written [[sources]]", path=str(self.path))
            if not tomlkit.dumps(self.document).endswith("\n\n"):
                self.document.add(tomlkit.nl())
            self.document.append("sources", tomlkit.aot())
            sources = self._sources()
        elif len(sources) and not sources[-1].as_string().endswith("\n\n"):
            sources[-1].add(tomlkit.nl())
        sources.append(table)

    def remove(self, name: str) -> None:
        table = self._find(name)
        sources = self._sources()
        del sources[next(i for i, t in enumerate(sources) if t is table)]

    def set_enabled(self, name: str, enabled: bool) -> bool:
        """Set the source's `enabled`; whether that changed anything."""
        table = self._find(name)
        was = bool(table.get("enabled", True))
        if enabled and "enabled" in table:
            del table["enabled"]  # enabled is the default: the key goes, as a person would write it
        elif not enabled:
            table["enabled"] = False
        return was != enabled

    def text(self) -> str:
        return tomlkit.dumps(self.document)

    def save(self) -> Config:
        """Check the changed file as `wiredesk` reads it, then put it in place at once; the config read."""
        text = self.text()
        config = parse_config(text, path=self.path)  # ConfigError, naming the key: the file is not touched
        try:
            replace_file(self.path, text.encode("utf-8"))
        except OSError as exc:
            raise StorageError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        return config
