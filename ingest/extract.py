"""A fetched page to a `Release`: the one entry point of cleaning and extraction.

Each field comes from the module that owns it (decode, clean, metadata, dateline, agency, dates, language,
entities); this module only decides which source wins: the page first, then the feed's hints, then the
source's configured defaults.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone, tzinfo

from lxml.html import HtmlElement

from wiredesk.config import SourceConfig
from wiredesk.errors import Skip
from wiredesk.release import Dateline, Release, word_count

from .agency import INDIAN_WIRES, find_credit, normalise_agency
from .clean import CleanPage, clean, parse_html
from .dateline import DatelineMatch, find_dateline, parse_byline, parse_posted_line
from .dates import IST, first_date, parse_date, parse_day_month
from .decode import decode_html
from .entities import find_entities
from .gazetteer import city_country
from .language import detect_language, language_code
from .metadata import PageMeta, read_metadata
from .page import RawPage

__all__ = ["extract"]

_MIN_WORDS = 25  # fewer words than this is a stub, a listing or an error page, not a release
_MAX_CATEGORIES = 20


def extract(page: RawPage, *, source: SourceConfig | None = None) -> Release:
    """The release a page holds. Raises `Skip(reason)` for a page that holds none (binary, empty, a stub)."""
    html = decode_html(page.body, page.headers.get("content-type", ""))
    tree = parse_html(html)
    if tree is None:
        raise Skip("empty page")
    url = page.final_url or page.url
    meta = read_metadata(tree, url=url)
    cleaned = clean(html, url=url, rules=source.extract if source else None)
    body = cleaned.body
    words = word_count(body)
    if words < _MIN_WORDS:
        raise Skip(f"no article text ({words} words)")

    page_text = " ".join(tree.text_content().split())
    cleaned, dateline = _dateline(cleaned, tree, page_text)
    body = cleaned.body
    agency = _agency(cleaned, meta, dateline, source)
    zone = IST if agency in INDIAN_WIRES else timezone.utc
    published, updated = _dates(meta, page, dateline, zone=zone)
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


def _dateline(cleaned: CleanPage, tree: HtmlElement, page_text: str) -> tuple[CleanPage, DatelineMatch | None]:
    """The dateline, and the page with what comes before the dateline's paragraph (bullets, captions) cut:
    a wire story starts at its dateline."""
    located = find_dateline(cleaned.paragraphs)
    if located:
        index, found = located
        if 0 < index < len(cleaned.paragraphs) - 1:
            cleaned = replace(cleaned, paragraphs=cleaned.paragraphs[index:])
        return cleaned, found
    found = parse_posted_line(page_text)
    if found:
        return cleaned, found
    # bylines such as "PTI, Washington" sit in an element named for them
    for node in tree.xpath("//*[contains(@class,'byline') or contains(@class,'author') or contains(@class,'source')]")[:20]:
        text = " ".join(node.text_content().split())
        if 3 < len(text) < 60:
            found = parse_byline(text)
            if found:
                return cleaned, found
    return cleaned, None


def _agency(cleaned: CleanPage, meta: PageMeta, dateline: DatelineMatch | None, source: SourceConfig | None) -> str:
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
    if source and source.agency:
        return normalise_agency(source.agency) or source.agency
    return ""


def _dates(meta: PageMeta, page: RawPage, dateline: DatelineMatch | None, *, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    published = first_date(meta.published, zone=zone)
    updated = first_date(meta.updated, zone=zone) or page.hints.updated
    if published is None and dateline and dateline.date_text and dateline.raw.startswith("Posted On"):
        published = parse_date(dateline.date_text, zone=IST)
    if published is None:
        published = page.hints.published
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
