"""Bytes to text as a browser would read them, with wrongly declared pages repaired and binaries refused."""

import pytest

from wiredesk.ingest.markup import decode_html
from wiredesk.core.errors import Skip

TEXT = "«Tatort» aus München — café"


def test_utf8_page_declaring_windows_1252_is_read_as_utf8():
    body = f'<meta charset="windows-1252"><p>{TEXT}</p>'.encode("utf-8")
    assert TEXT in decode_html(body, "text/html; charset=ISO-8859-1")


def test_real_windows_1252_page():
    body = '<meta charset="windows-1252"><p>caf\u00e9 \u201cquoted\u201d</p>'.encode("cp1252")
    assert "café “quoted”" in decode_html(body)


def test_bom_wins_and_legacy_cjk_declared_in_meta():
    assert decode_html(b"\xef\xbb\xbf<p>x</p>") == "<p>x</p>"
    assert decode_html("<p>héllo</p>".encode("utf-16")) == "<p>héllo</p>"
    body = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>话剧巡演结束</p>'.encode("gb18030")
    assert "话剧巡演结束" in decode_html(body)


@pytest.mark.parametrize("body, content_type", [
    (b"%PDF-1.7 binary", ""),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ""),
    (b"PK\x03\x04zipped", ""),
    (b"<p>text</p>\x00\x00\x00", ""),
    (b"<html></html>", "image/jpeg"),
    (bytes(range(1, 32)) * 50, ""),
])
def test_binary_bodies_are_skipped(body, content_type):
    with pytest.raises(Skip, match="binary body"):
        decode_html(body, content_type)


def test_utf8_page_with_windows_1252_quotes_pasted_in_keeps_both():
    body = ('<meta charset="utf-8"><p>Café owners in München said ' .encode("utf-8")
            + b"\x93we will stay open\x94 \x96 for now.</p>")
    assert "Café owners in München said “we will stay open” – for now." in decode_html(body)


def test_windows_1252_page_is_not_taken_for_mixed_utf8():
    body = '<meta charset="windows-1252"><p>Café, crème brûlée — “déjà vu”</p>'.encode("cp1252")
    assert "Café, crème brûlée — “déjà vu”" in decode_html(body)


@pytest.mark.parametrize("control", ["\x0b", "\x08", "\x1b", "\x1a", "\x7f", "&#27;", "&#x1B;", "&#011;"])
def test_one_control_character_in_a_paragraph_keeps_the_story(control):
    from wiredesk.ingest.extract import extract
    from wiredesk.ingest.page import RawPage

    story = "".join(f"<p>Paragraph {n} of the story says what the mill owners told the town about jobs.</p>" for n in range(4))
    html = f"<html><body><article><h1>Mill reopens in Leeds</h1>{story}</article></body></html>"
    release = extract(RawPage(url="https://x.example/a", body=html.replace(" 2 of", f" 2{control}of").encode()))
    assert "Paragraph 2 of the story" in release.body or "Paragraph 2of the story" in release.body
    assert release.word_count >= 59 and not any(ord(c) < 32 and c not in "\n\t" for c in release.body)
