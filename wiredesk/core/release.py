"""The one document type that every stage passes on.

A `Release` is built by ingest (from a page or an imported record), stored by index and returned by search.
It is frozen: a stage that changes a release returns a new one with `dataclasses.replace`.
Lists are tuples and maps are read-only, so a release can be hashed, pickled to a worker process and
compared whole in tests.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any, Mapping, NoReturn

__all__ = ["Dateline", "FrozenMap", "Hints", "Release", "release_id", "content_hash", "word_count", "RELEASE_KEYS"]


class FrozenMap(dict):
    """A read-only dict: unlike MappingProxyType it pickles (releases cross to extraction processes) and
    `json.dumps` takes it as it is."""

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("FrozenMap is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


@dataclass(frozen=True)
class Dateline:
    """The dateline as printed (`raw`) and the place it names."""

    raw: str | None = None
    city: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"raw": self.raw, "city": self.city, "country": self.country}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Dateline:
        data = data or {}
        return cls(raw=data.get("raw") or None, city=data.get("city") or None, country=data.get("country") or None)


@dataclass(frozen=True)
class Hints:
    """What a feed entry or sitemap says about an article, for extraction to use where the page is silent."""

    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    summary: str = ""
    language: str = ""


@dataclass(frozen=True)
class Release:
    """One press release or wire story, with its fielded metadata.

    Every field but `body` has an empty default, so partial pages and imported records fit.
    Dates are timezone-aware datetimes in UTC, but `published_local`: the same instant as `published` in the
    story's own time (the offset the page gave, else its source's, wire's or dateline city's zone), whose
    date is the one day-based searches and the year/month facets use.
    """

    body: str
    id: str = ""
    url: str = ""
    source: str = ""
    agency: str = ""
    title: str = ""
    lead: str = ""
    published: datetime | None = None
    published_local: datetime | None = None
    updated: datetime | None = None
    fetched: datetime | None = None
    dateline: Dateline = field(default_factory=Dateline)
    authors: tuple[str, ...] = ()
    language: str = ""
    categories: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # the countries the story is about; the dateline's is one of them
    acronyms: Mapping[str, str] = field(default_factory=FrozenMap)
    content_hash: str = ""
    word_count: int = 0
    cluster: str = ""

    def __post_init__(self) -> None:
        # Accept lists and dicts from callers, but store immutable values so the release stays hashable-safe.
        for name in ("authors", "categories", "people", "organizations", "places", "countries"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value or ()))
        if not isinstance(self.acronyms, FrozenMap):
            object.__setattr__(self, "acronyms", FrozenMap(self.acronyms or {}))
        for name in ("published", "published_local", "updated", "fetched"):
            value = getattr(self, name)
            if value is not None:
                if value.tzinfo is None:
                    raise ValueError(f"Release.{name} must be timezone-aware, got {value.isoformat()}")
                if name != "published_local":
                    object.__setattr__(self, name, value.astimezone(timezone.utc))

    def with_derived(self) -> Release:
        """Fill the fields that follow from the others: id (from url), content_hash, word_count, lead, and
        countries where a record gives none (a story is about its dateline's country), and one of `published`
        and `published_local` from the other (in UTC where no local time is known)."""
        lead = self.lead or first_paragraph(self.body)
        return replace(
            self,
            countries=self.countries or ((self.dateline.country,) if self.dateline.country else ()),
            published=self.published or self.published_local,
            published_local=self.published_local or self.published,
            id=self.id or (release_id(self.url) if self.url else content_hash(self.title, self.body)[:16]),
            lead=lead,
            content_hash=content_hash(self.title, self.body),
            word_count=word_count(self.body),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape used by `extract`, `show --json` and `import`."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, Dateline):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, FrozenMap):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Release:
        """Build a release from the `extract` JSON shape; unknown keys are ignored, dates parsed.

        Raises ValueError (with the key) for a value of the wrong type.
        """
        if not isinstance(data.get("body"), str):
            raise ValueError("'body' is missing or not a string")
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data or data[f.name] is None:
                continue
            value = data[f.name]
            if f.name in ("published", "updated", "fetched"):
                value = parse_instant(value, key=f.name)
            elif f.name == "published_local":
                value = parse_instant(value, key=f.name, keep_offset=True)
            elif f.name == "dateline":
                if not isinstance(value, Mapping):
                    raise ValueError("'dateline' must be an object with raw, city and country")
                value = Dateline.from_dict(value)
            elif f.name in ("authors", "categories", "people", "organizations", "places", "countries"):
                if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"'{f.name}' must be a list of strings")
            elif f.name == "acronyms":
                if not isinstance(value, Mapping):
                    raise ValueError("'acronyms' must be an object mapping short form to long form")
            elif f.name == "word_count":
                if not isinstance(value, int):
                    raise ValueError("'word_count' must be a whole number")
            elif not isinstance(value, str):
                raise ValueError(f"'{f.name}' must be a string")
            elif f.name == "id" and any(ord(c) < 32 for c in value):
                raise ValueError("'id' must not hold control characters")
            kwargs[f.name] = value
        if "published" in kwargs and "published_local" not in kwargs:
            # a record's time as given is its local time: "2025-04-15T23:00:00-04:00" is the 15th where it was filed
            kwargs["published_local"] = parse_instant(data["published"], keep_offset=True)
        return cls(**kwargs)


RELEASE_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Release))


def parse_instant(value: Any, *, key: str = "date", keep_offset: bool = False) -> datetime:
    """An ISO 8601 string as an aware UTC datetime (in its own offset with `keep_offset`); a value without
    an offset is taken as UTC."""
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{key}' is not an ISO 8601 date: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment if keep_offset else moment.astimezone(timezone.utc)


_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ncid)$", re.I)


def canonical_url(url: str) -> str:
    """The URL with its scheme and host lower-cased, no fragment, no tracking parameters, no default port."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def release_id(url: str) -> str:
    """A stable id for a release: 16 hex digits of the SHA-256 of its canonical URL."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(title: str, body: str) -> str:
    """A hash of the normalised title and body, so a change in page chrome or spacing is not an update."""
    return hashlib.sha256(f"{_normalised(title)}\n{_normalised(body)}".encode("utf-8")).hexdigest()[:32]


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def first_paragraph(body: str) -> str:
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            return paragraph.strip()
    return ""
