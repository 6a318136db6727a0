"""The raw archive: content-addressed, compressed, atomic, read back whole; records in packs, latest wins."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from wiredesk.ingest.archive import Archive
from wiredesk.ingest.page import RawPage
from wiredesk.core.errors import StorageError
from wiredesk.core.release import Hints

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


def legacy_record(root: Path, record: dict) -> None:
    """File a record the way imports did before packs: a JSON blob plus an entry under records/ab/."""
    data = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    blob = root / "blobs" / digest[:2] / digest[2:4] / f"{digest}.gz"
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(gzip.compress(data))
    key = str(record.get("id") or "") or digest
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()
    entry = root / "records" / name[:2] / f"{name}.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(json.dumps({"key": key, "sha256": digest}))


def test_a_batch_is_one_pack_of_json_lines(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    batch = [{"id": "r1", "body": "Zürich\nline two"}, {"id": "r2", "body": "b\u2028c"}]
    archive.put_records(batch)
    archive.put_records([])
    (pack,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert pack.parent == tmp_path / "records" / "packs" and pack.name.endswith(".jsonl.gz")
    assert [json.loads(line) for line in gzip.decompress(pack.read_bytes()).splitlines()] == batch
    assert list(archive.records()) == batch


def test_the_latest_pack_wins_per_id(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.put_records([{"id": "r1", "body": "first", "title": "T"}, {"id": "r2", "body": "kept"}])
    archive.put_records([{"id": "r1", "body": "second"}])
    assert list(archive.records()) == [{"id": "r2", "body": "kept"}, {"id": "r1", "body": "second"}]


def test_a_later_line_in_one_pack_wins(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.put_records([{"id": "r1", "body": "first"}, {"id": "r2", "body": "two"}, {"id": "r1", "body": "again"}])
    assert list(archive.records()) == [{"id": "r2", "body": "two"}, {"id": "r1", "body": "again"}]


def test_a_pack_beats_a_legacy_entry_and_legacy_entries_still_read(tmp_path: Path) -> None:
    legacy_record(tmp_path, {"id": "r1", "body": "legacy"})
    legacy_record(tmp_path, {"id": "r2", "body": "legacy only"})
    legacy_record(tmp_path, {"body": "legacy, no id"})
    archive = Archive(tmp_path)
    archive.put_records([{"id": "r1", "body": "packed"}, {"body": "legacy, no id"}])
    got = list(archive.records())
    assert sorted(r["body"] for r in got) == ["legacy only", "legacy, no id", "packed"]
    assert got[-2:] == [{"id": "r1", "body": "packed"}, {"body": "legacy, no id"}]  # packs come after legacy
    assert list(archive.records()) == got


def test_records_without_id_are_kept_once_per_content(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.put_records([{"body": "no id"}, {"body": "other"}, {"body": "no id"}])
    archive.put_records([{"body": "other"}, {"body": "third"}])
    assert list(archive.records()) == [{"body": "no id"}, {"body": "other"}, {"body": "third"}]


@pytest.mark.parametrize("content", [b"not gzip at all", gzip.compress(b'{"id": "r1"}\n' * 100)[:-30],
                                     gzip.compress(b'{"id": "r1"}\n{not json\n')])
def test_an_unreadable_pack_is_a_storage_error_naming_it(tmp_path: Path, content: bytes) -> None:
    archive = Archive(tmp_path)
    archive.put_records([{"id": "r1", "body": "fine"}])
    bad = tmp_path / "records" / "packs" / "99999999999999999999-bad.jsonl.gz"
    bad.write_bytes(content)
    with pytest.raises(StorageError, match="99999999999999999999-bad.jsonl.gz"):
        list(archive.records())


def test_an_empty_archive_reads_as_empty(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "never-written")
    assert list(archive.pages()) == [] and list(archive.records()) == []
