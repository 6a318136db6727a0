"""HTML to headline and article paragraphs, without the page's chrome.

The generic part is trafilatura's (it scores better on news pages than anything we would hand-write); this
module adds what it misses: per-source CSS rules, article bodies split into sibling chunks, lists of
related links, the headline repeated at the top, and trailing wire and site boilerplate (copyright lines,
"View source version", PIB's `*****` and release ids), while a press release's About and contact sections
stay. Scripts are never run: the page is only parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector, SelectorError

from wiredesk.config import ExtractRules

__all__ = ["CleanPage", "clean", "body_text", "parse_html", "fold"]

_NO_RULES = ExtractRules()

# Block elements of a page: each one found under a CSS-rule body becomes a paragraph.
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt")

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

# Lines that end a story on wire and news pages but are not part of it. Matched against a whole paragraph.
_TRAILING_BOILERPLATE = re.compile(
    r"^(?:"
    r"[*\s]{3,}"  # PIB and others close with a row of asterisks
    r"|\(?release id:?\s*\d+\)?"
    r"|view source version on .*"
    r"|(?:©|\(c\)|copyright\b).{0,200}"
    r"|.{0,120}\ball rights reserved\.?"
    r"|[A-Z]{1,4}(?:/[A-Z]{1,4}){1,5}"  # staff initials such as `SK/SM`
    r"|thanks? (?:you )?for (?:signing up|subscribing).*"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,80}newsletter.*"
    r"|(?:also read|read more|related|see also|advertisement|share this|follow us)\b.{0,120}"
    r")$",
    re.I | re.S,
)


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


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    """The page's element tree, or None when there is nothing to parse. Never raises on bad markup."""
    # lxml refuses str input that carries an encoding declaration
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _select(tree: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    try:
        return CSSSelector(selector)(tree)
    except (SelectorError, etree.XPathError):
        return []


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


def _headline(tree: lxml_html.HtmlElement, rules: ExtractRules) -> str:
    if rules.title:
        for node in _select(tree, rules.title):
            text = _squash(node.text_content())
            if text:
                return text
    social = _meta(tree, "og:title", "twitter:title")
    titles = tree.xpath("//title")
    page_title = _squash(titles[0].text_content()) if titles else ""
    references = [fold(t) for t in (social, page_title) if t]
    for h1 in tree.xpath("//h1")[:5]:
        text = _squash(h1.text_content())
        folded = fold(text)
        # the h1 is the headline when the page's own title or og:title agrees with it (site names and
        # truncation aside); otherwise it is often the site's logo
        if len(folded) > 10 and any(folded in ref or (len(ref) > 20 and ref.rstrip(". ") in folded) for ref in references):
            return text
    for candidate in (social, page_title):
        if candidate:
            return _SITE_SUFFIX.sub("", candidate).strip()
    h1s = [t for t in (_squash(h.text_content()) for h in tree.xpath("//h1")) if t]
    return h1s[0] if h1s else ""


def _chrome_tokens(element: lxml_html.HtmlElement) -> set[str]:
    raw = f"{element.get('class', '')} {element.get('id', '')}"
    tokens = {t.lower() for t in _TOKEN_SPLIT.split(raw) if t}
    # also each dash-separated part, and adjacent pairs ("most-popular" and "most", "popular")
    parts = {p for t in tokens for p in t.split("-") if p}
    return tokens | parts


def _drop_chrome(tree: lxml_html.HtmlElement) -> None:
    """Remove page furniture named as such in class or id, unless it holds much of the page's prose."""
    total = sum(len(p.text_content()) for p in tree.iter("p")) or 1
    doomed = []
    for element in tree.iter("div", "section", "aside", "ul", "ol", "form", "span", "p", "figure", "nav", "footer"):
        if element.get("class") is None and element.get("id") is None:
            continue
        if not (_chrome_tokens(element) & _CHROME_WORDS):
            continue
        prose = sum(len(p.text_content()) for p in element.iter("p"))
        # a wrapper whose class mentions "share" may still wrap the story itself
        if prose > 0.3 * total:
            continue
        doomed.append(element)
    for element in doomed:
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


def _rule_paragraphs(tree: lxml_html.HtmlElement, selector: str) -> list[str]:
    paragraphs: list[str] = []
    for container in _select(tree, selector):
        blocks = [b for b in container.iter(*_BLOCKS) if not any(a.tag in _BLOCKS for a in b.iterancestors())]
        texts = [_squash(b.text_content()) for b in blocks] if blocks else [_squash(container.text_content())]
        paragraphs.extend(t for t in texts if t)
    return paragraphs


def _link_share(element: etree._Element) -> float:
    text = _squash(" ".join(element.itertext()))
    linked = sum(len(_squash(" ".join(ref.itertext()))) for ref in element.iter("ref"))
    return linked / len(text) if text else 0.0


def _generic_paragraphs(tree: lxml_html.HtmlElement, url: str) -> list[str]:
    document = trafilatura.bare_extraction(
        lxml_html.tostring(tree, encoding="unicode"), url=url or None, include_comments=False, include_tables=True, include_links=True, with_metadata=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    paragraphs: list[str] = []
    for block in body:
        if block.tag == "list":
            items = [item for item in block.iter("item") if _squash(" ".join(item.itertext()))]
            # a list of links is a "related stories" box, not part of the story
            if len(items) >= 2 and sum(_link_share(i) for i in items) / len(items) > 0.6:
                continue
            paragraphs.extend(_squash(" ".join(i.itertext())) for i in items)
        else:
            text = _squash(" ".join(block.itertext()))
            if text:
                paragraphs.append(text)
    return paragraphs


def _trim(paragraphs: list[str], *, headline: str, description: str) -> tuple[list[str], list[str]]:
    """Drop the headline (and a standfirst right after it) from the top and boilerplate from the end."""
    heads = {fold(headline)} - {""}
    start = 0
    while start < len(paragraphs):
        folded = fold(paragraphs[start])
        if folded and any(folded == h or (len(folded) > 20 and h.startswith(folded)) for h in heads):
            start += 1
            # a standfirst that repeats the page's summary belongs to the header, not the story
            if start < len(paragraphs) and description and fold(paragraphs[start]) == fold(description):
                start += 1
            continue
        break
    end = len(paragraphs)
    while end > start and _TRAILING_BOILERPLATE.match(paragraphs[end - 1].strip()):
        end -= 1
    return paragraphs[start:end], paragraphs[end:]


def clean(html: str, *, url: str = "", rules: ExtractRules | None = None) -> CleanPage:
    """The headline and article paragraphs of an HTML page; empty when the page has no article text."""
    rules = rules or _NO_RULES
    tree = parse_html(html)
    if tree is None:
        return CleanPage(title="", paragraphs=())
    headline = _headline(tree, rules)
    description = _meta(tree, "og:description", "description", "twitter:description")
    for selector in rules.remove:
        for element in _select(tree, selector):
            _drop(element)
    paragraphs = _rule_paragraphs(tree, rules.body) if rules.body else []
    if not paragraphs:
        _drop_chrome(tree)
        _merge_split_bodies(tree)
        paragraphs = _generic_paragraphs(tree, url)
    kept, tail = _trim(paragraphs, headline=headline, description=description)
    return CleanPage(title=headline, paragraphs=tuple(kept), tail=tuple(tail))


def body_text(html: str, url: str = "") -> str:
    """The article text of a page, paragraphs separated by blank lines (the evaluator's entry point)."""
    return clean(html, url=url).body
