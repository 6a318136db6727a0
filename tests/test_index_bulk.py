"""The bulk segment build: the same index as Whoosh's own writer and as one commit per release, updates
that replace, the merge policy, and an import killed in the middle of writing a segment."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from indexfixtures import SAMPLE, generated, make_index
from whoosh.index import open_dir
from whoosh.writing import SegmentWriter

from wiredesk.index import open_index
from wiredesk.index.analysis import terms
from wiredesk.index.clusters import signature_of
from wiredesk.index.backend.persisted import Codec
from wiredesk.index.merging import LARGEST, MERGE_FACTOR, SMALL, to_fold
from wiredesk.index.schema import document_fields, opening_terms, text_values
from wiredesk.search import SearchRequest, run

CHECKOUT = Path(__file__).resolve().parents[1]
QUERIES = ("minister defence", '"solar wind"', "port OR harbour", "flood NOT drought", "turb*", "vaccin~",
           "agency:PTI budget", "country:India rail", "published:[2025-03-01 TO 2025-05-31] wheat", "",
           '"council met"', "title:budget", "solar power")
FACETS = ("agency", "country", "month", "people", "categories", "year")


def outcome(index, query: str) -> tuple:
    """Everything a search shows that the index decides: totals, ranked ids, scores, facets."""
    results = run(index, SearchRequest(query=query, facets=FACETS, limit=50, facet_limit=100))
    return (results.total, [(h.id, round(h.score, 4)) for h in results.hits], results.facets)


def whoosh_reference(root: Path, indexed) -> object:
    """An index of the same documents written one at a time by Whoosh's own `add_document`."""
    ix = open_index(root)
    with ix.writer():  # the folder's first commit: an empty one
        pass
    writer = SegmentWriter(open_dir(str(ix.folder)), codec=Codec(), compound=False)
    for release in indexed:
        sig = signature_of(terms(release.body or release.title))
        opening = opening_terms(terms(release.title), terms(text_values(release)["body"][1]))
        writer.add_document(**document_fields(release, signature=sig.astype("<u4").tobytes() if sig is not None else None),
                            opening=" ".join(opening).encode("utf-8"))
    writer.commit()
    ix.refresh()
    return ix


@pytest.fixture(scope="module")
def releases():
    return list(SAMPLE) + generated(300)


def test_bulk_segment_reads_as_whoosh_own_writer_makes_it(tmp_path, releases):
    bulk = make_index(tmp_path / "bulk", releases)
    assert len(bulk.segments()) == 1
    reference = whoosh_reference(tmp_path / "whoosh", [bulk.get(r.id) for r in releases])
    for query in QUERIES:
        assert outcome(bulk, query) == outcome(reference, query), query
    for name in ("title", "body", "acronyms"):
        assert bulk.field_length(name) == reference.field_length(name)


def test_text_fields_inverted_a_range_of_terms_at_a_time_read_as_whoosh_own_writer(tmp_path, releases, monkeypatch):
    monkeypatch.setattr("wiredesk.index.backend.bulk._RANGE_TOKENS", 500)  # the body is then written in dozens of ranges
    ranged = make_index(tmp_path / "ranged", releases)
    reference = whoosh_reference(tmp_path / "whoosh", [ranged.get(r.id) for r in releases])
    for query in (*QUERIES, '"defence budget"', '"port harbour"'):
        assert outcome(ranged, query) == outcome(reference, query), query


def test_one_commit_per_release_gives_the_same_results(tmp_path, releases):
    bulk = make_index(tmp_path / "bulk", releases)
    single = open_index(tmp_path / "single" / "index")
    for release in releases:
        with single.writer() as writer:
            writer.add([release])
    assert single.document_count() == len(releases)
    assert len(single.segments()) < len(releases) // MERGE_FACTOR  # small segments were folded together
    for query in QUERIES:
        assert outcome(bulk, query) == outcome(single, query), query


def test_segments_folded_a_few_stored_releases_at_a_time_give_the_same_index(tmp_path, releases, monkeypatch):
    monkeypatch.setattr("wiredesk.index.writer._FOLD_CHUNK", 7)  # each fold reads its releases in many chunks
    bulk = make_index(tmp_path / "bulk", releases)
    batched = open_index(tmp_path / "batched" / "index")
    for start in range(0, len(releases), 30):
        with batched.writer() as writer:
            writer.add(releases[start:start + 30])
    assert len(batched.segments()) < len(releases) // 30  # folds happened
    batched.optimize()
    assert len(batched.segments()) == 1
    for release in releases:
        assert batched.get(release.id) == bulk.get(release.id)
    for query in QUERIES:
        assert outcome(batched, query) == outcome(bulk, query), query
    for name in ("title", "body", "acronyms"):
        assert batched.field_length(name) == bulk.field_length(name)


def test_reimport_updates_and_does_not_duplicate(tmp_path, releases):
    ix = make_index(tmp_path, releases)
    changed = replace(releases[-1], body="A wholly new text about zeppelins.", content_hash="")
    with ix.writer() as writer:
        writer.add(releases[:-1] + [changed])
    assert ix.document_count() == len(releases)
    assert run(ix, SearchRequest(query="zeppelins")).total == 1
    assert ix.get(changed.id).body == changed.body
    ix.optimize()
    assert len(ix.segments()) == 1 and ix.document_count() == len(releases)
    assert run(ix, SearchRequest(query="", limit=1)).total == len(releases)


def test_merge_policy_folds_small_and_piled_up_segments():
    assert to_fold([], [], 10) == 0
    assert to_fold([SMALL * 10], [SMALL * 10], SMALL * 10) == 0  # an equal neighbour stays
    assert to_fold([SMALL * 10, 50, 50], [SMALL * 10, 50, 50], SMALL * 10) == 2  # smaller tiers fold in
    assert to_fold([200] * MERGE_FACTOR, [200] * MERGE_FACTOR, 200) == MERGE_FACTOR  # a tier piled up
    assert to_fold([200] * (MERGE_FACTOR - 1), [200] * (MERGE_FACTOR - 1), 200) == 0
    assert to_fold([5000, 100], [5000, 300], 5000) == 1  # mostly deleted
    # no fold makes a segment above LARGEST: a pile of large segments stays, its fold would not fit in memory
    large = [LARGEST // 2 + 1] * MERGE_FACTOR
    assert to_fold(large, large, LARGEST // 2 + 1) == 0
    assert to_fold([LARGEST, 100], [LARGEST, 300], LARGEST) == 0


_KILLED_IMPORT = """
import os, signal, sys
sys.path.insert(0, {tests!r})
import wiredesk.index.backend.postings
from indexfixtures import generated
from wiredesk.index import open_index
import wiredesk.index.writer

written = wiredesk.index.backend.postings.write_field

def write_then_die(*args, **kwargs):
    written(*args, **kwargs)
    if batch["n"] == 2:  # in the middle of the second segment's terms
        os.kill(os.getpid(), signal.SIGKILL)

wiredesk.index.backend.postings.write_field = write_then_die
wiredesk.index.backend.bulk.write_field = write_then_die
batch = {{"n": 0}}

def main():
    ix = open_index(open_index.__globals__["Path"]({root!r}))
    with ix.writer() as writer:
        for part in range(3):
            batch["n"] = part + 1
            writer.add(generated(1200, start=part * 1200))
            writer.commit()

if __name__ == "__main__":
    main()
"""


def test_import_killed_while_writing_a_segment_leaves_the_last_commit(tmp_path):
    root = tmp_path / "index"
    script = tmp_path / "killed.py"
    script.write_text(_KILLED_IMPORT.format(tests=str(CHECKOUT / "tests"), root=str(root)))
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    with open(tmp_path / "stderr", "w") as stderr:  # not a pipe: the killed child's worker may outlive it
        child = subprocess.run([sys.executable, str(script)], check=False, env=env, stderr=stderr, timeout=300)
    assert child.returncode == -9, (tmp_path / "stderr").read_text()
    ix = open_index(root)
    assert ix.document_count() == 1200  # the first commit, whole; nothing of the second
    assert ix.get("g0") is not None and ix.get("g1199") is not None and ix.get("g1200") is None
    assert run(ix, SearchRequest(query="", limit=1)).total == 1200
    with ix.writer() as writer:  # the dead writer's lock is cleared; the import can be run again
        writer.add(generated(2400))
    assert ix.document_count() == 2400 and run(ix, SearchRequest(query="", limit=1)).total == 2400


@pytest.mark.parametrize("counts", [[1, 3, 2], [70_000, 1]])  # the second needs 32-bit counts
def test_packed_values_read_as_the_tuple_whoosh_expects(counts):
    import pickle
    import struct

    from wiredesk.index.backend.postings import _packed

    values = [struct.pack(f"<{n}I", *range(k, k + n)) for k, n in enumerate(counts)]
    bounds = [0]
    for value in values:
        bounds.append(bounds[-1] + len(value))
    packed = pickle.loads(pickle.dumps(_packed(b"".join(values), bounds, 0, len(values)), 5))
    assert len(packed) == len(values)
    assert [packed[i] for i in range(len(values))] == values and packed[-1] == values[-1]
    assert packed.count_array().tolist() == counts
