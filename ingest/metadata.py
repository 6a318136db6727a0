"""What a page says about itself outside its text: JSON-LD, meta tags, `<time>`, `<link rel=canonical>`, `lang`,
and the lines printed around the story (bylines, PIB's `Posted On` line, a date stamp).

Values are returned raw (strings, in the page's order of trust); `dates`, `agency` and `language` interpret
them. Reading never raises on bad JSON or odd markup: a broken block is ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator
from urllib.parse import urljoin

from lxml import html as lxml_html

from .dateline import parse_posted_line
from .dates import visible_date
from .rules import marked

__all__ = ["PageMeta", "read_metadata"]

# JSON-LD types that describe an article; a page's other objects (Organization, BreadcrumbList) are ignored.
_ARTICLE_TYPES = re.compile(r"(Article|BlogPosting|Report|PressRelease|Posting|WebPage)$")
# Meta names, in order of trust, compared without case and punctuation (`pub_date` is `PubDate`).
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "article:published",
    "datePublished", "pubdate", "publishdate", "publication_date", "published_time", "published_date",
    "date_published", "article.published", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date",
    "citation_date", "date", "displaydate", "cxenseparse:recs:publishtime",
)
_UPDATED_META = ("article:modified_time", "og:updated_time", "og:modified_time", "dateModified", "date_modified",
                 "lastmod", "last-modified", "dcterms.modified", "dc.date.modified", "article.updated")
_TAG_META = ("article:tag", "news_keywords", "keywords", "article:section", "parsely-section")
_AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")
_BYLINE_NODES = "//*[@class][contains(@class,'byline') or contains(@class,'author') or contains(@class,'source')]"
_TEXT_NODES = "//body//text()[not(ancestor::script) and not(ancestor::style)]"
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_MAX_STAMP_LINE = 120  # characters: a stamp line, not a paragraph that happens to mention a time


@dataclass(frozen=True)
class PageMeta:
    published: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = ""
    canonical: str = ""
    headline: str = ""
    description: str = ""
    article_body: str = ""
    is_article: bool = False  # the page says it is one article (JSON-LD NewsArticle and kin, og:type article)
    dated: bool = False  # its JSON-LD or meta tags give its publication time (a listing's teasers' <time>s do not count)
    bylines: tuple[str, ...] = ()  # the text of elements named for a byline, author or source
    posted: str = ""  # the text around PIB's "Posted On" line, which sits outside the article text
    stamp: datetime | None = None  # a date and time printed on the page, read only when the metadata has none
    stamp_line: str = ""  # the text printed with it (often the source: `新华网河北频道 ( 2012-06-04 09:20 )`)
    dateline: str = ""  # a dateline given apart from the body (NewsML's `<DateLine>`)


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value)


def _names(value: Any) -> list[str]:
    """Person or organisation names from a JSON-LD value (a string, an object with `name`, or a list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")] if "," in value else [value.strip()]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _json_ld(tree: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    found = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        for obj in _objects(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                found.append(obj)
    # articles before generic web pages
    found.sort(key=lambda o: "WebPage" in str(o.get("@type")))
    return found


def _meta_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _meta_values(tree: lxml_html.HtmlElement, names: tuple[str, ...]) -> list[str]:
    wanted: dict[str, int] = {}
    for index, name in enumerate(names):
        wanted.setdefault(_meta_key(name), index)
    hits: list[tuple[int, str]] = []
    for node in tree.iter("meta"):
        key = _meta_key(node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv") or "")
        if key in wanted:
            value = (node.get("content") or node.get("datetime") or "").strip()
            if value:
                hits.append((wanted[key], value))
    return [value for _, value in sorted(hits, key=lambda h: h[0])]


def read_metadata(tree: lxml_html.HtmlElement, *, url: str = "") -> PageMeta:
    """The page's own statements about itself, each list in order of trust."""
    articles = _json_ld(tree)
    # a source's `date` rule first: whoever configured it knows the page
    published = [value for node in marked(tree, "date") if (value := _node_date(node))]
    published += [str(o[k]) for o in articles for k in ("datePublished", "dateCreated") if isinstance(o.get(k), (str, int))]
    updated = [str(o["dateModified"]) for o in articles if isinstance(o.get("dateModified"), (str, int))]
    published += _meta_values(tree, _PUBLISHED_META)
    dated = bool(published)
    updated += _meta_values(tree, _UPDATED_META)
    for node in tree.xpath("//*[@itemprop='datePublished' or @pubdate]|//time[@datetime]"):
        value = (node.get("datetime") or node.get("content") or "").strip()
        if value:
            published.append(value)
    # hAtom microformats: `<div class="published" title="2016-06-13T1603Z">`; the cheap @title test goes
    # first, so the string functions run on the few elements that have one
    for kind, found in (("published", published), ("updated", updated)):
        for node in tree.xpath(f"//*[@title][contains(concat(' ', normalize-space(@class), ' '), ' {kind} ')]")[:3]:
            found.append(node.get("title", "").strip())
    authors = [n for o in articles for n in _names(o.get("author"))] + _meta_values(tree, _AUTHOR_META)
    publishers = [n for o in articles for n in _names(o.get("publisher")) + _names(o.get("sourceOrganization"))]
    tags = [t for o in articles for t in _strings(o.get("keywords")) + _strings(o.get("articleSection"))]
    tags += [t for value in _meta_values(tree, _TAG_META) for t in _strings(value)]
    html_lang = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    language = html_lang or next(iter(_meta_values(tree, ("content-language", "og:locale", "language", "dc.language"))), "")
    for node in tree.xpath("//meta[@http-equiv]"):
        if not language and (node.get("http-equiv") or "").lower() == "content-language":
            language = (node.get("content") or "").strip()
    canonical = ""
    for node in tree.xpath("//link[@rel='canonical'][@href]"):
        href = node.get("href", "").strip()
        if href and not href.startswith(("javascript:", "#")):
            canonical = urljoin(url, href) if url else href
            break
    if not canonical:
        canonical = next(iter(_meta_values(tree, ("og:url",))), "")
    headline = next((o["headline"] for o in articles if isinstance(o.get("headline"), str)), "")
    description = next(iter(_meta_values(tree, ("og:description", "description", "twitter:description"))), "")
    body = max((o["articleBody"] for o in articles if isinstance(o.get("articleBody"), str)), key=len, default="")
    is_article = any("WebPage" not in str(o.get("@type")) for o in articles) or any(
        v.lower() == "article" for v in _meta_values(tree, ("og:type",)))
    bylines = tuple(" ".join(node.text_content().split()) for node in tree.xpath(_BYLINE_NODES)[:20])
    stamp, stamp_line = _stamp(tree) if not published else (None, "")
    return PageMeta(
        published=tuple(published), updated=tuple(updated),
        authors=tuple(dict.fromkeys(a.strip() for a in authors if a and a.strip())),
        publishers=tuple(dict.fromkeys(p.strip() for p in publishers if p and p.strip())),
        tags=tuple(dict.fromkeys(t for t in tags if t and len(t) <= 60)),
        language=language, canonical=canonical if canonical.startswith(("http://", "https://")) else "",
        headline=headline.strip(), description=description, article_body=body, is_article=is_article, dated=dated,
        bylines=bylines, posted=_posted_text(tree), stamp=stamp, stamp_line=stamp_line,
    )


def _node_date(node: lxml_html.HtmlElement) -> str:
    """The date an element states: its `datetime` or `content` attribute, else its text."""
    return (node.get("datetime") or node.get("content") or " ".join(node.text_content().split())).strip()


def _posted_text(tree: lxml_html.HtmlElement) -> str:
    """The element text holding a `Posted On` line (its date may sit in a child `<time>`); "" when none."""
    body = tree.find("body")
    # one pass over the page's text in C rules out most pages before the per-node search below
    if body is None or "posted" not in body.text_content().casefold():
        return ""
    for text in tree.xpath("//body//text()[contains(translate(., 'POSTED', 'posted'), 'posted')]")[:5]:
        element = text.getparent()
        for _ in range(2):
            if element is None:
                break
            line = " ".join(element.text_content().split())
            if parse_posted_line(line):
                return line
            element = element.getparent()
    return ""


def _stamp(tree: lxml_html.HtmlElement) -> tuple[datetime | None, str]:
    """The date printed with a time of day nearest after the page's first h1 (a header's clock comes
    before it), and the short line that holds it. Date and time may sit in sibling elements
    (`<span>17:08</span> 10/04/2011`), so the line is the text's element or its parent, whichever first
    holds a whole stamp."""
    found: list[tuple[lxml_html.HtmlElement, datetime, str]] = []
    lines: dict[lxml_html.HtmlElement, str] = {}  # each element's text is read once: many times would be quadratic
    for text in tree.xpath(_TEXT_NODES):
        if not _CLOCK.search(text):
            continue
        element = text.getparent()
        for _ in range(2):
            if element is None:
                break
            line = lines.get(element)
            if line is None:
                line = lines[element] = " ".join(element.text_content().split())
            if len(line) > _MAX_STAMP_LINE:
                break
            stamp = visible_date(line)
            if stamp:
                found.append((element, stamp, line))
                break
            element = element.getparent()
    if not found:
        return None, ""
    heading = next(tree.iter("h1"), None)
    if heading is not None:
        order = {element: index for index, element in enumerate(tree.iter())}
        after = [f for f in found if order.get(f[0], -1) > order[heading]]
        found = after or found
    return found[0][1], found[0][2]
