"""Read `config.toml` once into frozen dataclasses, with messages that name the file, the line and the key.

Look-up order: `--config FILE`, then the `WIREDESK_CONFIG` variable, then `./config.toml`.
Relative paths in the file are relative to the file's own folder. Every default lives here, as the
dataclasses' field defaults; each stage receives only its part (`FetchConfig`, a `SourceConfig`).

CSS selectors are checked by `Config.check_selectors`, which the commands that list or extract call right
after loading: compiling them costs a tenth of a second, which a search should not pay.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .urls import entry_problem, origin_entry, url_problem

__all__ = [
    "Config", "StorageConfig", "FetchConfig", "FETCH_MAXIMA", "MAX_EVERY", "SourceConfig", "ExtractRules", "AlertsConfig", "SOURCE_KINDS",
    "find_config", "load_config", "parse_config", "parse_duration",
]

SOURCE_KINDS = ("files", "feed", "sitemap", "listing")
DEFAULT_USER_AGENT = "wiredesk/0.1 (+https://github.com/wiredesk/wiredesk; press-release indexer)"


@dataclass(frozen=True)
class StorageConfig:
    """Where the index, the state database, the alerts and the raw archive live."""

    home: Path

    @property
    def state_db(self) -> Path:
        return self.home / "state.sqlite"

    @property
    def alerts_db(self) -> Path:
        return self.home / "alerts.sqlite"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def index_root(self) -> Path:
        return self.home / "index"

    @property
    def run_lock(self) -> Path:
        return self.home / "run.lock"


@dataclass(frozen=True)
class FetchConfig:
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds, for reading a response; connecting gets at most `connect_timeout`
    connect_timeout: float = 10.0
    deadline: float = 60.0  # seconds for one whole request (connect, headers, body), however the server drips
    max_bytes: int = 10_000_000  # a page body longer than this is cut off and skipped with a reason
    concurrency: int = 8  # requests in flight over all hosts
    per_host: int = 2  # requests in flight to one host
    delay: float = 0.5  # seconds between two requests to one host (robots.txt Crawl-delay may raise it)
    retries: int = 3  # retries of one request within a run (timeouts, connection errors, 429, 5xx)
    respect_robots: bool = True
    max_attempts: int = 5  # runs in which a failing page is tried before it is given up
    max_redirects: int = 10
    extract_deadline: float = 30.0  # seconds one page's extraction may take; its worker is then replaced


# Ceilings on [fetch] values: past them a value only holds the run (and its lock) or the memory hostage.
FETCH_MAXIMA: Mapping[str, float] = {
    "timeout": 3600, "connect_timeout": 3600, "deadline": 3600, "delay": 3600, "max_bytes": 1 << 30,
    "concurrency": 1000, "per_host": 100, "retries": 10, "max_attempts": 1000, "max_redirects": 50,
    "extract_deadline": 3600,
}
# Seconds values that must be above zero (a zero timeout fails every request)
_POSITIVE = frozenset({"timeout", "connect_timeout", "deadline", "extract_deadline"})
MAX_EVERY = timedelta(days=365)


@dataclass(frozen=True)
class ExtractRules:
    """Per-source CSS selectors that win over generic extraction where given."""

    title: str = ""
    body: str = ""
    date: str = ""
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str = ""
    path: Path | None = None
    agency: str = ""  # the wire credit to use when the page names none
    every: timedelta | None = None  # how often the source is due; None: every run
    allow: tuple[str, ...] = ()  # hosts (subdomains included) links may go to; default: the source URL's host
    enabled: bool = True
    since: datetime | None = None  # skip entries older than this
    max_items: int | None = None  # at most this many new articles per run
    language: str = ""  # the sources' language where pages do not say
    timezone: str = ""  # IANA zone of the times its pages print without one (e.g. "Asia/Kolkata")
    links: str = ""  # listing: CSS selector of article links
    next: str = ""  # listing: CSS selector of the next-page link
    max_pages: int = 5  # listing: pages followed per run
    extract: ExtractRules = field(default_factory=ExtractRules)

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """`allow`, else the URL's own host (with its port when not the standard one); () for none."""
        if self.allow:
            return self.allow
        origin = origin_entry(self.url) if self.url else ""
        return (origin,) if origin else ()


@dataclass(frozen=True)
class AlertsConfig:
    command: str = ""  # run once per matching release, the release as JSON on its stdin


@dataclass(frozen=True)
class Config:
    path: Path | None  # the file it was read from; None for a config made in code
    storage: StorageConfig
    fetch: FetchConfig = field(default_factory=FetchConfig)
    sources: tuple[SourceConfig, ...] = ()
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    # every CSS selector of the sources: (source name, key as the file writes it, selector, line or None)
    selectors: tuple[tuple[str, str, str, int | None], ...] = ()

    def check_selectors(self, names: Iterable[str] | None = None) -> None:
        """Raise ConfigError (file, line, key) for the first CSS selector, of the sources named (default:
        all), that BeautifulSoup's `select` cannot read."""
        wanted = None if names is None else set(names)
        checked = [site for site in self.selectors if wanted is None or site[0] in wanted]
        if not checked:
            return
        import soupsieve  # only here: it takes a tenth of a second to import and to compile a first selector

        for _, key, selector, line in checked:
            try:
                soupsieve.compile(selector)
            except soupsieve.SelectorSyntaxError as exc:
                reason = str(exc).splitlines()[0]
                raise ConfigError(f"invalid CSS selector {selector!r}: {reason}", path=str(self.path or ""), key=key,
                                  line=line) from None

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"no source named {name!r} (known: {known})", path=str(self.path or ""))


def find_config(explicit: str | os.PathLike[str] | None) -> Path:
    """The config file to read: `--config`, else `WIREDESK_CONFIG`, else `./config.toml`."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError("no such config file (given with --config)", path=str(path))
        return path
    env = os.environ.get("WIREDESK_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError("no such config file (named by WIREDESK_CONFIG)", path=str(path))
        return path
    path = Path("config.toml")
    if path.is_file():
        return path
    raise ConfigError("no config found: give --config FILE, set WIREDESK_CONFIG, or run where ./config.toml is")


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = find_config(explicit)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from exc
    return parse_config(text, path=path)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`"30m"`, `"2h"`, `"1d"` (also s and w) as a timedelta, at most `MAX_EVERY`; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"expected a duration such as \"30m\", \"2h\" or \"1d\", got {text!r}")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"must be more than 0, got {text!r} (leave it out for a source due at every run)")
    if seconds > MAX_EVERY.total_seconds():
        raise ValueError(f"must be at most {MAX_EVERY.days}d, got {text!r}")
    return timedelta(seconds=seconds)


class _Reader:
    """Validates one parsed TOML document against the dataclasses, naming the key and line of a fault."""

    def __init__(self, text: str, path: Path) -> None:
        self.lines = text.splitlines()
        self.path = path

    def fail(self, message: str, key: str, *, table: str = "", index: int = 0) -> ConfigError:
        return ConfigError(message, path=str(self.path), key=key, line=self.line_of(table, index, key.rsplit(".", 1)[-1]))

    def line_of(self, table: str, index: int, key: str) -> int | None:
        """The line of `key` inside the index-th `[table]` or `[[table]]` (1-based), where it can be found."""
        start, seen = 0, -1
        if table:
            header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
            for number, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if seen == index:
                        start = number
                        break
            else:
                return None
        key_re = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for number in range(start, len(self.lines)):
            if number > start and table and re.match(r"^\s*\[(?!\s*" + re.escape(table) + r"\.)", self.lines[number]):
                break
            if key_re.match(self.lines[number]):
                return number + 1
        return start + 1 if table else None

    def table(self, data: Mapping[str, Any], name: str, *, allowed: set[str], index: int = 0, where: str = "") -> dict[str, Any]:
        where = where or name
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            raise self.fail("must be a table", where)
        for key in value:
            if key not in allowed:
                raise self.fail(f"unknown key (known: {', '.join(sorted(allowed))})", f"{where}.{key}", table=name.split(".")[0], index=index)
        return dict(value)

    def typed(self, value: Any, kind: type | tuple[type, ...], key: str, *, table: str, index: int = 0) -> Any:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # TOML booleans are ints to isinstance; a number field must not accept true/false
        if isinstance(value, bool) and bool not in kinds:
            ok = False
        else:
            ok = isinstance(value, kinds)
        if not ok:
            names = "a number" if float in kinds else {int: "a whole number", str: "a string", bool: "true or false",
                                                           list: "a list"}[kinds[0]]
            raise self.fail(f"expected {names}, got {value!r}", key, table=table, index=index)
        return value


def _fields_of(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def parse_config(text: str, *, path: Path) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 3, column 1)"; keep its words, put the line where people look
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r" ?\(at line.*", "", message)
        raise ConfigError(f"TOML syntax error: {message}", path=str(path), line=line) from None
    reader = _Reader(text, path)
    base = path.resolve().parent
    for key in data:
        if key not in ("storage", "fetch", "sources", "alerts"):
            raise reader.fail("unknown table (known: storage, fetch, sources, alerts)", key, table=key)

    storage = reader.table(data, "storage", allowed={"home"})
    home = reader.typed(storage.get("home", "data"), str, "storage.home", table="storage")
    if not home.strip():
        raise reader.fail("must name a folder (\"data\" is the default), got an empty string", "storage.home",
                          table="storage")
    storage_config = StorageConfig(home=(base / home).resolve())
    if storage_config.home.exists() and not storage_config.home.is_dir():
        raise reader.fail(f"{storage_config.home} is a file, not a folder", "storage.home", table="storage")

    fetch_raw = reader.table(data, "fetch", allowed=_fields_of(FetchConfig))
    fetch_kwargs: dict[str, Any] = {}
    for f in fields(FetchConfig):
        if f.name in fetch_raw:
            kind: Any = {"float": (int, float), "int": int, "bool": bool, "str": str}[str(f.type)]
            value = reader.typed(fetch_raw[f.name], kind, f"fetch.{f.name}", table="fetch")
            problem = _fetch_value_problem(f.name, value, count=kind is int)
            if problem:
                raise reader.fail(problem, f"fetch.{f.name}", table="fetch")
            fetch_kwargs[f.name] = float(value) if kind == (int, float) else value
    fetch = FetchConfig(**fetch_kwargs)

    alerts_raw = reader.table(data, "alerts", allowed=_fields_of(AlertsConfig))
    alerts = AlertsConfig(command=reader.typed(alerts_raw.get("command", ""), str, "alerts.command", table="alerts"))

    sources_raw = data.get("sources", [])
    if not isinstance(sources_raw, list):
        raise reader.fail("must be an array of tables, written [[sources]]", "sources", table="sources")
    sources: list[SourceConfig] = []
    selectors: list[tuple[str, str, str, int | None]] = []
    for index, raw in enumerate(sources_raw):
        sources.append(_source(reader, raw, index, base))
        selectors += _selectors(reader, sources[-1], index)
        names = [s.name for s in sources]
        if names.count(sources[-1].name) > 1:
            raise reader.fail(f"duplicate source name {sources[-1].name!r}", f"sources[{index}].name", table="sources", index=index)
    return Config(path=path, storage=storage_config, fetch=fetch, sources=tuple(sources), alerts=alerts,
                  selectors=tuple(selectors))


def _zone(reader: _Reader, name: str, key: str, index: int) -> str:
    """A time zone's IANA name, checked against the zone database."""
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise reader.fail(f"unknown time zone {name!r} (an IANA name such as Asia/Kolkata, Europe/Rome or UTC)",
                          key, table="sources", index=index) from None
    return name


def _selectors(reader: _Reader, source: SourceConfig, index: int) -> list[tuple[str, str, str, int | None]]:
    """A source's CSS selectors with the key and line each is written at."""
    rules = source.extract
    named = [("links", source.links), ("next", source.next), ("extract.title", rules.title),
             ("extract.body", rules.body), ("extract.date", rules.date)]
    named += [("extract.remove", selector) for selector in rules.remove]
    return [(source.name, f"sources.{source.name}.{key}", selector,
             reader.line_of("sources", index, key.rsplit(".", 1)[-1]))
            for key, selector in named if selector]


def _fetch_value_problem(name: str, value: Any, *, count: bool) -> str:
    """Why a [fetch] value of the right type is still unusable ("" when it is fine); `count`: a whole-number
    key (at least 1, `retries` at least 0), else seconds or bytes."""
    if isinstance(value, str):
        # a header value: anything else makes every request fail before it is sent
        if not value.strip() or not all(" " <= c <= "~" for c in value):
            return f"must be printable ASCII (it is sent as an HTTP header), got {value!r}"
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if name in _POSITIVE:
        if value <= 0:
            return f"must be more than 0, got {value!r}"
    else:
        least = 1 if count and name != "retries" else 0
        if value < least:
            return f"must be at least {least}, got {value!r}"
    most = FETCH_MAXIMA.get(name)
    if most is not None and value > most:
        return f"must be at most {most:g}, got {value!r}"
    return ""


def _source(reader: _Reader, raw: Any, index: int, base: Path) -> SourceConfig:
    where = f"sources[{index}]"
    if not isinstance(raw, Mapping):
        raise reader.fail("must be a table", where, table="sources", index=index)
    allowed = _fields_of(SourceConfig)
    for key in raw:
        if key not in allowed:
            raise reader.fail(f"unknown key (known: {', '.join(sorted(allowed))})", f"{where}.{key}", table="sources", index=index)

    def get(key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        if key not in raw:
            return default
        return reader.typed(raw[key], kind, f"{where}.{key}", table="sources", index=index)

    name = get("name", str, "")
    if not name.strip():
        raise reader.fail("every source needs a name", f"{where}.name", table="sources", index=index)
    where = f"sources.{name}"
    kind = get("kind", str, "")
    if kind not in SOURCE_KINDS:
        raise reader.fail(f"unknown kind {kind!r} (known: {', '.join(SOURCE_KINDS)})", f"{where}.kind", table="sources", index=index)
    url = get("url", str, "")
    path_text = get("path", str, "")
    if kind == "files":
        if not path_text and not url:
            raise reader.fail("a files source needs a path", f"{where}.path", table="sources", index=index)
    elif not url:
        raise reader.fail(f"a {kind} source needs a url", f"{where}.url", table="sources", index=index)
    if url and urlsplit(url).scheme not in ("http", "https", "file"):
        raise reader.fail(f"must be an http(s) URL, got {url!r}", f"{where}.url", table="sources", index=index)
    if url and urlsplit(url).scheme != "file" and url_problem(url):
        raise reader.fail(f"{url_problem(url)}: {url[:200]!r}", f"{where}.url", table="sources", index=index)
    every = None
    if "every" in raw:
        try:
            every = parse_duration(get("every", str, ""))
        except ValueError as exc:
            raise reader.fail(str(exc), f"{where}.every", table="sources", index=index) from None
    allow = get("allow", list, [])
    if not all(isinstance(host, str) and host for host in allow):
        raise reader.fail("must be a list of host names", f"{where}.allow", table="sources", index=index)
    for host in allow:
        if entry_problem(host):
            raise reader.fail(entry_problem(host), f"{where}.allow", table="sources", index=index)
    since = None
    if "since" in raw:
        value = raw["since"]
        if isinstance(value, datetime):
            since = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        elif isinstance(value, date):
            since = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
        else:
            raise reader.fail(f"expected a date such as 2025-01-01, got {value!r}", f"{where}.since", table="sources", index=index)
    max_items = get("max_items", int, None)
    max_pages = get("max_pages", int, 5)
    for key, number in (("max_items", max_items), ("max_pages", max_pages)):
        if number is not None and number < 1:
            raise reader.fail(f"must be at least 1, got {number}", f"{where}.{key}", table="sources", index=index)
    if kind == "listing" and not get("links", str, ""):
        raise reader.fail("a listing source needs `links`, the CSS selector of its article links", f"{where}.links", table="sources", index=index)
    extract_raw = raw.get("extract", {})
    if not isinstance(extract_raw, Mapping):
        raise reader.fail("must be a table", f"{where}.extract", table="sources", index=index)
    rules: dict[str, Any] = {}
    for key, value in extract_raw.items():
        if key not in _fields_of(ExtractRules):
            raise reader.fail("unknown key (known: body, date, remove, title)", f"{where}.extract.{key}", table="sources", index=index)
        if key == "remove":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise reader.fail("must be a list of CSS selectors", f"{where}.extract.remove", table="sources", index=index)
            value = tuple(value)
        elif not isinstance(value, str):
            raise reader.fail(f"expected a CSS selector string, got {value!r}", f"{where}.extract.{key}", table="sources", index=index)
        rules[key] = value
    return SourceConfig(
        name=name,
        kind=kind,
        url=url,
        path=(base / path_text).resolve() if path_text else None,
        agency=get("agency", str, ""),
        every=every,
        allow=tuple(h.lower() for h in allow),
        enabled=get("enabled", bool, True),
        since=since,
        max_items=max_items,
        language=get("language", str, ""),
        timezone=_zone(reader, get("timezone", str, ""), f"{where}.timezone", index),
        links=get("links", str, ""),
        next=get("next", str, ""),
        max_pages=max_pages,
        extract=ExtractRules(**rules),
    )
