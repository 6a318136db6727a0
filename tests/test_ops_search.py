"""Readers beside the writer: `wiredesk search` processes while an ingest commits, and while a reindex
builds a new index and swaps it in."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from opssite import call, index_contents, publish, start, write_config
from siteserver import Site

PAGES = 12


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with Site() as site:
        yield site


def _search_until_done(wiredesk_bin: str, config: Path, writer: subprocess.Popen) -> list[int]:
    """Totals of `search --filter source=wire` run one after another until `writer` ends, then once more."""
    totals = []
    while True:
        running = writer.poll() is None
        result = call(wiredesk_bin, config, "search", "--filter", "source=wire", "--json")
        assert result.returncode == 0, result.stderr
        totals.append(json.loads(result.stdout)["total"])
        if not running:
            return totals


def test_searches_during_an_ingest_and_a_reindex_see_consistent_totals(site: Site, tmp_path: Path,
                                                                       wiredesk_bin: str) -> None:
    publish(site, range(PAGES), delay=0.3)
    config = write_config(tmp_path, ("wire", site.url("/wire/feed.xml")))

    ingest = start(wiredesk_bin, config, "ingest", "--commit-every", "2")
    totals = _search_until_done(wiredesk_bin, config, ingest)
    assert ingest.wait() == 0, ingest.stderr.read() if ingest.stderr else ""
    assert len(totals) >= 3, "searches ran while the ingest was writing"
    assert totals == sorted(totals) and totals[-1] == PAGES, totals

    before = index_contents(config)
    pointer = (config.parent / "home" / "index" / "CURRENT").read_text()
    reindex = start(wiredesk_bin, config, "reindex", "--json")
    totals = _search_until_done(wiredesk_bin, config, reindex)
    out, err = reindex.communicate()
    assert reindex.returncode == 0, err
    assert json.loads(out) == {"documents": PAGES}
    assert totals == [PAGES] * len(totals) and len(totals) >= 2, totals
    assert (config.parent / "home" / "index" / "CURRENT").read_text() != pointer, "a new index was swapped in"
    assert index_contents(config) == before
