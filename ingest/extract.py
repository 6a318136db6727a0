"""Placeholder until the extraction stage lands: a page's <title> and paragraphs, nothing more."""

from __future__ import annotations

from bs4 import BeautifulSoup

from wiredesk.config import SourceConfig
from wiredesk.errors import Skip
from wiredesk.release import Release

from .page import RawPage

__all__ = ["extract"]


def extract(page: RawPage, *, source: SourceConfig | None = None) -> Release:
    soup = BeautifulSoup(page.body, "lxml")
    paragraphs = [p.get_text(" ", strip=True) for p in soup.find_all("p")]
    body = "\n\n".join(p for p in paragraphs if p)
    if not body:
        raise Skip("no article text found")
    title = soup.title.get_text(strip=True) if soup.title else ""
    return Release(body=body, title=title, url=page.url, source=page.source, fetched=page.fetched,
                   agency=source.agency if source else "").with_derived()
