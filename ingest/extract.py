"""A fetched page to a `Release`: extraction as one ordered list of steps.

    STEPS = (decode, clean, metadata, language, dateline, listing, agency, length, dates, entities)

Every step takes a `Draft` (the page, what the steps before it read, and the release filled so far) and
returns a new one, or raises `Skip(reason)` when the page holds no release; `pipeline.run_steps` runs them
and names the step at fault for any other error. Each step only asks the module that owns its field
(decode, clean, newsml, metadata, listing, dateline, agency, dates, entities, language) and decides which
statement wins: the page first, then the feed's hints, then the source's configured defaults.

The language comes before the dateline, whose city is put in English only for text in another language;
the agency before the dates, because a time printed without a zone is the wire's local time.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from wiredesk.core.config import SourceConfig
from wiredesk.core.errors import Skip
from wiredesk.core.release import Dateline, Hints, Release, word_count
from wiredesk.core.urls import origin_entry, scope_problem

from .agency import WIRE_ZONES, byline_credit, credit_prefix, find_credit, find_sign_off, normalise_agency, path_credit
from .clean import CleanPage, clean_tree
from .dateline import DatelineMatch, find_dateline, parse_byline, parse_dateline, parse_posted_line
from .dates import first_date, month_number, parse_date, parse_day_month
from .entities import find_entities
from .gazetteer import city_country, city_zone
from .language import detect_language, language_code
from .listing import headline_links, listing_reason
from .markup import decode_html, parse_html
from .metadata import PageMeta, read_metadata
from .newsml import NewsItem, is_xml, read_news_item
from .page import RawPage
from .pipeline import run_steps
from .rules import has_rules, mark_rules

__all__ = ["Draft", "STEPS", "extract", "warm_up"]

_MIN_WORDS = 25  # fewer words than this, and nothing that marks them as a story, is a stub or an error page
_MAX_CATEGORIES = 20


@dataclass(frozen=True)
class Draft:
    """A page on its way to a release: what the steps so far have read, and the release they have filled.

    `tree` is the parsed HTML page, left whole (cleaning works on a copy), so every step may read it;
    an XML news item has `item` instead.
    """

    page: RawPage
    source: SourceConfig | None = None
    release: Release = field(default_factory=lambda: Release(body=""))
    text: str = ""
    tree: HtmlElement | None = None
    item: NewsItem | None = None
    cleaned: CleanPage = field(default_factory=lambda: CleanPage(title="", paragraphs=()))
    meta: PageMeta = field(default_factory=PageMeta)
    dateline: DatelineMatch | None = None  # as found: its credit and date text serve the agency and dates
    credited: bool = False  # the page itself names the wire (not the source's configured default)

    def filled(self, **fields: object) -> Draft:
        """The draft with these fields of its release set."""
        return replace(self, release=replace(self.release, **fields))


def extract(page: RawPage, *, source: SourceConfig | None = None) -> Release:
    """The release a page holds. Raises `Skip(reason)` for a page that holds none (binary, empty, a stub,
    a listing, a feed), `pipeline.StepError` when a step fails otherwise."""
    start = Draft(page=page, source=source, release=Release(body="", source=page.source, fetched=page.fetched))
    return run_steps(start, STEPS).release.with_derived()


_WARM_UP_PAGE = (b"<html><head><title>Minister opens solar park in Jaipur</title></head><body><article>"
                 b"<h1>Minister opens solar park in Jaipur</h1><p>JAIPUR, April 15 (PTI): Union Minister Anil Mehra "
                 b"on Tuesday opened a 500-megawatt solar park near Jaipur built by Suryodaya Renewables Ltd, the "
                 b"Ministry of New and Renewable Energy (MNRE) said in a statement issued in New Delhi.</p>"
                 b"</article></body></html>")


def warm_up() -> None:
    """Extract a small built-in page: what extraction loads on its first page (the gazetteer, the entity
    tables, the language model) is then loaded, so that a worker's first page is timed like the others."""
    page = RawPage(url="https://wiredesk.invalid/warm-up.html", body=_WARM_UP_PAGE,
                   fetched=datetime.now(timezone.utc), source="")
    try:
        extract(page)
    except Skip:
        pass


# the steps, in order -------------------------------------------------------------------------------------

def decode(draft: Draft) -> Draft:
    """Bytes to text, then to a document: an XML news item (NewsML, NITF) or an HTML tree, with the
    elements the source's CSS rules match marked."""
    page = draft.page
    text = decode_html(page.body, page.headers.get("content-type", ""))
    if is_xml(text):
        item = read_news_item(text)
        if item is not None:
            return replace(draft, text=text, item=item)
    tree = parse_html(text)
    rules = draft.source.extract if draft.source else None
    if tree is not None and rules is not None and has_rules(rules):
        tree = mark_rules(tree, text, rules, parse=parse_html)
    if tree is None:
        raise Skip("empty page")
    return replace(draft, text=text, tree=tree)


def clean(draft: Draft) -> Draft:
    """The headline and the story's paragraphs, without the page's chrome."""
    if draft.item is not None:
        cleaned = draft.item.page
    else:
        assert draft.tree is not None  # decode gives an item or a tree
        page = draft.page
        cleaned = clean_tree(copy(draft.tree), url=page.final_url or page.url)
    return replace(draft, cleaned=cleaned).filled(body=cleaned.body, title=cleaned.title)


def metadata(draft: Draft) -> Draft:
    """What the page says about itself: its address, headline, authors and tags; the feed's hints where
    it is silent."""
    page = draft.page
    if draft.item is not None:
        meta = draft.item.meta
    else:
        assert draft.tree is not None  # decode gives an item or a tree
        meta = read_metadata(draft.tree, url=page.final_url or page.url)
    return replace(draft, meta=meta).filled(
        url=_identity(page, meta.canonical, draft.source),
        title=draft.release.title or meta.headline or page.hints.title,
        authors=_authors(meta, page),
        categories=_categories(meta, page),
    )


def listing(draft: Draft) -> Draft:
    """Refuse a page that lists headlines rather than telling one story (one that opens with a dateline,
    closes with a wire's credit or sign-off, or dates itself in its metadata tells one)."""
    if draft.tree is None:
        return draft
    paragraphs = draft.cleaned.paragraphs
    reason = listing_reason(links=headline_links(draft.tree), paragraphs=paragraphs,
                            is_article=draft.meta.is_article, dated=draft.meta.dated,
                            has_dateline=draft.dateline is not None,
                            signed=any(_closing_credit(p) for p in paragraphs[-2:]))  # before a reporting line
    if reason:
        raise Skip(reason)
    return draft


def length(draft: Draft) -> Draft:
    """Refuse a page without a story: no words at all, or a few words that nothing marks as a story (an
    error page, a teaser). A dateline, a wire credit printed on the page or the page calling itself an
    article makes a two-line dividend notice a release."""
    words = word_count(draft.cleaned.body)
    if words == 0 or (words < _MIN_WORDS and not (draft.dateline or draft.credited or draft.meta.is_article)):
        raise Skip(f"no article text ({words} words)")
    return draft


def dateline(draft: Draft) -> Draft:
    """The dateline, and the body cut to the story: what comes before an opening dateline's paragraph
    (bullets, captions) or after a closing one (share prompts) goes, since a wire story starts or ends at
    its dateline."""
    cleaned, found = _find_dateline(draft.cleaned, draft.meta)
    country = found.country if found else None
    if found and found.city and not country:
        country = city_country(found.city.split("/")[0])
    # a name in another language is put in English (`ROMA` is Rome); English text keeps its own (`PEKING`)
    city = (found.printed if draft.release.language == "en" else found.city) if found else None
    place = Dateline(raw=found.raw if found else None, city=city, country=country)
    return replace(draft, cleaned=cleaned, dateline=found).filled(
        body=cleaned.body, dateline=place, lead=_lead(cleaned, found, draft.meta))


def agency(draft: Draft) -> Draft:
    """The wire that issued the story: named on the page or in its feed entry, else the folder of its
    address named for a wire, else the source's configured one."""
    page = draft.page
    name = (_page_agency(draft.cleaned, draft.meta, draft.dateline, page.hints)
            or path_credit(page.final_url or page.url) or "")
    credited = bool(name)
    if not name and draft.source and draft.source.agency:
        name = normalise_agency(draft.source.agency) or draft.source.agency
    return replace(draft, credited=credited).filled(agency=name)


def dates(draft: Draft) -> Draft:
    """When the story was published, as an instant and in the story's own time, and last updated.

    The story's zone is its source's configured `timezone`, else its wire's home zone, else its dateline
    city's; a time the page prints without a zone is read there, and so is the local time of one given in
    UTC. Without any of them, UTC."""
    zone = _story_zone(draft)
    published, updated = _dates(draft.meta, draft.page, draft.dateline, zone=zone or timezone.utc)
    local = None
    if published is not None:
        local = published if published.utcoffset() or zone is None else published.astimezone(zone)
        local = local.astimezone(timezone(local.utcoffset() or timedelta(0)))  # a fixed offset, as printed
    return draft.filled(published=published, published_local=local, updated=updated)


def entities(draft: Draft) -> Draft:
    """People, organisations, places, acronyms and the countries the story is about (its dateline's among
    them), from the headline and the story."""
    found = find_entities(draft.cleaned.body, title=draft.cleaned.title,
                          dateline_country=draft.release.dateline.country)
    return draft.filled(people=found.people, organizations=found.organizations, places=found.places,
                        countries=found.countries, acronyms=found.acronyms)


def language(draft: Draft) -> Draft:
    """The language the page declares, else the feed's or the source's, else the one its text is in."""
    meta, page, source = draft.meta, draft.page, draft.source
    code = (
        language_code(meta.language)
        or language_code(page.hints.language)
        or language_code(source.language if source else "")
        or detect_language(draft.cleaned.body)
    )
    return draft.filled(language=code)


STEPS = (decode, clean, metadata, language, dateline, listing, agency, length, dates, entities)


# what the steps decide ------------------------------------------------------------------------------------

def _identity(page: RawPage, canonical: str, source: SourceConfig | None) -> str:
    """The URL the release is known by (its id comes from it): the page's canonical URL only when it lies on
    a host the source allows (the page's own host for a source that names none), else the page's own URL,
    so no page can take over another source's release by naming its URL. Without a source (`wiredesk
    extract`, which stores nothing) the canonical URL is shown as the page gives it."""
    if not canonical or source is None:
        return canonical or page.url
    hosts = source.allowed_hosts or tuple(h for h in (origin_entry(page.final_url or page.url),) if h)
    return canonical if hosts and not scope_problem(canonical, hosts) else page.url


def _byline_head(text: str) -> str:
    """A byline up to its date: `PTI, Washington, Nov 20 2019, 10:18am` gives `PTI, Washington`."""
    head = re.split(r"\d", text, maxsplit=1)[0]
    words = head.replace(",", " , ").split()
    while words and (words[-1] == "," or month_number(words[-1])):
        words.pop()
    return " ".join(words).replace(" , ", ", ")


def _find_dateline(cleaned: CleanPage, meta: PageMeta) -> tuple[CleanPage, DatelineMatch | None]:
    located = find_dateline(cleaned.paragraphs)
    if located:
        index, found = located
        if found.closing:
            cleaned = replace(cleaned, paragraphs=cleaned.paragraphs[: index + 1])
        elif 0 < index < len(cleaned.paragraphs) - 1 and (found.credit or found.date_text):
            # only a dateline that dates or credits the story marks where it begins
            cleaned = replace(cleaned, paragraphs=cleaned.paragraphs[index:])
        return cleaned, found
    if meta.dateline:
        # NewsML prints the place alone (`GREENWICH, Conn.`); give it the dash a body dateline would have
        found = parse_dateline(meta.dateline) or parse_dateline(f"{meta.dateline} --")
        if found:
            return cleaned, replace(found, raw=meta.dateline)
    found = parse_posted_line(meta.posted)
    if found:
        return cleaned, found
    # bylines such as "PTI, Washington" sit in an element named for them
    for text in meta.bylines:
        head = _byline_head(text)
        if 3 < len(head) < 60:
            found = parse_byline(head)
            if found:
                return cleaned, found
    return cleaned, None


def _page_agency(cleaned: CleanPage, meta: PageMeta, dateline: DatelineMatch | None, hints: Hints) -> str:
    """The wire the page itself names, most telling first: its dateline, the credit or sign-off closing
    the story (or the paragraph before a reporting line), a byline, the page's author and publisher metadata (JSON-LD), a source line printed with
    its date, the feed entry's author or the dateline opening its summary; "" when none does."""
    found = (
        (dateline.credit if dateline else None)
        or next((name for text in reversed(cleaned.paragraphs[-2:]) if (name := _closing_credit(text))), None)
        or find_credit(" ".join(cleaned.tail))
        or next((name for text in meta.bylines if (name := byline_credit(text))), None)
        or next((name for text in (*meta.authors, *meta.publishers) if (name := normalise_agency(text))), None)
        or (credit_prefix(meta.stamp_line) if meta.stamp_line else None)
        or next((name for text in hints.authors if (name := normalise_agency(text))), None)
        or (summary.credit if (summary := parse_dateline(hints.summary)) else None)
    )
    return found or ""


def _closing_credit(last: str) -> str | None:
    """The wire a story's last paragraph closes with: a credit ending it (`(dpa/gem)`) or a sign-off (`Reuter`)."""
    return find_credit(last, closing=True) or find_sign_off(last)


def _story_zone(draft: Draft) -> tzinfo | None:
    source, city, country = draft.source, draft.release.dateline.city, draft.release.dateline.country
    name = ((source.timezone if source else "") or WIRE_ZONES.get(draft.release.agency)
            or (city_zone(city.split("/")[0], country=country) if city else None))
    return ZoneInfo(name) if name else None


def _dates(meta: PageMeta, page: RawPage, dateline: DatelineMatch | None, *, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    published = first_date(meta.published, zone=zone)
    updated = first_date(meta.updated, zone=zone) or page.hints.updated
    if published is None and dateline and dateline.date_text and dateline.raw.startswith("Posted On"):
        published = parse_date(dateline.date_text, zone=zone)
    if published is None:
        published = page.hints.published
    if published is None and meta.stamp:
        # the stamp was read as UTC wall-clock time; a page prints its story's local time
        published = meta.stamp.replace(tzinfo=zone)
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


def _categories(meta: PageMeta, page: RawPage) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in (*meta.tags, *page.hints.categories):
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())[:_MAX_CATEGORIES]
