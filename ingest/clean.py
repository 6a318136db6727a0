"""HTML to headline and article paragraphs, without the page's chrome.

The generic part is trafilatura's (it scores better on news pages than anything we would hand-write); this
module adds what it misses: per-source CSS rules (matched in `rules`), article bodies split into sibling
chunks, lists of related links, the headline repeated at the top, and trailing wire and site boilerplate
(copyright lines, "View source version", PIB's `*****` and release ids), while a press release's About and
contact sections stay. Scripts are never run: the page is only parsed.

A little over 400 lines: what is cut before the generic extractor runs (furniture, link boxes) and what is
trimmed from its output share thresholds, and reading them side by side is what keeps the two in step.
"""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from wiredesk.core.config import ExtractRules

from .dateline import parse_dateline
from .dates import is_date_line
from .markup import parse_html
from .rules import has_rules, mark_rules, marked

__all__ = ["CleanPage", "clean", "clean_tree", "body_text", "block_paragraphs", "fold", "trim", "unescape_entities"]

# Block elements of a page: each one found under a CSS-rule body becomes a paragraph.
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt")

# A list is a box of links (menu, related stories) when link text makes up more than this share of its
# items' text on average; the generic extractor's output is filtered by the same share.
# The generic extractor runs XPath steps such as `//p//text()`, whose cost libxml2 makes grow with the square
# of the nodes they gather: 300,000 tiny paragraphs took minutes. A page with more elements than this goes to
# `dense_paragraphs`, which is linear; the largest real pages measured have about 9,000 (most under 2,000),
# and a page of this many takes the generic extractor a few seconds in its worst shape.
MAX_GENERIC_ELEMENTS = 10_000
_LINK_LIST_SHARE = 0.6
_MIN_LINK_LIST = 3  # items: before extraction, two links side by side may still be the story's
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_MAX_LIST_HEADING = 40  # characters: "Related stories", "More from the desk"

# A class token naming the article's text container; only such containers are merged when split in chunks.
_BODY_CLASS = re.compile(r"(body|content|article|story|text|entry|post)", re.I)

# class/id words of page furniture: newsletter and cookie prompts, share bars, related and promoted stories.
# Matched on whole class/id tokens (split at `-`, `_` and case changes), so "shared-content" is not "share".
_CHROME_WORDS = frozenset(
    "newsletter newsletters subscribe subscription signup sign-up cookie cookies consent gdpr share sharing "
    "social sharebar related recommended recommendations promo promoted sponsored outbrain taboola "
    "trending popular mostread most-read most-popular advert advertisement ads ad adslot dfp paywall "
    "reprints breadcrumb breadcrumbs byline-share toolbar tools comments comment disqus "
    "also-read alsoread read-more readmore more-stories morestories".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])(?=[A-Z])")
# class/id words of the lines a page prints around its headline: the byline and the date. Not "dateline",
# which on a wire's page holds the story's own first words.
_META_WORDS = frozenset("byline byl author authors date time timestamp pubdate published posted meta".split())

# Elements that begin a block of text; one with none of them inside it is one paragraph of the page.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header li main nav ol p pre section table td th tr ul".split()
)

# Lines that end a story on wire and news pages but are not part of it. Matched against a whole paragraph.
_TRAILING_BOILERPLATE = re.compile(
    r"^(?:"
    r"[*\s]{3,}"  # PIB and others close with a row of asterisks
    r"|\(?release id:?\s*\d+\)?"
    r"|view source version on .*"
    r"|(?:©|\(c\)|copyright\b).{0,200}"
    r"|.{0,120}\ball rights reserved\.?"
    r"|[A-Z]{1,4}(?:/[A-Z][A-Za-z]{0,9}){1,5}"  # staff initials such as `SK/SM`, `SR/Savvy`
    r"|thanks? (?:you )?for (?:signing up|subscribing).*"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,80}newsletter.*"
    r"|(?:also read|read more|related|see also|advertisement|share this|follow us)\b.{0,120}"
    r"|read this (?:release|story|article|page) in\b.{0,200}"  # a language switcher
    r"|visitor counter\b.{0,40}"
    # a reprinting outlet's note about its syndicated copy
    r"|.{0,200}\b(?:auto-generated|syndicated feed|not been edited by)\b.{0,200}"
    r")$",
    re.I | re.S,
)


# The lines wires close a story with: who reported, wrote and edited it. What follows them on a page is
# not the story (a teaser, a standards note, a newsletter prompt).
_CLOSING_CREDIT = re.compile(
    r"^\(?(?:(?:additional )?reporting|writing|editing|compiled|edited|written) by\b"
    r"|\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?\)?$",
    re.I,
)
_SEPARATOR = re.compile(r"^[_=~*\-\s]{3,}$")  # a rule drawn in text (`___`) before a story's appendix
_CLOSING_LOOKBACK = 4  # paragraphs from the end where a closing credit or a rule is looked for
_MAX_APPENDIX = 3  # paragraphs after them that are cut; more, and the page goes on with more story


@dataclass(frozen=True)
class CleanPage:
    """A page's headline and article text, paragraph by paragraph."""

    title: str
    paragraphs: tuple[str, ...]
    tail: tuple[str, ...] = ()  # trailing lines cut as boilerplate; wire credits such as "© dpa" live there

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def fold(text: str) -> str:
    """Text reduced to lower-case words, for comparing headlines and paragraphs."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,6});")


def unescape_entities(text: str) -> str:
    """Text with entities left over from escaping twice decoded (`Spire&apos;s`, `&#039;megablaze&#039;`)."""
    return html_entities.unescape(text) if _ENTITY.search(text) else text


def _drop(element: lxml_html.HtmlElement) -> None:
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _meta(tree: lxml_html.HtmlElement, *names: str) -> str:
    for name in names:
        for node in tree.xpath("//meta[@property=$n or @name=$n]", n=name):
            content = _squash(node.get("content") or "")
            if content:
                return content
    return ""


# " | ANI News", " - Reuters", " – Site Name": a short tail after a separator, which names the site.
_SITE_SUFFIX = re.compile(r"\s+[|\-–—:·»]\s+[^|\-–—:·»]{2,40}$")


def _headline(tree: lxml_html.HtmlElement) -> str:
    return unescape_entities(_find_headline(tree))


def _find_headline(tree: lxml_html.HtmlElement) -> str:
    for node in marked(tree, "title"):
        text = _squash(node.text_content())
        if text:
            return text
    social = _meta(tree, "og:title", "twitter:title")
    titles = tree.xpath("//title")
    page_title = _squash(titles[0].text_content()) if titles else ""
    references = [fold(t) for t in (social, page_title) if t]
    h1s = [t for t in (_squash(h.text_content()) for h in tree.xpath("//h1")[:5]) if t]
    # the h1 is the headline when the page's own title or og:title agrees with it (site names and
    # truncation aside); otherwise it is often the site's logo. Of several that agree, the one og:title
    # names, else the longest: a logo h1 ("World News: Site") also sits inside the <title>.
    agreeing = [
        text for text in h1s
        if len(fold(text)) > 10 and any(fold(text) in ref or (len(ref) > 20 and ref.rstrip(". ") in fold(text)) for ref in references)
    ]
    if agreeing:
        exact = [text for text in agreeing if social and fold(text) == fold(social)]
        return (exact or sorted(agreeing, key=len, reverse=True))[0]
    if social:
        return _SITE_SUFFIX.sub("", social).strip()
    # without og:title, a headline marked up as such (hAtom, schema.org microdata) beats a <title> that
    # often names only the site ("News from The Associated Press")
    for node in tree.xpath("//*[@itemprop='headline']|//*[@class][contains(concat(' ', normalize-space(@class), ' '), ' entry-title ')]")[:3]:
        text = _squash(node.text_content())
        if 10 < len(text) < 300:
            return text
    if page_title:
        return _SITE_SUFFIX.sub("", page_title).strip()
    return h1s[0] if h1s else ""


@lru_cache(maxsize=4096)
def _class_words(raw: str) -> frozenset[str]:
    """The words of a `class id` string: whole tokens (split at spaces, `_` and case changes) and their
    dash-separated parts ("most-popular" and "most", "popular"). Cached: a page repeats the same few class
    strings on thousands of elements."""
    tokens = {t.lower() for t in _TOKEN_SPLIT.split(raw) if t}
    return frozenset(tokens | {p for t in tokens for p in t.split("-") if p})


def _names_chrome(raw: str) -> bool:
    """Whether a `class id` string names page furniture."""
    return bool(_class_words(raw) & _CHROME_WORDS)


def _drop_chrome(tree: lxml_html.HtmlElement) -> None:
    """Remove page furniture named as such in class or id, unless it holds much of the page's prose."""
    total = sum(len(p.text_content()) for p in tree.iter("p")) or 1
    doomed = []
    for element in tree.iter("div", "section", "aside", "ul", "ol", "form", "span", "p", "figure", "nav", "footer"):
        if element.get("class") is None and element.get("id") is None:
            continue
        if not _names_chrome(f"{element.get('class', '')} {element.get('id', '')}"):
            continue
        prose = sum(len(p.text_content()) for p in element.iter("p"))
        # a wrapper whose class mentions "share" may still wrap the story itself
        if prose > 0.3 * total:
            continue
        doomed.append(element)
    for element in doomed:
        _drop(element)


def _visible_chars(element: lxml_html.HtmlElement) -> int:
    """Characters of text, whitespace aside: indentation between tags is not text."""
    return len("".join(element.text_content().split()))


def _drop_link_lists(tree: lxml_html.HtmlElement) -> None:
    """Remove lists whose items are mostly link text (menus, "related" and "more from" boxes), with a short
    heading right above one. They are never the story, and on a news page they are most of its text, which
    sends the generic extractor into its slow fallbacks (its recall retry runs when the extracted text is a
    small share of the page's)."""
    doomed: list[lxml_html.HtmlElement] = []
    for element in tree.iter("ul", "ol"):
        items = list(element.iterchildren("li"))
        if len(items) < _MIN_LINK_LIST or any(a in doomed for a in element.iterancestors("ul", "ol")):
            continue
        shares = []
        for item in items:
            text = _visible_chars(item)
            shares.append(sum(_visible_chars(a) for a in item.iter("a")) / text if text else 1.0)
        if sum(shares) / len(shares) > _LINK_LIST_SHARE:
            doomed.append(element)
    for element in doomed:
        heading = element.getprevious()
        if heading is not None and heading.tag in _HEADINGS and len(_squash(heading.text_content())) < _MAX_LIST_HEADING:
            _drop(heading)
        _drop(element)


def _merge_split_bodies(tree: lxml_html.HtmlElement) -> None:
    """Join an article body that the page splits into sibling chunks (ads or widgets between them).

    Generic extractors keep the best single container and lose the chunks after it. Containers that
    share the same tag and class, name a text container, and each hold paragraphs of prose are moved into
    the first one.
    """
    groups: dict[tuple[str, str], list[lxml_html.HtmlElement]] = {}
    for element in tree.xpath("//div[@class]|//section[@class]"):
        cls = " ".join(element.get("class", "").split())
        if not _BODY_CLASS.search(cls):
            continue
        prose = sum(len(p.text_content()) for p in element.xpath("./p"))
        if prose >= 200:
            groups.setdefault((element.tag, cls), []).append(element)
    for members in groups.values():
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            if any(a is first for a in other.iterancestors()) or any(a is other for a in first.iterancestors()):
                continue
            for child in list(other):
                first.append(child)
            _drop(other)


def block_paragraphs(container: lxml_html.HtmlElement) -> list[str]:
    """The text of each outermost block element (`p`, `li`, `h2`...) in `container` (itself included), or
    its whole text when it has none. One pass, whatever the nesting: a block's inside is not walked."""
    blocks, stack = [], [container]
    while stack:
        element = stack.pop()
        if element.tag in _BLOCKS:
            blocks.append(element)
        else:
            stack.extend(reversed(element))  # children, so that they pop in document order
    texts = [_squash(b.text_content()) for b in blocks] if blocks else [_squash(container.text_content())]
    return [t for t in texts if t]


def dense_paragraphs(tree: lxml_html.HtmlElement) -> list[str]:
    """The article text of a page too large for the generic extractor, in linear time: the outermost blocks
    of the element whose paragraphs (its own, and half its children's) hold the most text, as readability
    scores them; the whole body's blocks when the page has no paragraph."""
    scores: dict[lxml_html.HtmlElement, float] = {}
    for paragraph in tree.iter("p"):
        size = len(paragraph.text_content())  # paragraphs do not nest in parsed HTML: one pass in all
        parent = paragraph.getparent()
        for ancestor, share in ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5)):
            if ancestor is not None:
                scores[ancestor] = scores.get(ancestor, 0.0) + share * size
    if scores:
        container = max(scores, key=scores.__getitem__)
    else:
        container = tree.find("body") if tree.find("body") is not None else tree
    return block_paragraphs(container)


def _rule_paragraphs(tree: lxml_html.HtmlElement) -> list[str]:
    # a container inside another one matched is read with it
    containers = marked(tree, "body")
    inside = {id(e) for c in containers for e in c.iterdescendants()}
    return [text for container in containers if id(container) not in inside for text in block_paragraphs(container)]


# The elements of the generic extractor's output that sit inside a line of text (a link, emphasis, a
# deletion); every other one (a line break, a list item, a table cell) separates words.
_INLINE = frozenset({"ref", "hi", "del"})


def _block_text(block: etree._Element) -> str:
    """A block of the generic extractor's output as one line: a link's text runs into the comma after it
    ("from the pandemic, but"), a line break or a cell boundary is a space."""
    parts: list[str] = []
    for event, node in etree.iterwalk(block, events=("start", "end")):
        spaced = node is not block and node.tag not in _INLINE
        if event == "start":
            parts.append(" " if spaced else "")
            parts.append(node.text or "" if isinstance(node.tag, str) else "")
        elif node is not block:
            parts.append(" " if spaced else "")
            parts.append(node.tail or "")
    return _squash("".join(parts))


def _link_share(element: etree._Element) -> float:
    text = _block_text(element)
    linked = sum(len(_block_text(ref)) for ref in element.iter("ref"))
    return linked / len(text) if text else 0.0


def _generic_paragraphs(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    document = trafilatura.bare_extraction(
        tree, url=url or None, include_comments=False, include_tables=True, include_links=True, with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    paragraphs: list[str] = []
    for block in body:
        if block.tag == "list":
            items = [item for item in block.iter("item") if _block_text(item)]
            # a list of links is a "related stories" box, not part of the story
            if len(items) >= 2 and sum(_link_share(i) for i in items) / len(items) > _LINK_LIST_SHARE:
                continue
            paragraphs.extend(_block_text(i) for i in items)
        else:
            text = _block_text(block)
            if text:
                paragraphs.append(text)
    return paragraphs


# Short lines that open an extracted body before the story: photo credits and captions' credits.
_LEADING_CREDIT = re.compile(r"^(?:©|\(c\)|(?:AP |AFP |Reuters )?photo\b|file photo\b)", re.I)
_SHORT = 120  # characters; a section name, ministry or kicker above a headline is shorter than this


@lru_cache(maxsize=1)
def _language_names() -> frozenset[str]:
    return frozenset(name.casefold() for lang in pycountry.languages if hasattr(lang, "alpha_2") for name in lang.name.split("; "))


def _language_bar(text: str) -> bool:
    """A line of language names only ("Hindi", "English | Urdu"): a switcher, not the story."""
    words = [w for w in re.split(r"[\s|,/·•]+", text.casefold()) if w]
    return 0 < len(words) <= 10 and all(w in _language_names() for w in words)


def _is_headline(paragraph: str, heads: set[str]) -> bool:
    folded = fold(paragraph)
    return bool(folded) and any(folded == h or (len(folded) > 20 and h.startswith(folded)) for h in heads)


def trim(paragraphs: list[str], *, headline: str, description: str,
         meta_lines: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """Drop the page's header from the top (the headline repeated, the short lines above it, the byline
    and date lines among `meta_lines` (folded) or printed as a date with a name at the top, up to the story's dateline; a standfirst that repeats the summary, photo credits) and
    boilerplate from the end."""
    heads = {fold(headline)} - {""}
    start = 0
    for index, paragraph in enumerate(paragraphs[:6]):
        if _is_headline(paragraph, heads) or (len(paragraph) < _SHORT and fold(paragraph) in meta_lines):
            start = index + 1
        elif len(paragraph) > _SHORT or parse_dateline(paragraph):
            break  # the story has begun: a dateline opens it
        elif index == start and is_date_line(paragraph):
            start = index + 1  # only above everything kept: below a line of the story it may be the story's
    if start and start < len(paragraphs) and description and fold(paragraphs[start]) == fold(description):
        start += 1
    while start < len(paragraphs) and len(paragraphs[start]) < _SHORT and _LEADING_CREDIT.match(paragraphs[start]):
        start += 1
    kept = list(paragraphs)
    # the headline run into the story's first paragraph, as a page without block markup comes out
    if start < len(kept) and headline and kept[start].startswith(headline + " ") and len(kept[start]) > len(headline) + 200:
        kept[start] = kept[start][len(headline):].strip()
    end = len(kept)
    while end > start and (_TRAILING_BOILERPLATE.match(kept[end - 1].strip()) or _language_bar(kept[end - 1])):
        end -= 1
    end = _story_end(kept, start, end)
    return kept[start:end], kept[end:]


def _story_end(paragraphs: list[str], start: int, end: int) -> int:
    """Where the story ends: after a closing credit (`(Reporting by ...)`, `... contributed to this
    report.`) that a few paragraphs follow, or before a rule (`___`) that a few short lines follow (a
    digest's items between rules are paragraphs of story)."""
    for index in range(end - 1, max(end - _CLOSING_LOOKBACK, start) - 1, -1):
        if _CLOSING_CREDIT.search(paragraphs[index].strip()):
            return index + 1 if end - index - 1 <= _MAX_APPENDIX else end
    for index in range(end - 1, max(end - _CLOSING_LOOKBACK, start + 1) - 1, -1):
        if _SEPARATOR.match(paragraphs[index]):
            after = paragraphs[index + 1:end]
            return index if len(after) <= _MAX_APPENDIX and all(len(p) < _SHORT for p in after) else end
    return end


def _names_meta(element: lxml_html.HtmlElement) -> bool:
    """Whether the element or one of its three nearest ancestors is named for a byline, an author or a date."""
    for node in (element, *list(element.iterancestors())[:3]):
        if (node.get("class") or node.get("id")) and _class_words(f"{node.get('class', '')} {node.get('id', '')}") & _META_WORDS:
            return True
    return False


def _text_blocks(tree: lxml_html.HtmlElement) -> list[tuple[str, bool]]:
    """The page's text as a browser lays it out in blocks, in page order: each run of text and inline
    elements inside a block element, up to the next block element in it (a `<header>`'s logo link before
    its `<nav>` is one block, the `<nav>` another). Each with whether it is a short byline or date line:
    it holds a `<time>`, or its element is named for a byline, an author or a date."""
    body = tree.find("body")
    if body is None:
        return []
    found: list[tuple[str, bool]] = []

    def flush(parts: list[str], has_time: bool, element: lxml_html.HtmlElement) -> None:
        text = _squash("".join(parts))
        if text:
            found.append((text, len(text) < _SHORT and (has_time or _names_meta(element))))

    for element in body.iter(*_BLOCK_TAGS):
        parts, has_time = [element.text or ""], False
        for child in element:
            if child.tag in _BLOCK_TAGS:
                flush(parts, has_time, element)
                parts, has_time = [], False
            elif isinstance(child.tag, str):
                parts.append(child.text_content())
                has_time = has_time or child.tag == "time" or next(child.iter("time"), None) is not None
            parts.append(child.tail or "")
        flush(parts, has_time, element)
    return found


def _split_merged(paragraphs: list[str], blocks: list[tuple[str, bool]]) -> list[str]:
    """The extracted paragraphs, each one that is several of the page's blocks run together (the generic
    extractor's fallback for a short story reads its container as one text: headline, byline, date and
    paragraphs) split back into those blocks."""
    folded = [fold(text) for text, _ in blocks]
    starts: dict[str, list[int]] = {}
    for index, words in enumerate(folded):
        starts.setdefault(words.split(" ", 1)[0], []).append(index)
    out: list[str] = []
    for paragraph in paragraphs:
        words = fold(paragraph)
        span = next((s for s in (_covering(words, folded, i) for i in starts.get(words.split(" ", 1)[0], ())) if s), None)
        if span:
            out.extend(blocks[i][0] for i in span)
        else:
            out.append(paragraph)
    return out


def _covering(words: str, folded: list[str], first: int) -> range | None:
    """Blocks `first`, `first + 1`, ... whose words, in order, are exactly `words`; None unless two or more."""
    if not words.startswith(folded[first]):
        return None
    position, end = len(folded[first]), first + 1
    while position < len(words) and end < len(folded) and words.startswith(f" {folded[end]}", position):
        position += len(folded[end]) + 1
        end += 1
    return range(first, end) if position == len(words) and end - first > 1 else None


_MAX_BETWEEN_COPIES = 2  # lines (a headline, a byline) between a story and its repeat


def _without_repeat(paragraphs: list[str], headings: frozenset[str]) -> list[str]:
    """The story once where the generic extractor gave it twice, the second time with the headline or
    byline above it (its fallback for a short story reads the story's container as well): the paragraphs
    are a run, one or two of the page's headings or byline lines (`headings`, folded), and the run again.
    A table that repeats its lines under a subheading of its own ("Nine mths") is left whole."""
    total = len(paragraphs)
    for size in range((total - 1) // 2, 0, -1):
        between = paragraphs[size:total - size]
        if 0 < len(between) <= _MAX_BETWEEN_COPIES and paragraphs[:size] == paragraphs[total - size:] \
                and all(fold(p) in headings for p in between):
            return paragraphs[:size]
    return paragraphs


def _page_paragraphs(tree: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """The page's `<p>` texts in order, folded and as printed, to find what comes right before the
    extracted body (the generic extractor may consume the tree, so this is read first)."""
    return [(fold(text), text) for text in (_squash(p.text_content()) for p in tree.iter("p")) if text]


def _recover_dateline(paragraphs: list[str], page: list[tuple[str, str]]) -> list[str]:
    """Put back a dateline paragraph the generic extractor dropped: the page paragraph right before the
    body's first one, when it opens with a wire dateline (`MEXICO CITY (AP) —`) and the body has none."""
    if not paragraphs or any(parse_dateline(p) for p in paragraphs[:3]):
        return paragraphs
    first = fold(paragraphs[0])
    for index, (folded, _) in enumerate(page):
        if folded == first:
            before = page[index - 1][1] if index else ""
            if len(before) > 60 and parse_dateline(before):
                return [before, *paragraphs]
            break
    return paragraphs


def clean(html: str, *, url: str = "", rules: ExtractRules | None = None) -> CleanPage:
    """The headline and article paragraphs of an HTML page; empty when the page has no article text.
    `rules`: a source's CSS selectors, which win over generic extraction where they match."""
    tree = parse_html(html)
    if tree is not None and rules is not None and has_rules(rules):
        tree = mark_rules(tree, html, rules, parse=parse_html)
    if tree is None:
        return CleanPage(title="", paragraphs=())
    return clean_tree(tree, url=url)


def clean_tree(tree: lxml_html.HtmlElement, *, url: str = "") -> CleanPage:
    """`clean` on a parsed page (with `rules.mark_rules` applied where the source has rules). The tree is consumed
    (chrome is cut from it): give a copy to keep it."""
    headline = _headline(tree)
    description = _meta(tree, "og:description", "description", "twitter:description")
    for element in marked(tree, "remove"):
        _drop(element)
    paragraphs = _rule_paragraphs(tree)
    if not paragraphs and sum(1 for _ in tree.iter()) > MAX_GENERIC_ELEMENTS:
        paragraphs = dense_paragraphs(tree)
    generic = not paragraphs
    if generic:
        _drop_chrome(tree)
        _drop_link_lists(tree)
        _merge_split_bodies(tree)
    blocks = _text_blocks(tree)
    if generic:
        page = _page_paragraphs(tree)
        headings = frozenset(fold(h.text_content()) for h in tree.iter("h1", "h2", "h3")) | {
            fold(text) for text, meta in blocks if meta}
        paragraphs = _without_repeat(_split_merged(_generic_paragraphs(tree, url), blocks), headings)
    meta_lines = frozenset(fold(text) for text, meta in blocks if meta)
    kept, tail = trim(paragraphs, headline=headline, description=description, meta_lines=meta_lines)
    if generic:
        kept = _recover_dateline(kept, page)
    return CleanPage(title=headline, paragraphs=tuple(kept), tail=tuple(tail))


def body_text(html: str, url: str = "") -> str:
    """The article text of a page, paragraphs separated by blank lines (the evaluator's entry point)."""
    return clean(html, url=url).body
