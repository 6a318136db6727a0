"""Pages built to be slow: a huge page's extraction grows with its size, not its square, and keeps all its
text; a page past the extraction deadline fails alone, with that reason, and the run goes on."""

from __future__ import annotations

import gc
import json
import time
from datetime import datetime, timezone
from pathlib import Path

from opssite import call, feed, publish, write_config
from siteserver import Reply, Site

from wiredesk.ingest.clean import MAX_GENERIC_ELEMENTS
from wiredesk.ingest.extract import extract, warm_up
from wiredesk.ingest.page import RawPage
from wiredesk.ingest.state import open_state, url_row

WORDS = ("solar", "wind", "tender", "ministry", "district", "power", "grid", "plan", "state", "bank")


def tiny_paragraphs(count: int) -> bytes:
    """A page of `count` paragraphs of three words each: the shape of the 8.9 MB page that took 7 minutes."""
    paragraphs = "".join(f"<p>{WORDS[n % 10]} {WORDS[n * 7 % 10]} item{n}</p>\n" for n in range(count))
    return (f"<html><head><title>Tender notice</title></head><body><article><h1>Tender notice</h1>{paragraphs}"
            "</article></body></html>").encode()


def page(body: bytes) -> RawPage:
    return RawPage(url="https://wire.example/notice.html", body=body, fetched=datetime.now(timezone.utc), source="")


def test_a_page_too_large_for_the_generic_extractor_keeps_every_paragraph() -> None:
    count = MAX_GENERIC_ELEMENTS + 2_000
    release = extract(page(tiny_paragraphs(count)))
    paragraphs = release.body.split("\n\n")
    assert [p.split()[-1] for p in paragraphs] == [f"item{n}" for n in range(count)]


def _cpu_seconds(count: int) -> float:
    """CPU time of this thread extracting the page, without the collector (whose passes grow with everything
    else the test session holds)."""
    body = tiny_paragraphs(count)
    gc.collect()
    gc.disable()
    try:
        started = time.thread_time()
        extract(page(body))
        return time.thread_time() - started
    finally:
        gc.enable()


def test_extraction_grows_with_the_page_not_with_its_square() -> None:
    """Four times the paragraphs costs about four times the CPU (it was sixteen: minutes for 300,000)."""
    warm_up()
    small, large = _cpu_seconds(20_000), _cpu_seconds(80_000)
    assert large / small < 6, (small, large)


def test_a_page_past_the_extraction_deadline_fails_alone_and_the_run_goes_on(tmp_path: Path, wiredesk_bin: str) -> None:
    with Site() as site:
        site.route("/wire/huge.html", Reply(200, tiny_paragraphs(300_000)))  # 8.9 MB, under max_bytes
        links = publish(site, range(4), prefix="/wire")
        huge = site.url("/wire/huge.html")
        site.route("/wire/feed.xml", Reply(200, feed([huge, *links]), {"Content-Type": "application/rss+xml"}))
        config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")), extra="extract_deadline = 2\n")
        done = call(wiredesk_bin, config, "ingest", "--json", timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)["sources"]["wire"]
    assert (counts["new"], counts["failed"]) == (4, 1)
    assert counts["errors"] == [{"url": huge, "reason": "extraction took longer than 2 s (fetch.extract_deadline)"}]
    # failed, not skipped: a later run tries it again
    conn = open_state(config.parent / "home" / "state.sqlite", create=False)
    try:
        row = url_row(conn, huge)
    finally:
        conn.close()
    assert (row["status"], row["attempts"]) == ("failed", 1) and row["next_try"]
