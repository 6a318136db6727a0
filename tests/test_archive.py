"""The raw archive: content-addressed, compressed, atomic, read back whole."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timezone
from pathlib import Path

from ingest.archive import Archive
from ingest.page import RawPage
from wiredesk.release import Hints

FETCHED = datetime(2025, 4, 16, 6, 0, tzinfo=timezone.utc)


def page(url: str, body: bytes, **kwargs: object) -> RawPage:
    return RawPage(url=url, body=body, fetched=FETCHED, source="wire", **kwargs)  # type: ignore[arg-type]


def test_bodies_are_compressed_and_content_addressed(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    body = b"<html>" + b"same body " * 500 + b"</html>"
    digest = archive.put_page(page("https://w.example/a", body))
    assert digest == archive.put_page(page("https://w.example/copy", body)) == hashlib.sha256(body).hexdigest()
    blobs = list((tmp_path / "blobs").rglob("*.gz"))
    assert blobs == [tmp_path / "blobs" / digest[:2] / digest[2:4] / f"{digest}.gz"]
    assert gzip.decompress(blobs[0].read_bytes()) == body and blobs[0].stat().st_size < len(body) // 5
    assert not list(tmp_path.rglob(".tmp-*"))


def test_pages_come_back_with_everything_recorded(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    hints = Hints(title="Feed title", published=FETCHED, categories=("energy",), authors=("A. Writer",), language="en")
    original = page("https://w.example/a", b"<p>v1</p>", final_url="https://w.example/final",
                    headers={"Content-Type": "text/html; charset=ISO-8859-1", "ETag": '"x"'}, hints=hints)
    archive.put_page(original)
    archive.put_page(page("https://w.example/b", b"<p>b</p>"))
    (first, second) = sorted(archive.pages(), key=lambda p: p.url)
    assert first == original
    assert first.headers["content-type"] == "text/html; charset=ISO-8859-1"
    assert second.final_url == "https://w.example/b"


def test_the_latest_fetch_of_a_url_wins(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.put_page(page("https://w.example/a", b"<p>old</p>"))
    archive.put_page(page("https://w.example/a", b"<p>new</p>"))
    assert [p.body for p in archive.pages()] == [b"<p>new</p>"]
    assert len(list((tmp_path / "blobs").rglob("*.gz"))) == 2  # the old body stays: it is content-addressed


def test_records_latest_per_id(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.put_record({"id": "r1", "body": "first", "title": "T"})
    archive.put_record({"id": "r1", "body": "second"})
    archive.put_record({"body": "no id"})
    assert sorted(r["body"] for r in archive.records()) == ["no id", "second"]


def test_an_empty_archive_reads_as_empty(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "never-written")
    assert list(archive.pages()) == [] and list(archive.records()) == []
