"""OPML, the outline format feed readers (Miniflux, FreshRSS, Feedly...) import and export subscriptions in:
a `<body>` of `<outline type="rss" text=... xmlUrl=... htmlUrl=...>`, possibly nested in category outlines.

Read without entity expansion, DTD loading, network access or huge-tree mode, and at most `MAX_BYTES`: a
hostile file cannot read local files, call out or take the memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Iterable

from lxml import etree

__all__ = ["Outline", "read_opml", "write_opml", "MAX_BYTES"]

MAX_BYTES = 10_000_000  # far above any reader's export (a thousand feeds take about 300 KB)


@dataclass(frozen=True)
class Outline:
    """One subscription: its feed's URL, its title, and the site's page when the file names it."""

    xml_url: str
    title: str = ""
    html_url: str = ""


def read_opml(data: bytes) -> list[Outline]:
    """The subscriptions of an OPML file, in document order, each feed URL once. ValueError when the data is
    not OPML (or is larger than MAX_BYTES)."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES} bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data.lstrip(), parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise ValueError("not OPML: the root element is not <opml>")
    outlines, seen = [], set()
    for node in root.iter():
        if not isinstance(node.tag, str) or etree.QName(node).localname.lower() != "outline":
            continue
        attributes = {key.lower(): " ".join((value or "").split()) for key, value in node.attrib.items()}
        url = attributes.get("xmlurl", "")
        if url and url not in seen:
            seen.add(url)
            outlines.append(Outline(url, attributes.get("title") or attributes.get("text", ""),
                                    attributes.get("htmlurl", "")))
    return outlines


def write_opml(outlines: Iterable[Outline], *, title: str = "wiredesk sources") -> str:
    """An OPML 2.0 document of `outlines`, as feed readers import it."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(timezone.utc))
    body = etree.SubElement(root, "body")
    for outline in outlines:
        attributes = {"type": "rss", "text": outline.title, "title": outline.title, "xmlUrl": outline.xml_url}
        if outline.html_url:
            attributes["htmlUrl"] = outline.html_url
        etree.SubElement(body, "outline", attributes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
