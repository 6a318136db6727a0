"""News items delivered as XML rather than as web pages: NewsML 1.2 (Business Wire), NewsML-G2
(GlobeNewswire; ANSA's and AFP's `newsMessage`, with the story as XHTML, escaped HTML or NITF), NITF (AP) and
the agency queue formats built the same way (Ritzau's `RBNews`).

Each is read into the shapes the HTML path produces, a `CleanPage` (headline and paragraphs) and a
`PageMeta` (dates, credit, language, tags, the item's own dateline element), so one code path makes the
release. Parsing is safe on hostile input: no entity expansion, no DTD, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from wiredesk.core.errors import Skip

from .clean import CleanPage, block_paragraphs, trim, unescape_entities
from .markup import parse_html
from .metadata import PageMeta

__all__ = ["NewsItem", "is_xml", "read_news_item"]

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)

# Root elements of XML documents that list many items rather than hold one: refused as no article.
_NOT_ARTICLES = {"rss": "a feed", "feed": "a feed", "rdf": "a feed", "urlset": "a sitemap", "sitemapindex": "a sitemap"}

# Element names (local, folded) of each part of an item, over the formats read here.
_TITLES = ("headline", "hl1", "title")
_SUBTITLES = ("subtitle", "hl2", "subheadline")
_BODIES = ("body.content", "content", "datacontent", "inlinexml", "inlinedata")
_PUBLISHED = ("firstcreated", "contentcreated", "date.issue", "publishdate", "pubdate", "datecreated")
_UPDATED = ("thisrevisioncreated", "versioncreated", "date.release", "modifieddate")
_DATELINES = ("dateline", "located")  # NewsML-G2 names the place alone: <located literal="NAPOLI"/>
_CREDITS = ("newsservice", "provider", "distributor", "doc.copyright", "copyrightholder", "origin", "creditline")

# A headline that is only a filing label ("PR / Spire Global, Inc."), where a subtitle carries the real one.
_LABEL = re.compile(r"^[A-Z]{1,6}\s*/\s*\S")


@dataclass(frozen=True)
class NewsItem:
    """One XML news item as the extraction stage uses it."""

    page: CleanPage
    meta: PageMeta  # its `dateline` is the item's own dateline element


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:[\w.-]+:)?(?P<name>[\w.-]+)", re.S)


def is_xml(text: str) -> bool:
    """True when `text` is an XML document (declared, or opening with a feed or news item root) rather
    than an HTML page."""
    head = text.lstrip("\ufeff")[:2000]
    match = _ROOT.match(head)
    if not match or match.group("name").lower() in ("html", "!doctype"):
        return False
    return head.lstrip().startswith("<?xml") or match.group("name").lower() in (*_NOT_ARTICLES, *_ITEMS, "newsmessage")


def _local(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _first(root: etree._Element, names: tuple[str, ...]) -> etree._Element | None:
    for name in names:
        for element in root.iter():
            if _local(element) == name and (_text(element) or element.attrib):
                return element
    return None


def _value(element: etree._Element | None) -> str:
    """An element's text, else the attribute such formats keep it in (`norm`, `FormalName`, `literal`)."""
    if element is None:
        return ""
    for key in ("norm", "FormalName", "literal", "holder", "Value"):
        if element.get(key):
            return element.get(key, "").strip()
    return unescape_entities(_text(element))


def _body(root: etree._Element) -> list[str]:
    """Paragraphs of the item's body: XHTML inside the item, or HTML escaped as text."""
    candidates = [e for e in root.iter() if _local(e) in _BODIES]
    # NITF's own body (inside a NewsML-G2 item too) leaves its headline and byline out
    candidates = [e for e in candidates if _local(e) == "body.content"] or candidates
    # NewsML 1.2 holds several content items (abstract, contact, body): the largest is the story
    best = max(candidates, key=lambda e: len(_text(e)), default=None)
    if best is None:
        return []
    # an XHTML document inside the item: its body, without the <head> and its <title>
    best = next((e for e in best.iter() if _local(e) == "body" and e is not best), best)
    markup = "".join(etree.tostring(child, encoding="unicode") for child in best) if len(best) else (best.text or "")
    tree = parse_html(f"<html><body><div>{markup}</div></body></html>")
    if tree is None:
        return []
    for header in tree.body.findall(".//header"):  # the story's slugline and headline (dpa), not its text
        header.drop_tree()
    return [unescape_entities(p) for p in block_paragraphs(tree.body)]


_ITEMS = ("nitf", "newsml", "newsitem")


def _item_root(root: etree._Element) -> etree._Element:
    """The element holding the first item: the root itself, the first item in a NewsML-G2 `newsMessage`,
    or (queue formats) the first element with a headline child."""
    if _local(root) in _ITEMS:
        return root
    found = next((e for e in root.iter() if _local(e) in _ITEMS), None)
    if found is not None:
        return found
    for element in root.iter():
        if any(_local(child) in _TITLES for child in element):
            return element
    return root


def _refuse_textless(root: etree._Element, item: etree._Element) -> None:
    """Raise `Skip` for a news item that holds no text (a picture, a video, a package of other items): read
    as an HTML page, its metadata would make up a story."""
    kind = next((e.get("qcode", "") for e in item.iter() if _local(e) == "itemclass"), "").rsplit(":", 1)[-1]
    if _local(item) in _ITEMS:
        raise Skip(f"no article: a {kind} item without text" if kind and kind != "text" else "no article: a news item without text")
    if any(_local(e) == "packageitem" for e in root.iter()):
        raise Skip("no article: a package of news items, not one")


def read_news_item(text: str) -> NewsItem | None:
    """The news item an XML document holds; None when it is not XML or holds no item with a body.
    Raises `Skip` for a feed or sitemap, which lists items rather than holding one."""
    # the text is decoded already (declared charsets are often wrong): drop the declaration that names one
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"), count=1).encode("utf-8")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if _local(root) in _NOT_ARTICLES:
        raise Skip(f"no article: {_NOT_ARTICLES[_local(root)]}, not a news item")
    item = _item_root(root)
    paragraphs = _body(item)
    if not paragraphs:
        _refuse_textless(root, item)
        return None
    title = _value(_first(item, _TITLES))
    subtitle = _value(_first(item, _SUBTITLES))
    if subtitle and (not title or _LABEL.match(title)):
        title = subtitle
    credits = [re.sub(r"\.[a-z]{2,3}$", "", _value(e)) for e in item.iter() if _local(e) in _CREDITS and _value(e)]
    envelope = [_value(e) for e in root.iter() if _local(e) in _CREDITS and _value(e)]
    language = next((e.get("FormalName") or e.get("tag") or "" for e in item.iter() if _local(e) == "language"), "")
    language = language or item.get(_XML_LANG) or root.get(_XML_LANG, "")
    meta = PageMeta(
        published=tuple(v for v in (_value(_first(item, (name,))) for name in _PUBLISHED) if v),
        updated=tuple(v for v in (_value(_first(item, (name,))) for name in _UPDATED) if v),
        publishers=tuple(dict.fromkeys(credits + envelope)),
        language=language,
        headline=title,
        dateline=_value(_first(item, _DATELINES)),
    )
    kept, tail = trim(paragraphs, headline=title, description="")
    return NewsItem(page=CleanPage(title=title, paragraphs=tuple(kept), tail=tuple(tail)), meta=meta)
