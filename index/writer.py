"""Add-or-update, delete and commit, with syndication clusters assigned on the way in.

Releases are buffered by id until `commit` (or until BATCH of them wait), so a release given twice in one
batch is written once, the last one winning. At commit each buffered release replaces any stored document
with its id, unless it is unchanged, in which case nothing is written (a re-fetch costs no segment churn).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

import numpy as np
from whoosh.writing import SegmentWriter

from wiredesk.release import Release

from . import clusters
from .codec import Codec
from .schema import document_fields, stored_release

__all__ = ["IndexWriter", "BATCH"]

BATCH = 2000  # releases buffered before an automatic commit: bounds memory on a long import


class _Copies:
    """Finds, for a new release, the most similar stored or just-added release (its syndicated original)."""

    def __init__(self, reader) -> None:  # type: ignore[no-untyped-def]
        self._reader = reader
        self._cluster_column = reader.column_reader("cluster", translate=False) if reader.doc_count_all() else None
        self._added: dict[str, list[tuple[str, str, np.ndarray]]] = {}  # band key -> [(id, cluster, signature)]

    def cluster_for(self, release: Release, sig: np.ndarray | None, keys: list[str], *, own: set[int]) -> str:
        """The cluster of the closest copy at SIMILARITY or above, else the release's own id.

        `own` holds the document numbers of the stored version of this same release, never its own copy.
        """
        if sig is None:
            return release.id
        best_score, best_cluster = clusters.SIMILARITY, ""
        candidates: list[tuple[np.ndarray | None, str]] = []
        seen = set(own)
        for key in keys:
            if self._cluster_column is not None and ("lsh", key) in self._reader:
                for docnum in self._reader.postings("lsh", key).all_ids():
                    if docnum not in seen:
                        seen.add(docnum)
                        other = clusters.from_bytes(self._reader.stored_fields(docnum).get("signature", b""))
                        candidates.append((other, self._cluster_column[docnum].decode("utf-8")))
            candidates.extend((other, cluster) for other_id, cluster, other in self._added.get(key, ())
                              if other_id != release.id)
        for other, cluster in candidates:
            if other is None or not cluster:
                continue
            score = clusters.similarity(sig, other)
            # ties go to the smaller cluster id, so the choice does not depend on the order of arrival
            if score > best_score or (score == best_score and (not best_cluster or cluster < best_cluster)):
                best_score, best_cluster = score, cluster
        return best_cluster or release.id

    def remember(self, release: Release, sig: np.ndarray | None, keys: list[str]) -> None:
        if sig is not None:
            for key in keys:
                self._added.setdefault(key, []).append((release.id, release.cluster, sig))


class IndexWriter:
    """Buffers changes to an index; `commit` makes them durable and visible. Usable again after a commit."""

    def __init__(self, index) -> None:  # type: ignore[no-untyped-def]
        self._index = index
        self._pending: dict[str, Release] = {}
        self._deleted: set[str] = set()

    def add(self, releases: Iterable[Release]) -> None:
        """Add or update releases by id (missing ids, hashes and leads are derived)."""
        for release in releases:
            release = release.with_derived()
            self._deleted.discard(release.id)
            self._pending.pop(release.id, None)  # re-insert so the latest version keeps arrival order
            self._pending[release.id] = release
            if len(self._pending) >= BATCH:
                self.commit()

    def delete(self, ids: Iterable[str]) -> int:
        """Delete releases by id; returns how many existed (stored or waiting to be committed)."""
        searcher = self._index.searcher()
        count = 0
        for id in ids:
            waiting = self._pending.pop(id, None) is not None
            stored = id not in self._deleted and searcher.document_number(id=id) is not None
            if stored:
                self._deleted.add(id)
            count += waiting or stored
        return count

    def commit(self) -> None:
        if not self._pending and not self._deleted:
            return
        writer = SegmentWriter(self._index.whoosh(), codec=Codec(), limitmb=128, compound=False)
        try:
            reader = writer.reader()
            for id in self._deleted:
                _delete_id(writer, reader, id)
            copies = _Copies(reader)
            for release in self._pending.values():
                self._write(writer, reader, copies, release)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._pending.clear()
        self._deleted.clear()
        self._index.refresh()

    def _write(self, writer: SegmentWriter, reader, copies: _Copies, release: Release) -> None:  # type: ignore[no-untyped-def]
        own = _docnums(reader, release.id)
        existing = stored_release(reader.stored_fields(own[0])) if own else None
        sig = clusters.signature(release.body or release.title)
        keys = clusters.band_keys(sig) if sig is not None else []
        if existing is not None and existing.content_hash == release.content_hash and existing.cluster:
            release = replace(release, cluster=existing.cluster)  # same text, same cluster: ids stay stable
            if existing == release:
                copies.remember(release, sig, keys)
                return
        else:
            release = replace(release, cluster=copies.cluster_for(release, sig, keys, own=set(own)))
        for docnum in own:
            writer.delete_document(docnum)
        copies.remember(release, sig, keys)
        signature = sig.astype("<u4").tobytes() if sig is not None else b""
        writer.add_document(**document_fields(release, lsh_keys=keys, signature=signature))


def _docnums(reader, id: str) -> list[int]:  # type: ignore[no-untyped-def]
    """Document numbers (in the writer's snapshot) stored under an id: one, or none."""
    if ("id", id) not in reader:
        return []
    return list(reader.postings("id", id).all_ids())


def _delete_id(writer: SegmentWriter, reader, id: str) -> None:  # type: ignore[no-untyped-def]
    for docnum in _docnums(reader, id):
        writer.delete_document(docnum)
