"""Managing the sources of a config file: add one found behind a site's address, remove, enable or disable
one, import and export them as OPML. Each change goes through `ConfigFile`, so the file keeps its comments and
is replaced only by a config that reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .configfile import ConfigFile, source_name
from .core.config import Config, parse_duration
from .core.urls import origin_entry, url_problem
from .core.errors import ConfigError, FetchError, RefusedError, RunError, Skip, UsageError
from .opml import Outline, read_opml, write_opml

if TYPE_CHECKING:
    from wiredesk.ingest import Discovery

__all__ = ["AddedSource", "ImportedSources", "add_source", "remove_source", "enable_source", "import_opml",
           "export_opml"]


@dataclass(frozen=True)
class AddedSource:
    """The source written to the config (its keys as written; empty with `dry_run`) and what was found."""

    source: dict
    discovery: Discovery
    written: bool

    def to_dict(self) -> dict:
        return {"source": self.source, "written": self.written, "found": [f.to_dict() for f in self.discovery.found],
                "rejected": [{"url": url, "reason": reason} for url, reason in self.discovery.rejected]}


@dataclass(frozen=True)
class ImportedSources:
    added: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"url", "reason"}

    def to_dict(self) -> dict:
        return {"added": self.added, "skipped": self.skipped}


def _path(config: Config) -> Path:
    if config.path is None:
        raise UsageError("this desk was made in code, not from a config file: there is no file to change")
    return config.path


def _web_address(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and not url_problem(url)


def _following(config: Config, url: str) -> str | None:
    return next((s.name for s in config.sources if s.url == url), None)


def add_source(config: Config, url: str, *, name: str = "", agency: str = "", every: str = "",
               dry_run: bool = False) -> AddedSource:
    """Find the feed or sitemap behind `url` (`ingest.discover`, through the polite fetcher) and add the best
    one to the config as a source. RunError when nothing is found; RefusedError when the config follows it
    already; UsageError for a bad `url`, `every` or a taken `name`."""
    from wiredesk.ingest import discover

    if "://" not in url:
        url = f"https://{url}"
    if not _web_address(url):
        raise UsageError(f"not an http(s) address: {url!r}")
    if every:
        try:
            parse_duration(every)
        except ValueError as exc:
            raise UsageError(f"--every: {exc}") from None
    path = _path(config)
    file = ConfigFile(path)
    if name and name in file.names():
        raise UsageError(f"a source named {name!r} exists already in {path}")
    try:
        discovery = discover(url, config.fetch)
    except (FetchError, Skip) as exc:
        raise RunError(f"cannot read {url}: {getattr(exc, 'reason', None) or exc}") from exc
    if not discovery.found:
        tried = "; ".join(f"{link}: {reason}" for link, reason in discovery.rejected[:3])
        raise RunError(f"no feed or sitemap found at {url}" + (f" (tried {tried})" if tried else
                                                                 " (no feed announced, none at the common paths)"))
    best = discovery.found[0]
    if (known := _following(config, best.url)) is not None:
        raise RefusedError(f"{best.url} is followed already, as the source {known!r}")
    source: dict = {"name": name or source_name(best.title or discovery.title or urlsplit(best.url).hostname or "",
                                                file.names()),
                    "kind": best.kind, "url": best.url}
    site, followed = origin_entry(discovery.url), origin_entry(best.url)
    if site and followed and site != followed:  # a feed served elsewhere lists the site's own pages
        source["allow"] = [followed, site]
    if agency:
        source["agency"] = agency
    if every:
        source["every"] = every
    if not dry_run:
        file.add(source)
        file.save()
    return AddedSource(source, discovery, not dry_run)


def remove_source(config: Config, name: str) -> None:
    """Remove the source `name` from the config file (what it indexed stays in the index)."""
    file = ConfigFile(_path(config))
    file.remove(name)
    file.save()


def enable_source(config: Config, name: str, enabled: bool) -> bool:
    """Enable or disable the source `name`; whether that changed the file."""
    file = ConfigFile(_path(config))
    changed = file.set_enabled(name, enabled)
    if changed:
        file.save()
    return changed


def import_opml(config: Config, data: bytes) -> ImportedSources:
    """Add a `feed` source for each subscription of an OPML file that the config does not follow yet. UsageError
    for a file that is not OPML; nothing is written when no subscription is new."""
    try:
        outlines = read_opml(data)
    except ValueError as exc:
        raise UsageError(f"cannot read the OPML file: {exc}") from None
    file = ConfigFile(_path(config))
    result = ImportedSources()
    followed = {s.url for s in config.sources}
    for outline in outlines:
        if not _web_address(outline.xml_url):
            result.skipped.append({"url": outline.xml_url, "reason": "not an http(s) address"})
            continue
        if outline.xml_url in followed:
            result.skipped.append({"url": outline.xml_url, "reason": "followed already"})
            continue
        followed.add(outline.xml_url)
        source = {"name": source_name(outline.title or urlsplit(outline.xml_url).hostname or "", file.names()),
                  "kind": "feed", "url": outline.xml_url}
        file.add(source)
        result.added.append(source)
    if result.added:
        try:
            file.save()
        except ConfigError as exc:
            raise UsageError(f"the OPML file's subscriptions would make the config unreadable: {exc}") from None
    return result


def export_opml(config: Config) -> tuple[str, list[str]]:
    """The config's feed sources as an OPML document, and the names of the sources left out (sitemaps,
    listings and files are not feeds a reader can follow)."""
    feeds = [s for s in config.sources if s.kind == "feed"]
    others = [s.name for s in config.sources if s.kind != "feed"]
    return write_opml([Outline(s.url, s.name) for s in feeds]), others
