"""Pages that hold no article: section fronts and release listings, told from articles with their teasers.

A listing page links many headlines, does not call itself an article (no JSON-LD `NewsArticle` or
`og:type` article) and, once cleaned, has at most a couple of paragraphs of prose (a cookie notice, a
"JavaScript must be enabled" line) between menus and link lists.
"""

from __future__ import annotations

import re
from typing import Sequence

from lxml import html as lxml_html

__all__ = ["headline_links", "listing_reason"]

_MIN_HEADLINE_LINKS = 10
_MAX_PROSE = 2
_SENTENCE_END = re.compile(r"[.!?\"”’)]\s*$")


def headline_links(tree: lxml_html.HtmlElement) -> int:
    """How many distinct links on the page read like headlines (four words or more, under 200 characters)."""
    texts = set()
    for anchor in tree.iter("a"):
        text = " ".join(anchor.text_content().split())
        if 20 <= len(text) <= 200 and len(text.split()) >= 4:
            texts.add(text.casefold())
    return len(texts)


def _prose(paragraph: str) -> bool:
    return len(paragraph.split()) >= 20 and bool(_SENTENCE_END.search(paragraph))


def listing_reason(*, links: int, paragraphs: Sequence[str], is_article: bool) -> str | None:
    """Why a page is a listing rather than an article, or None when it may be an article."""
    if is_article or links < _MIN_HEADLINE_LINKS:
        return None
    prose = sum(_prose(p) for p in paragraphs)
    if prose > _MAX_PROSE:
        return None
    return f"no article: looks like a listing page ({links} headline links, {prose} paragraphs of prose)"
