"""A fetched page to a `Release`: the one entry point of cleaning and extraction.

Each field comes from the module that owns it (decode, clean, newsml for XML items, listing, metadata,
dateline, agency, dates, language, entities); the HTML is parsed once and the tree shared, read by
metadata first since cleaning consumes it. This module only decides which source wins: the page first,
then the feed's hints, then the source's configured defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo

from lxml.html import HtmlElement

from wiredesk.core.config import SourceConfig
from wiredesk.core.errors import Skip
from wiredesk.core.release import Dateline, Release, word_count

from .agency import INDIAN_WIRES, credit_prefix, find_credit, normalise_agency
from .clean import CleanPage, clean_tree, parse_html
from .dateline import DatelineMatch, find_dateline, parse_byline, parse_dateline, parse_posted_line
from .dates import IST, first_date, month_number, parse_date, parse_day_month, visible_date
from .decode import decode_html
from .entities import find_entities
from .gazetteer import city_country
from .language import detect_language, language_code
from .listing import headline_links, listing_reason
from .metadata import PageMeta, read_metadata
from .newsml import is_xml, read_news_item
from .page import RawPage

__all__ = ["extract"]

_MIN_WORDS = 25  # fewer words than this is a stub, a listing or an error page, not a release
_MAX_CATEGORIES = 20
_BYLINE_NODES = "//*[@class][contains(@class,'byline') or contains(@class,'author') or contains(@class,'source')]"
_TEXT_NODES = "//body//text()[not(ancestor::script) and not(ancestor::style)]"
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_MAX_STAMP_LINE = 120  # characters: a stamp line, not a paragraph that happens to mention a time


@dataclass(frozen=True)
class _Signals:
    """What extraction reads from the whole page before cleaning consumes it."""

    posted: str = ""  # the text around PIB's "Posted On" line, which sits outside the article text
    bylines: tuple[str, ...] = ()
    stamp: datetime | None = None  # a date and time printed on the page, when its metadata has none
    stamp_line: str = ""  # the text printed with it (often the source: `新华网河北频道 ( 2012-06-04 09:20 )`)
    dateline: str = ""  # a dateline given apart from the body (NewsML's `<DateLine>`)


def extract(page: RawPage, *, source: SourceConfig | None = None) -> Release:
    """The release a page holds. Raises `Skip(reason)` for a page that holds none (binary, empty, a stub,
    a listing, a feed)."""
    html = decode_html(page.body, page.headers.get("content-type", ""))
    if is_xml(html):
        item = read_news_item(html)
        if item is not None:
            return _release(page, item.page, item.meta, _Signals(dateline=item.dateline), source)
    tree = parse_html(html)
    if tree is None:
        raise Skip("empty page")
    url = page.final_url or page.url
    meta = read_metadata(tree, url=url)
    signals = _signals(tree, meta)
    links = headline_links(tree)
    cleaned = clean_tree(tree, url=url, rules=source.extract if source else None)
    reason = listing_reason(links=links, paragraphs=cleaned.paragraphs, is_article=meta.is_article)
    if reason:
        raise Skip(reason)
    return _release(page, cleaned, meta, signals, source)


def _signals(tree: HtmlElement, meta: PageMeta) -> _Signals:
    bylines = tuple(" ".join(node.text_content().split()) for node in tree.xpath(_BYLINE_NODES)[:20])
    stamp, line = _stamp(tree) if not meta.published else (None, "")
    return _Signals(posted=_posted_text(tree), bylines=bylines, stamp=stamp, stamp_line=line)


def _posted_text(tree: HtmlElement) -> str:
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


def _stamp(tree: HtmlElement) -> tuple[datetime | None, str]:
    """The date printed with a time of day nearest after the page's first h1 (a header's clock comes
    before it), and the short line that holds it. Date and time may sit in sibling elements
    (`<span>17:08</span> 10/04/2011`), so the line is the text's element or its parent, whichever first
    holds a whole stamp."""
    found: list[tuple[HtmlElement, datetime, str]] = []
    for text in tree.xpath(_TEXT_NODES):
        if not _CLOCK.search(text):
            continue
        element = text.getparent()
        for _ in range(2):
            if element is None:
                break
            line = " ".join(element.text_content().split())
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


def _release(page: RawPage, cleaned: CleanPage, meta: PageMeta, signals: _Signals, source: SourceConfig | None) -> Release:
    words = word_count(cleaned.body)
    if words < _MIN_WORDS:
        raise Skip(f"no article text ({words} words)")
    cleaned, dateline = _dateline(cleaned, signals)
    body = cleaned.body
    agency = _agency(cleaned, meta, dateline, signals, source)
    zone = IST if agency in INDIAN_WIRES else timezone.utc
    published, updated = _dates(meta, page, dateline, signals, zone=zone)
    entities = find_entities(f"{cleaned.title}\n\n{body}")
    country = dateline.country if dateline else None
    if dateline and dateline.city and not country:
        country = city_country(dateline.city.split("/")[0])
    return Release(
        body=body,
        url=meta.canonical or page.url,
        source=page.source,
        agency=agency,
        title=cleaned.title or meta.headline or page.hints.title,
        lead=_lead(cleaned, dateline, meta),
        published=published,
        updated=updated,
        fetched=page.fetched,
        dateline=Dateline(raw=dateline.raw if dateline else None, city=dateline.city if dateline else None, country=country),
        authors=_authors(meta, page),
        language=_language(meta, page, source, body),
        categories=_categories(meta, page),
        people=entities.people,
        organizations=entities.organizations,
        places=entities.places,
        acronyms=entities.acronyms,
    ).with_derived()


def _byline_head(text: str) -> str:
    """A byline up to its date: `PTI, Washington, Nov 20 2019, 10:18am` gives `PTI, Washington`."""
    head = re.split(r"\d", text, maxsplit=1)[0]
    words = head.replace(",", " , ").split()
    while words and (words[-1] == "," or month_number(words[-1])):
        words.pop()
    return " ".join(words).replace(" , ", ", ")


def _dateline(cleaned: CleanPage, signals: _Signals) -> tuple[CleanPage, DatelineMatch | None]:
    """The dateline, and the page with what comes before an opening dateline's paragraph (bullets,
    captions) or after a closing one (share prompts) cut: a wire story starts or ends at its dateline."""
    located = find_dateline(cleaned.paragraphs)
    if located:
        index, found = located
        if found.closing:
            cleaned = replace(cleaned, paragraphs=cleaned.paragraphs[: index + 1])
        elif 0 < index < len(cleaned.paragraphs) - 1:
            cleaned = replace(cleaned, paragraphs=cleaned.paragraphs[index:])
        return cleaned, found
    if signals.dateline:
        # NewsML prints the place alone (`GREENWICH, Conn.`); give it the dash a body dateline would have
        found = parse_dateline(signals.dateline) or parse_dateline(f"{signals.dateline} --")
        if found:
            return cleaned, replace(found, raw=signals.dateline)
    found = parse_posted_line(signals.posted)
    if found:
        return cleaned, found
    # bylines such as "PTI, Washington" sit in an element named for them
    for text in signals.bylines:
        head = _byline_head(text)
        if 3 < len(head) < 60:
            found = parse_byline(head)
            if found:
                return cleaned, found
    return cleaned, None


def _agency(cleaned: CleanPage, meta: PageMeta, dateline: DatelineMatch | None, signals: _Signals, source: SourceConfig | None) -> str:
    if dateline and dateline.credit:
        return dateline.credit
    closing = " ".join(cleaned.paragraphs[-1:] + cleaned.tail)
    credit = find_credit(closing)
    if credit:
        return credit
    for name in (*meta.authors, *meta.publishers):
        credit = normalise_agency(name)
        if credit:
            return credit
    credit = credit_prefix(signals.stamp_line) if signals.stamp_line else None
    if credit:
        return credit
    if source and source.agency:
        return normalise_agency(source.agency) or source.agency
    return ""


def _dates(meta: PageMeta, page: RawPage, dateline: DatelineMatch | None, signals: _Signals, *, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    published = first_date(meta.published, zone=zone)
    updated = first_date(meta.updated, zone=zone) or page.hints.updated
    if published is None and dateline and dateline.date_text and dateline.raw.startswith("Posted On"):
        published = parse_date(dateline.date_text, zone=IST)
    if published is None:
        published = page.hints.published
    if published is None and signals.stamp:
        # the stamp was read as UTC wall-clock time; a page prints its wire's local time
        published = signals.stamp.replace(tzinfo=zone).astimezone(timezone.utc)
    if published is None and dateline and dateline.date_text:
        reference = updated or page.fetched or datetime.now(timezone.utc)
        published = parse_day_month(dateline.date_text, reference=reference, zone=zone)
    if published is None:
        published = updated
    if updated is not None and published is not None and updated <= published:
        updated = None
    return published, updated


def _lead(cleaned: CleanPage, dateline: DatelineMatch | None, meta: PageMeta) -> str:
    if cleaned.paragraphs:
        first = cleaned.paragraphs[0]
        if dateline and first.startswith(dateline.raw):
            first = first[len(dateline.raw):].strip()
        elif dateline and " ".join(first.split()).startswith(dateline.raw):
            first = " ".join(first.split())[len(dateline.raw):].strip()
        if first:
            return first
    return meta.description


def _authors(meta: PageMeta, page: RawPage) -> tuple[str, ...]:
    names = []
    for name in (*meta.authors, *page.hints.authors):
        name = " ".join(name.split())
        if not name or "://" in name or len(name) > 60 or normalise_agency(name):
            continue
        names.append(name)
    return tuple(dict.fromkeys(names))


def _language(meta: PageMeta, page: RawPage, source: SourceConfig | None, body: str) -> str:
    return (
        language_code(meta.language)
        or language_code(page.hints.language)
        or language_code(source.language if source else "")
        or detect_language(body)
    )


def _categories(meta: PageMeta, page: RawPage) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in (*meta.tags, *page.hints.categories):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())[:_MAX_CATEGORIES]
