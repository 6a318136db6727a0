"""The index on disk: add-or-update, delete, locks, schema version, clusters and rebuild."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import replace

import pytest
from indexfixtures import SAMPLE, WIRE_STORY, make_index, release

from whoosh.index import TOC

from wiredesk.index import handle, open_index, rebuild
from wiredesk.index.store import WRITE_LOCK
from wiredesk.search import SearchRequest, run, show
from wiredesk.core.errors import LockedError, StorageError


def test_same_id_twice_is_one_document_and_changes_replace(tmp_path):
    ix = make_index(tmp_path, [release("a", "first text about ports"), release("a", "second text about airports")])
    assert ix.document_count() == 1 and ix.get("a").body == "second text about airports"
    with ix.writer() as writer:
        writer.add([release("a", "third text about harbours")])
        writer.add([release("b", "another")])
    assert ix.document_count() == 2 and ix.get("a").body == "third text about harbours"
    assert run(ix, SearchRequest(query="airports")).total == 0
    assert run(ix, SearchRequest(query="harbours")).total == 1


def test_unchanged_release_is_not_rewritten(tmp_path):
    ix = make_index(tmp_path, SAMPLE)
    segments_before = len(ix.segments())
    with ix.writer() as writer:
        writer.add(SAMPLE)
    assert ix.document_count() == len(SAMPLE) and len(ix.segments()) == segments_before


def test_delete_and_writer_usable_after_commit(tmp_path):
    ix = make_index(tmp_path, SAMPLE)
    with ix.writer() as writer:
        assert writer.delete(["t1", "t2", "missing"]) == 2
        writer.commit()
        assert ix.document_count() == len(SAMPLE) - 2 and ix.get("t1") is None
        writer.add([release("t1", "back again")])
        writer.commit()
        assert ix.get("t1").body == "back again"
    assert [h.id for h in run(ix, SearchRequest(query="solar")).hits] == ["t3"]


def test_stale_lock_of_dead_process_is_cleared(tmp_path):
    ix = make_index(tmp_path, SAMPLE[:1])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (ix.root / WRITE_LOCK).write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started": "x"}))
    with ix.writer() as writer:
        writer.add([release("new", "text")])
    assert ix.get("new") is not None and not (ix.root / WRITE_LOCK).exists()


def test_live_lock_is_respected(tmp_path):
    ix = make_index(tmp_path, SAMPLE[:1])
    (ix.root / WRITE_LOCK).write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "started": "x"}))
    with pytest.raises(LockedError, match=str(os.getppid())):
        with ix.writer():
            pass
    (ix.root / WRITE_LOCK).unlink()
    with ix.writer() as writer:  # and a writer in this process locks out a second one
        with pytest.raises(LockedError):
            with ix.writer():
                pass
        writer.add([release("z", "z")])


def test_other_schema_version_is_refused(tmp_path):
    ix = make_index(tmp_path, SAMPLE[:1])
    (ix.folder / "SCHEMA_VERSION").write_text("0\n")
    with pytest.raises(StorageError, match="wiredesk reindex"):
        open_index(ix.root)


def test_syndicated_copies_cluster_and_distinct_stories_do_not(tmp_path):
    edited = WIRE_STORY.replace("on Tuesday", "on Tuesday (PTI)").replace("in the capital", "in New Delhi")
    trimmed = WIRE_STORY.rsplit(". ", 1)[0] + "."
    other = ("The Ministry of Defence said on Tuesday that the Indian Air Force will retire its oldest fighter "
             "squadrons by next year, and that training for pilots of new aircraft will begin in Bengaluru.")
    ix = make_index(tmp_path, [release("orig", WIRE_STORY, source="ani"), release("copy1", edited, source="pti")])
    with ix.writer() as writer:  # a copy arriving later joins the stored cluster
        writer.add([release("copy2", trimmed, source="ians"), release("other", other, source="ani")])
    clusters = {id: ix.get(id).cluster for id in ("orig", "copy1", "copy2", "other")}
    assert clusters["orig"] == clusters["copy1"] == clusters["copy2"] == "orig"
    assert clusters["other"] == "other"
    with ix.writer() as writer:  # re-adding a copy keeps its cluster id
        writer.add([replace(ix.get("copy1"), cluster="")])
    assert ix.get("copy1").cluster == "orig"
    _, copies = show(ix, "orig")
    assert sorted(c["id"] for c in copies) == ["copy1", "copy2"]
    collapsed = run(ix, SearchRequest(query="radar ministry defence", collapse=True)).to_dict()
    assert collapsed["total"] == 4 and collapsed["clusters"] == 2
    top = collapsed["hits"][0]
    assert top["copies"] == 3 and sorted(top["copy_sources"]) == ["ani", "ians", "pti"]


def test_rebuild_while_a_searcher_is_open(tmp_path):
    ix = make_index(tmp_path, SAMPLE)
    old_folder = ix.folder
    assert run(ix, SearchRequest(query="solar")).total == 3
    count = rebuild(ix.root, [release("only", "solar eclipse seen")], progress=lambda n: None)
    assert count == 1
    assert run(ix, SearchRequest(query="solar")).total == 3  # the open reader keeps its snapshot
    assert old_folder.exists()
    ix.close()
    fresh = open_index(ix.root)
    assert fresh.document_count() == 1 and fresh.folder != old_folder
    rebuild(ix.root, [release("again", "text")])
    assert not old_folder.exists()  # no reader held it any more
    fresh.close()


def test_a_reindex_between_reading_current_and_opening_its_folder_opens_the_new_index(tmp_path, monkeypatch):
    make_index(tmp_path, SAMPLE).close()
    root = tmp_path / "index"
    read_pointer = handle.current_folder
    swapped = []

    def reindexed_right_after(where):  # a reindex swaps folders and removes the old one just after CURRENT is read
        folder = read_pointer(where)
        if not swapped:
            swapped.append(rebuild(where, [release("only", "solar eclipse seen")]))
            assert not folder.exists()
        return folder

    monkeypatch.setattr(handle, "current_folder", reindexed_right_after)
    ix = open_index(root, create=False)
    assert swapped == [1] and ix.document_count() == 1 and ix.get("only") is not None
    assert run(ix, SearchRequest(query="solar")).total == 1
    ix.close()


def test_a_commit_between_listing_and_reading_the_table_of_contents_is_read_whole(tmp_path, monkeypatch):
    make_index(tmp_path, SAMPLE[:3]).close()
    root = tmp_path / "index"
    latest = TOC._latest_generation.__func__
    committed = []

    def committed_right_after(cls, storage, indexname):  # a merging commit lands just after the folder is listed
        generation = latest(cls, storage, indexname)
        if not committed:
            committed.append(generation)
            writer = open_index(root)
            with writer.writer() as changes:
                changes.add(SAMPLE[3:])
                changes.optimize()
            writer.close()
        return generation

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(committed_right_after))
    ix = open_index(root, create=False)
    assert committed and ix.document_count() in (3, len(SAMPLE))
    assert ix.get("t1").title == "Solar power plan approved"
    ix.close()


def test_an_open_search_reads_its_snapshot_whole_while_a_commit_merges_its_segments_away(tmp_path):
    make_index(tmp_path, SAMPLE[:2]).close()
    root = tmp_path / "index"
    with open_index(root).writer() as writer:
        writer.add(SAMPLE[2:4])
    reader = open_index(root, create=False)
    assert reader.document_count() == 4 and len(reader.segments()) == 2  # its snapshot: two segments
    folder = reader.folder
    merged = open_index(root)
    merged.optimize()  # the two segments become one, and their files are no longer current
    assert len(merged.segments()) == 1
    expected = run(merged, SearchRequest(query="solar", facets=("agency",)))
    found = run(reader, SearchRequest(query="solar", facets=("agency",)))  # no refresh: the same snapshot
    assert (found.total, found.facets) == (expected.total, expected.facets) == (3, {"agency": [("ANI", 2), ("PTI", 1)]})
    assert reader.get("t4").title == "Industry meets minister"
    files = set(folder.iterdir())
    reader.close()
    with merged.writer() as writer:  # the next commit deletes what no reader holds any more
        writer.add(SAMPLE[4:])
    gone = files - set(folder.iterdir())
    assert sum(path.name.endswith(".trm") for path in gone) == 2, sorted(path.name for path in gone)
    assert merged.document_count() == len(SAMPLE)
    merged.close()


def test_optimize_merges_segments(tmp_path):
    ix = make_index(tmp_path, SAMPLE[:2])
    with ix.writer() as writer:
        writer.add(SAMPLE[2:])
    assert len(ix.segments()) >= 1
    ix.optimize()
    assert len(ix.segments()) == 1 and ix.document_count() == len(SAMPLE)
    assert ix.size_bytes() > 0


def test_search_after_updates_counts_only_live_documents(tmp_path):
    ix = make_index(tmp_path, [release("a", "solar farm")])
    for n in range(3):  # each update leaves a deleted copy whose postings stay until a merge
        with ix.writer() as writer:
            writer.add([release("a", f"solar farm update {n}")])
    hits = run(ix, SearchRequest(query="solar farm")).hits
    assert [h.id for h in hits] == ["a"] and hits[0].score > 0
