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

from wiredesk.index import open_index, rebuild
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
