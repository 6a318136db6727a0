"""How an HTML document is read, a listing page as much as an article: its bytes to text (`decode_html`),
and the text to an element tree (`parse_html`). Sources read listing pages with it and extraction reads
articles, so it belongs to neither side.

Text is in the charset a browser would pick, corrected when the page declares it wrongly.

Order: a byte-order mark; then bytes that are valid UTF-8 are read as UTF-8 whatever the page declares
(many pages say windows-1252 or ISO-8859-1 but are UTF-8, and text in a legacy charset almost never forms
valid multi-byte UTF-8 by chance); then a page that is UTF-8 but for Windows-1252 characters pasted into it
(curly quotes and dashes from a word processor) is repaired with BeautifulSoup's `UnicodeDammit.detwingle`,
where decoding it whole as either charset garbles one part; then the HTTP header's charset, the `<meta>` or
XML declaration, and a statistical detector when none of those decodes cleanly. Binary bodies are refused
with `Skip`.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from lxml import etree
from lxml import html as lxml_html

from wiredesk.core.errors import Skip

__all__ = ["decode_html", "declared_charset", "parse_html"]

# Magic numbers of formats that are never an article page.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "font"),
    (b"wOF2", "font"),
    (b"\x7fELF", "executable"),
)

_NON_TEXT_TYPES = re.compile(r"^(image|audio|video|font)/|^application/(pdf|zip|gzip|octet-stream|x-|vnd\.)", re.I)
_TEXTISH_APP_TYPES = re.compile(r"(xml|json|javascript|xhtml)", re.I)

# What browsers do with legacy labels (WHATWG Encoding Standard): Latin-1 and ASCII mean windows-1252, and
# the Chinese, Japanese and Korean labels mean their supersets.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)["']""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    name = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str = "") -> str | None:
    """The charset the header, else the page itself (`<meta>` or XML declaration), declares; None if none."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match and _codec(match.group(1)):
        return _codec(match.group(1))
    head = body[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and _codec(found.group(1).decode("ascii", "ignore")):
            return _codec(found.group(1).decode("ascii", "ignore"))
    return None


def _refuse_binary(body: bytes, content_type: str) -> None:
    for magic, kind in _BINARY_MAGIC:
        if body.startswith(magic):
            raise Skip(f"binary body ({kind})")
    mime = (content_type or "").split(";")[0].strip()
    if mime and _NON_TEXT_TYPES.search(mime) and not _TEXTISH_APP_TYPES.search(mime):
        raise Skip(f"binary body ({mime})")
    sample = body[:8192]
    # UTF-16 pages carry a BOM; any other page with NUL bytes is not text
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Skip("binary body (NUL bytes)")


# control characters other than tab, newline, form feed and carriage return, and the replacement character
_NON_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _mostly_control(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    return len(_NON_TEXT.findall(sample)) / len(sample) > 0.1


def decode_html(body: bytes, content_type: str = "") -> str:
    """The page as text. Raises `Skip("binary body ...")` for images, archives and other non-text bodies."""
    _refuse_binary(body, content_type)
    text = _decode(body, content_type)
    if _mostly_control(text):
        raise Skip("binary body (mostly non-text)")
    return _without_controls(text)


# C0 control characters but tab, newline and carriage return, and DEL: never text, refused by XML (so by
# the parsers' own tree code, which then drops a whole page), and terminal escapes in output. Vertical tab
# and form feed are spaces; the others go. Also written as references (`&#27;`, `&#x1B;`).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_REFERENCE = re.compile(r"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|127)|[xX]0*(?:[0-8bBcC]|[eEfF]|1[0-9a-fA-F]|7[fF]));")


def _without_controls(text: str) -> str:
    def replaced(match: re.Match[str]) -> str:
        found = match.group(0)
        if len(found) == 1:
            code = ord(found)
        else:
            digits = found[2:-1]
            code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
        return " " if code in (0x0B, 0x0C) else ""

    text = _CONTROL_REFERENCE.sub(replaced, text) if "&#" in text else text
    return _CONTROL.sub(replaced, text)


# Charsets a page declares when its author's editor wrote Windows-1252 (the only kind `detwingle` repairs).
_WESTERN = ("cp1252", "iso8859-1", "iso8859-15")


def _utf8_with_windows_1252(body: bytes) -> str | None:
    """The text of a UTF-8 page with Windows-1252 bytes pasted in; None unless it holds multi-byte UTF-8
    characters and is valid UTF-8 once those bytes are converted (a page in Windows-1252 alone is not:
    its accented letters are not followed by the bytes UTF-8 would need)."""
    text = body.decode("utf-8", errors="replace")
    if len(text) - len(text.encode("ascii", "ignore")) == text.count("\ufffd"):
        return None  # not one valid multi-byte character: a legacy charset, for the declaration or the detector
    from bs4 import UnicodeDammit  # only for the few pages that get here

    try:
        return UnicodeDammit.detwingle(body).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode(body: bytes, content_type: str) -> str:
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(body, content_type)
    mixed = _utf8_with_windows_1252(body) if declared in (None, "utf-8", *_WESTERN) else None
    if mixed is not None:
        return mixed
    if declared and declared != "utf-8":
        try:
            return body.decode(declared)
        except UnicodeDecodeError:
            pass
    best = from_bytes(body[:200_000]).best()
    if best is not None:
        return body.decode(best.encoding, errors="replace")
    return body.decode(declared or "cp1252", errors="replace")


# Comments and processing instructions dropped while parsing, as the generic extractor's own parser does,
# so that the one tree parsed here can be handed to it as it is.
_PARSER = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)


def parse_html(html: str) -> lxml_html.HtmlElement | None:
    """The page's element tree, or None when there is nothing to parse. Never raises on bad markup."""
    # lxml refuses str input that carries an encoding declaration
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    if not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    # a line break parts the words on either side as a browser shows them, so every reader of the tree's
    # text (`text_content()`) sees "in Mexico City", not "inMexico City"
    for line_break in tree.iter("br"):
        line_break.tail = " " + (line_break.tail or "")
    return tree
