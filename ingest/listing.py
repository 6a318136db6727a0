"""Pages that hold no article: section fronts and release listings, told from articles with their teasers.

A listing page links many headlines, does not call itself an article (no JSON-LD `NewsArticle` or
`og:type` article) nor give its publication time in its metadata, has no dateline opening a story nor a
wire's credit or sign-off closing one (`(ANI)`, `... Reuter`), and,
once cleaned, has at most a couple of paragraphs of prose (a cookie notice, a "JavaScript must be enabled"
line), fewer words of it than its headline links hold. When in doubt the page is an article: a wrong "listing" loses a story for good, a wrong "article"
only indexes a page too many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from lxml import html as lxml_html

__all__ = ["HeadlineLinks", "headline_links", "listing_reason"]

_MIN_HEADLINE_LINKS = 10
_MAX_PROSE = 2
_SENTENCE_END = re.compile(r"[.!?\"”’)]\s*$")


@dataclass(frozen=True)
class HeadlineLinks:
    """The distinct links of a page that read like headlines, and how many words they hold."""

    count: int
    words: int


def headline_links(tree: lxml_html.HtmlElement) -> HeadlineLinks:
    """The page's distinct links that read like headlines (four words or more, under 200 characters)."""
    texts = set()
    for anchor in tree.iter("a"):
        text = " ".join(anchor.text_content().split())
        if 20 <= len(text) <= 200 and len(text.split()) >= 4:
            texts.add(text.casefold())
    return HeadlineLinks(count=len(texts), words=sum(len(text.split()) for text in texts))


def _prose(paragraph: str) -> bool:
    return len(paragraph.split()) >= 20 and bool(_SENTENCE_END.search(paragraph))


def listing_reason(*, links: HeadlineLinks, paragraphs: Sequence[str], is_article: bool, dated: bool = False,
                   has_dateline: bool = False, signed: bool = False) -> str | None:
    """Why a page is a listing rather than an article, or None when it may be an article. `signed`: its text
    ends with a wire's credit or sign-off, as a story does."""
    if is_article or dated or has_dateline or signed or links.count < _MIN_HEADLINE_LINKS:
        return None
    prose = [p for p in paragraphs if _prose(p)]
    if len(prose) > _MAX_PROSE or sum(len(p.split()) for p in prose) >= links.words:
        return None
    return f"no article: looks like a listing page ({links.count} headline links, {len(prose)} paragraph{'' if len(prose) == 1 else 's'} of prose)"
