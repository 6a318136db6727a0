"""Sources: what each kind of source lists, as `Item`s (an article URL with hints from the listing).

The parsers are plain functions over bytes or text (`parse_feed`, `parse_sitemap`, `parse_listing`);
`list_items` drives them for one source, fetching feeds, sitemaps and listing pages through the run's
`Fetcher` with the conditional headers of the previous run, and `file_items` reads a `files` source from
disk. What the run then does with each item (scope, `since`, state) is `harvest`'s business.

XML is parsed without entity expansion, network access or huge-tree mode, so a hostile sitemap cannot
read local files, call out, or blow up memory; a parser raises `ValueError` saying what is wrong. Every
document a source fetches is held to the source's hosts (its own URL's host included), and a sitemap to
the protocol's 50 MB, gzip included.

Over 400 lines because the four kinds of source share `Item`, `Listing` and the way a document failure
is reported; split by kind, each would import the others' pieces.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import feedparser
from lxml import etree

from wiredesk.core.config import SourceConfig
from wiredesk.core.errors import FetchError, Skip
from wiredesk.core.release import Hints
from wiredesk.core.urls import origin_entry

from .fetch import Fetcher, Response
from .inflate import OverLimit, inflate
from .localfiles import folder_problem, path_url, read_local
from .markup import decode_html, parse_html
from .rules import select, soup

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

__all__ = [
    "Item", "Sitemap", "Listing", "parse_feed", "parse_sitemap", "parse_listing", "file_items", "list_items",
]

# Sitemap indexes may nest; real ones go one level deep, and a cycle must end. An index this many levels
# below the root has its child sitemaps refused (the urlsets it reaches at this depth are still read).
MAX_SITEMAP_DEPTH = 3
# The sitemap protocol's limit on one file, uncompressed; it applies whatever `max_bytes` says.
MAX_SITEMAP_BYTES = 50_000_000
# What a folder of a `files` source holds: pages, and news items as XML (NewsML, NITF), which extraction
# reads as `wiredesk extract` does; an XML file that is a feed or a sitemap is skipped with that reason.
_PAGE_SUFFIXES = (".html", ".htm", ".xml")


@dataclass(frozen=True)
class Item:
    """One entry a source lists.

    `lastmod` is the listing's change marker (a feed entry's updated date, a sitemap's lastmod, a local
    file's mtime and size): a page already indexed is fetched again only when it differs. `path` is set for
    `files` sources. An entry that cannot be used has `problem` set, and `failed` when it should be retried.
    """

    url: str
    hints: Hints = field(default_factory=Hints)
    lastmod: str | None = None
    path: Path | None = None
    problem: str = ""
    failed: bool = False


@dataclass(frozen=True)
class Sitemap:
    urls: list[Item]
    sitemaps: list[Item]  # the child sitemaps of an index, with their lastmod


@dataclass
class Listing:
    """What enumerating one source learnt besides its items: the root document's new validators, whether
    it answered 304, and the first document-level failure (the source's error for this run)."""

    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str = ""


# feeds --------------------------------------------------------------------------------------------------

def parse_feed(body: bytes, *, base_url: str = "") -> list[Item]:
    """The entries of an RSS 0.9x/1.0/2.0 or Atom feed. Raises ValueError when the body is not a feed."""
    headers = {"content-location": base_url} if base_url else {}
    parsed = feedparser.parse(body, response_headers=headers, resolve_relative_uris=False, sanitize_html=False)
    if parsed.bozo and not parsed.entries and not parsed.feed:
        raise ValueError(f"unparseable feed: {parsed.get('bozo_exception', 'not a feed')}")
    if not parsed.get("version") and not parsed.entries:
        raise ValueError("not a feed: no RSS or Atom root element")
    language = str(parsed.feed.get("language", "") or "")
    items: list[Item] = []
    for number, entry in enumerate(parsed.entries, start=1):
        link = str(entry.get("link", "") or "").strip()
        if not link:
            items.append(Item(url=f"{base_url}#entry-{number}", problem="feed entry without a link"))
            continue
        items.append(Item(url=urljoin(base_url, link) if base_url else link,
                          hints=_entry_hints(entry, language),
                          lastmod=_raw(entry, "updated") or _raw(entry, "published") or None))
    return items


def _entry_hints(entry: feedparser.FeedParserDict, language: str) -> Hints:
    authors = tuple(str(a.get("name", "")).strip() for a in entry.get("authors", []) if a.get("name"))
    if not authors and entry.get("author"):
        authors = (str(entry["author"]).strip(),)
    updated = _struct_time(dict.get(entry, "updated_parsed"))
    return Hints(
        title=str(entry.get("title", "") or "").strip(),
        # an entry dated only by <updated> or <dc:date> (Atom, RSS 1.0) was published then, as far as we know
        published=_struct_time(dict.get(entry, "published_parsed")) or updated,
        updated=updated,
        categories=tuple(str(t.get("term", "")).strip() for t in entry.get("tags", []) if t.get("term")),
        authors=authors,
        summary=_text_of(str(entry.get("summary", "") or "")),
        language=str(entry.get("language", "") or language),
    )


def _raw(entry: feedparser.FeedParserDict, key: str) -> str:
    # dict.get: FeedParserDict.get falls back from "updated" to "published" (with a warning); we want each
    return str(dict.get(entry, key) or "")


def _struct_time(value: object) -> datetime | None:
    # feedparser gives dates as UTC time tuples; a malformed date is simply absent
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc)  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def _text_of(markup: str) -> str:
    if "<" not in markup:
        return " ".join(markup.split())
    tree = parse_html(markup)
    return " ".join(tree.text_content().split()) if tree is not None else ""


# sitemaps -----------------------------------------------------------------------------------------------

def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                           remove_pis=True, load_dtd=False)


def parse_sitemap(body: bytes, *, max_bytes: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """The URLs (with Google News hints) of a urlset, or the child sitemaps of an index; gzip too.

    Raises ValueError for a body that is not a sitemap or that inflates past `max_bytes`.
    """
    if body[:2] == b"\x1f\x8b":
        try:
            body = inflate(body, "gzip", limit=max_bytes)
        except OverLimit:
            raise ValueError(f"sitemap inflates past max_bytes ({max_bytes})") from None
        except ValueError as exc:
            raise ValueError(f"broken gzip sitemap: {exc}") from None
    try:
        root = etree.fromstring(body.lstrip(), _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"unparseable sitemap: {exc}") from exc
    if root is None:
        raise ValueError("empty sitemap")
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    entries = [_sitemap_entry(node) for node in root if _local(node) in ("url", "sitemap")]
    found = [item for item in entries if item is not None]
    return Sitemap(urls=found, sitemaps=[]) if kind == "urlset" else Sitemap(urls=[], sitemaps=found)


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _sitemap_entry(node: etree._Element) -> Item | None:
    fields: dict[str, str] = {}
    for child in node.iter():
        name = _local(child)
        if name and child is not node and name not in fields:
            fields[name] = (child.text or "").strip()
    loc = fields.get("loc", "")
    if not loc:
        return None
    keywords = tuple(k.strip() for k in fields.get("keywords", "").split(",") if k.strip())
    hints = Hints(title=fields.get("title", ""), published=_w3c_date(fields.get("publication_date", "")),
                  updated=_w3c_date(fields.get("lastmod", "")), categories=keywords,
                  language=fields.get("language", ""))
    return Item(url=loc, hints=hints, lastmod=fields.get("lastmod") or None)


def _w3c_date(text: str) -> datetime | None:
    """A sitemap date (`2025-04-16`, `2025-04-16T05:30:00+05:30`, `...Z`) as aware UTC; None when bad."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


# listing pages ------------------------------------------------------------------------------------------

def parse_listing(html: str, *, base_url: str, links: str, next: str = "") -> tuple[list[Item], str]:
    """Article links (`links` selector) and the next page's URL (`next` selector, "" when none), the
    selectors matched with BeautifulSoup's `select`.

    A selector may match the `<a>` itself or an element holding one. Raises ValueError for a bad selector.
    """
    page = soup(html)
    items = [Item(url=href) for href in _hrefs(page, links, base_url)]
    following = _hrefs(page, next, base_url) if next else []
    return items, following[0] if following else ""


def _hrefs(page: BeautifulSoup, selector: str, base_url: str) -> list[str]:
    found: list[str] = []
    for element in select(page, selector):
        anchor = element if element.get("href") is not None else element.find("a", href=True)
        href = str(anchor.get("href") or "").strip() if anchor is not None else ""
        if href and not href.startswith(("#", "javascript:", "mailto:")):
            found.append(urljoin(base_url, href).split("#", 1)[0])
    return found


# files --------------------------------------------------------------------------------------------------

def file_items(source: SourceConfig, *, max_bytes: int = MAX_SITEMAP_BYTES) -> Iterator[Item]:
    """A `files` source: a folder's *.html/*.htm pages, or the entries of a local feed file.

    Folder pages get `source.url` joined with their relative path as URL (a file: URI without a url). A
    feed entry linking to `https://host/<path>` is the file `<feed folder>/<path>`; a relative link is
    resolved against the feed file. A page that is not to be read (a symlink leading outside the folder, a
    FIFO or device) is an item with its problem. Raises ValueError when the path is missing, not a feed, or
    a feed file over `max_bytes`.
    """
    root = _files_root(source)
    if root.is_dir():
        base = source.url if source.url.endswith("/") else source.url + "/"
        # rglob does not descend into symlinked folders; a symlinked file is read only if it stays inside
        for page in sorted(p for p in root.rglob("*") if p.suffix.lower() in _PAGE_SUFFIXES and not p.is_dir()):
            relative = page.relative_to(root).as_posix()
            url = urljoin(base, path_url(relative)) if source.url else page.resolve().as_uri()
            problem = folder_problem(page, root)
            if problem:
                yield Item(url=url, problem=problem)
            else:
                yield Item(url=url, path=page.resolve(), lastmod=_stamp(page))
        return
    if not root.is_file():
        raise ValueError(f"no such file or folder: {root}")
    folder = root.parent.resolve()
    try:
        body = read_local(root, limit=max_bytes)
    except Skip as exc:
        raise ValueError(f"{root}: {exc.reason}") from None
    for item in parse_feed(body):
        if item.problem:
            yield Item(url=f"{root.as_uri()}{item.url}", problem=item.problem)
            continue
        parts = urlsplit(item.url)
        if parts.scheme:
            page = folder / unquote(parts.path).lstrip("/")
            url = item.url
        else:
            page = root.parent / unquote(parts.path)
            url = urljoin(source.url or root.resolve().as_uri(), item.url)
        if not page.resolve().is_relative_to(folder):
            problem = "feed links outside the feed's folder"
        elif not page.exists():
            yield Item(url=url, hints=item.hints, problem=f"no such file: {page}", failed=True)
            continue
        else:
            problem = folder_problem(page, folder)
        if problem:
            yield Item(url=url, hints=item.hints, problem=problem)
        else:
            yield Item(url=url, hints=item.hints, path=page.resolve(), lastmod=_stamp(page))


def _files_root(source: SourceConfig) -> Path:
    if source.path is not None:
        return source.path
    parts = urlsplit(source.url)
    if parts.scheme != "file":
        raise ValueError("a files source needs a path or a file: URL")
    return Path(url2pathname(parts.path))


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_mtime_ns}:{info.st_size}"


# the network kinds --------------------------------------------------------------------------------------

async def list_items(source: SourceConfig, *, fetcher: Fetcher, listing: Listing, etag: str | None = None,
                     last_modified: str | None = None, settled: datetime | None = None) -> AsyncIterator[Item]:
    """Yield the items of a `feed`, `sitemap` or `listing` source, fetching what it needs.

    The source URL is fetched with `If-None-Match`/`If-Modified-Since` from `etag`/`last_modified`; a 304
    sets `listing.not_modified` and yields nothing. A document that cannot be fetched or parsed is yielded
    as a failed item (its URL, the reason) and recorded in `listing.error`. Child sitemaps whose lastmod is
    not after `settled` (when everything listed last time was handled) are not fetched.
    """
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    root = await _document(source.url, fetcher=fetcher, listing=listing, headers=conditional, allowed=_hosts(source),
                           html_only=source.kind == "listing",
                           limit=MAX_SITEMAP_BYTES if source.kind == "sitemap" else None)
    if isinstance(root, Item):
        yield root
        return
    listing.etag, listing.last_modified = root.headers.get("etag"), root.headers.get("last-modified")
    if root.status == 304:
        listing.not_modified = True
        return
    if source.kind == "feed":
        try:
            items = parse_feed(root.body, base_url=root.final_url)
        except ValueError as exc:
            items = [_failure(source.url, str(exc), listing)]
        for item in items:
            yield item
    elif source.kind == "sitemap":
        async for item in _sitemap_items(root, source=source, fetcher=fetcher, listing=listing,
                                         settled=settled, depth=0, seen={source.url}):
            yield item
    elif source.kind == "listing":
        async for item in _listing_items(root, source=source, fetcher=fetcher, listing=listing):
            yield item
    else:
        raise ValueError(f"list_items does not read {source.kind!r} sources")


def _hosts(source: SourceConfig) -> tuple[str, ...]:
    """Where a source's own documents (feed, sitemaps, listing pages) may be: its allowed hosts, and its
    URL's host even when `allow` names only the hosts its articles live on."""
    return tuple(dict.fromkeys((origin_entry(source.url), *source.allowed_hosts)))


async def _document(url: str, *, fetcher: Fetcher, listing: Listing, headers: dict[str, str],
                    allowed: tuple[str, ...], html_only: bool, limit: int | None = None) -> Response | Item:
    try:
        return await fetcher.get(url, allowed_hosts=allowed, headers=headers, html_only=html_only, limit=limit)
    except (FetchError, Skip) as exc:
        return _failure(url, str(exc), listing)


def _failure(url: str, reason: str, listing: Listing) -> Item:
    listing.error = listing.error or f"{url}: {reason}"
    return Item(url=url, problem=reason, failed=True)


async def _sitemap_items(document: Response, *, source: SourceConfig, fetcher: Fetcher, listing: Listing,
                         settled: datetime | None, depth: int, seen: set[str]) -> AsyncIterator[Item]:
    try:
        sitemap = parse_sitemap(document.body)
    except ValueError as exc:
        yield _failure(document.url, str(exc), listing)
        return
    for item in sitemap.urls:
        yield item
    if sitemap.sitemaps and depth >= MAX_SITEMAP_DEPTH:
        # refused here, before any child is marked seen: one listed again by a shallower index is still read
        yield _failure(document.url, f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels", listing)
        return
    for child in sitemap.sitemaps:
        changed = child.hints.updated
        if child.url in seen or (settled and changed and changed <= settled):
            continue
        seen.add(child.url)
        fetched = await _document(child.url, fetcher=fetcher, listing=listing, headers={},
                                  allowed=_hosts(source), html_only=False, limit=MAX_SITEMAP_BYTES)
        if isinstance(fetched, Item):
            yield fetched
            continue
        async for item in _sitemap_items(fetched, source=source, fetcher=fetcher, listing=listing,
                                         settled=settled, depth=depth + 1, seen=seen):
            yield item


async def _listing_items(first: Response, *, source: SourceConfig, fetcher: Fetcher, listing: Listing) -> AsyncIterator[Item]:
    page: Response | Item = first
    visited = {first.url, first.final_url}
    for number in range(1, source.max_pages + 1):
        if isinstance(page, Item):
            yield page
            return
        try:
            html = decode_html(page.body, page.headers.get("content-type", ""))
            items, following = parse_listing(html, base_url=page.final_url, links=source.links, next=source.next)
        except (ValueError, Skip) as exc:
            yield _failure(page.url, str(exc), listing)
            return
        for item in items:
            yield item
        if not following or following in visited or number == source.max_pages:
            return
        visited.add(following)
        page = await _document(following, fetcher=fetcher, listing=listing, headers={},
                               allowed=_hosts(source), html_only=True)

