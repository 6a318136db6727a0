"""Add-or-update, delete and commit, with syndication clusters assigned on the way in.

Releases are buffered by id until `commit` (or until BATCH of them wait), so a release given twice in one
batch is written once, the last one winning. At commit each buffered release replaces any stored document
with its id, unless it is unchanged, in which case nothing is written (a re-fetch costs no segment churn).
The batch becomes one new segment, built whole, together with the stored releases of any older segments the
merge policy folds in; the commit then swaps the segment list in one atomic rename (`backend.Commit`), so a
process killed at any point leaves the last commit intact.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

import numpy as np

from wiredesk.core.memory import return_freed_memory
from wiredesk.core.release import Release

from . import clusters
from .backend.writing import Commit
from .merging import to_fold
from .schema import TEXT_FIELDS, document_fields, stored_release
from .tokens import Analysed, Analyser, analyse

__all__ = ["IndexWriter", "BATCH"]

# Releases buffered before an automatic commit: bounds memory on a long import (about 250 MB at 10,000
# releases of 400 words), and makes segments big enough that a 100k index has about ten.
BATCH = 10_000
_FOLD_CHUNK = 2000  # stored releases read and analysed at a time when a commit folds older segments in


class _Copies:
    """Chooses each new release's cluster: that of its closest copy, stored or added earlier in the batch."""

    def __init__(self, commit: Commit, added: list[Release], signatures: np.ndarray) -> None:
        self._commit = commit
        self._added = added
        self._found = clusters.copies(signatures, commit.signatures())
        self._assigned: list[str] = []  # the cluster given to each added release so far, in order

    def cluster_for(self, row: int, release: Release, *, own: list[int]) -> str:
        """The cluster of the closest copy of added release `row` at SIMILARITY or above, else its own id.

        `own` holds the document numbers of the stored version of this same release, never its own copy.
        """
        best_score, best_cluster = clusters.SIMILARITY, ""
        for copy in self._found.get(row, ()):
            if copy.stored:
                if copy.number in own or self._commit.is_deleted(copy.number):
                    continue
                cluster = self._commit.cluster(copy.number)
            elif self._added[copy.number].id == release.id:
                continue
            else:
                cluster = self._assigned[copy.number]
            # ties go to the smaller cluster id, so the choice does not depend on the order of arrival
            if cluster and (copy.similarity > best_score
                            or (copy.similarity == best_score and (not best_cluster or cluster < best_cluster))):
                best_score, best_cluster = copy.similarity, cluster
        return best_cluster or release.id

    def remember(self, release: Release) -> None:
        """Note the cluster of the next added release (called once per release, in order)."""
        self._assigned.append(release.cluster)


class IndexWriter:
    """Buffers changes to an index; `commit` makes them durable and visible. Usable again after a commit;
    `close` when done (it stops the analysis worker of a long import)."""

    def __init__(self, index) -> None:  # type: ignore[no-untyped-def]
        self._index = index
        self._pending: dict[str, Release] = {}
        self._deleted: set[str] = set()
        self._analyser = Analyser()
        self._stored_ids = _StoredIds()
        return_freed_memory()

    def add(self, releases: Iterable[Release], *, analysed: Analysed | None = None) -> None:
        """Add or update releases by id. One without an id or content hash has its derived fields filled in
        (`Release.with_derived`); one with both is taken as derived already, as extraction, import and replay
        give them (deriving costs as much as a tenth of indexing a release).

        `analysed`, when given, is the releases' analysis (`tokens.analyse`), done elsewhere; they must then
        be derived already.
        """
        if analysed is not None:
            releases = list(releases)
            for release in releases:
                if not (release.id and release.content_hash):
                    raise ValueError("releases given with their analysis must have their derived fields")
                self._pend(release)
            self._analyser.add_analysed(releases, analysed)
            if len(self._pending) >= BATCH:
                self.commit()
            return
        for release in releases:
            if not (release.id and release.content_hash):
                release = release.with_derived()
            self._pend(release)
            self._analyser.add(release)
            if len(self._pending) >= BATCH:
                self.commit()

    def _pend(self, release: Release) -> None:
        self._deleted.discard(release.id)
        self._pending.pop(release.id, None)  # re-insert so the latest version keeps arrival order
        self._pending[release.id] = release

    def delete(self, ids: Iterable[str]) -> int:
        """Delete releases by id; returns how many existed (stored or waiting to be committed)."""
        count = 0
        for id in ids:
            waiting = self._pending.pop(id, None) is not None
            stored = id not in self._deleted and self._index.document_number(id) is not None
            if stored:
                self._deleted.add(id)
            count += waiting or stored
        return count

    def commit(self) -> None:
        if self._pending or self._deleted:
            self._write(fold_all=False)

    def optimize(self) -> None:
        """Rewrite every live document into one segment (with what is pending)."""
        self._write(fold_all=True)

    def close(self) -> None:
        self._analyser.close()

    def _write(self, *, fold_all: bool) -> None:
        added, analysed = self._analyser.finish()
        # an id given twice since the last commit: only its latest version is written
        latest = np.array([self._pending.get(release.id) is release for release in added], dtype=bool)
        added, analysed = [r for r, keep in zip(added, latest) if keep], analysed.select(latest)
        commit = self._index.storage().commit()
        try:
            for id in self._deleted:
                for docnum in commit.documents_with("id", id):
                    commit.delete(docnum)
            signatures = clusters.signature_matrix(analysed.signatures)
            copies = _Copies(commit, added, signatures)
            maybe_stored = self._stored_ids.may_hold(commit, [release.id for release in added])
            docs = [self._document(commit, copies, row, release, signatures[row],
                                   commit.documents_with("id", release.id) if maybe_stored[row] else [],
                                   analysed.documents[row])
                    for row, release in enumerate(added)]
            changed = np.array([doc is not None for doc in docs], dtype=bool)
            live, total = commit.segment_sizes()
            fold = len(live) if fold_all else to_fold(live, total, int(changed.sum()))
            keep = len(live) - fold
            folded_docs, again = _folded(commit, keep)
            commit.write(folded_docs + [_without_text(doc) for doc in docs if doc is not None],
                         Analysed.join([again, analysed.select(changed)]))
        except BaseException:
            commit.cancel()
            raise
        commit.finish(keep=keep)
        self._pending.clear()
        self._deleted.clear()
        self._index.refresh()

    def _document(self, commit: Commit, copies: _Copies, row: int, release: Release, signature: np.ndarray,
                  own: list[int],
                  made: dict[str, Any]) -> dict[str, Any] | None:
        """The fields to index for a release (its stored version, documents `own`, deleted), or None when it
        is unchanged; `made` is its `release_fields`."""
        existing = stored_release(commit.stored(own[0])) if own else None
        if existing is not None and existing.content_hash == release.content_hash and existing.cluster:
            release = replace(release, cluster=existing.cluster)  # same text, same cluster: ids stay stable
            if existing == release:
                copies.remember(release)
                return None
        else:
            release = replace(release, cluster=copies.cluster_for(row, release, own=own))
        for docnum in own:
            commit.delete(docnum)
        copies.remember(release)
        return document_fields(release, signature=_signature_bytes(signature), made=made)


def _signature_bytes(row: np.ndarray) -> bytes | None:
    return row.astype("<u4").tobytes() if row.any() else None


def _folded(commit: Commit, first: int) -> tuple[list[dict[str, Any]], Analysed]:
    """Every live document in the commit's segments from number `first` on, to be written again: its index
    document (without the text fields, which the analysis carries) and the analysis of its stored release.

    Stored releases are read and analysed a chunk at a time, and only the compact parts are kept: a fold of
    100,000 releases held whole as releases, index documents and token lists took the writing process from
    430 MB to 2.5 GB.
    """
    docs: list[dict[str, Any]] = []
    parts: list[Analysed] = []
    releases: list[Release] = []
    signatures: list[bytes | None] = []

    def flush() -> None:
        made = analyse(releases)
        docs.extend(_without_text(document_fields(release, signature=signature, made=fields))
                    for release, signature, fields in zip(releases, signatures, made.documents))
        parts.append(Analysed(made.fields, made.signatures, docs[len(docs) - len(releases):]))
        releases.clear()
        signatures.clear()

    for start, rows in commit.signatures(first):
        for docnum, signature in enumerate(rows, start=start):
            if commit.is_deleted(docnum):
                continue
            releases.append(stored_release(commit.stored(docnum)))
            signatures.append(_signature_bytes(signature))
            if len(releases) >= _FOLD_CHUNK:
                flush()
    flush()
    return docs, Analysed.join(parts)


def _without_text(doc: dict[str, Any]) -> dict[str, Any]:
    """An index document without its text fields' values: the segment is written from their analysis, and a
    body held twice per document (here and in the release) is most of a large fold's memory."""
    for name in TEXT_FIELDS:
        doc.pop(name, None)
    return doc


class _StoredIds:
    """A quick screen for ids that no segment holds, the common case on import: each segment's ids, hashed
    and sorted, are read once (a segment never changes), then a batch is screened with one array search per
    segment instead of a term look-up per id and segment. An id that passes is looked up for real."""

    def __init__(self) -> None:
        self._hashes: dict[str, np.ndarray] = {}  # segment id -> sorted hashes of its `id` terms

    def may_hold(self, commit: Commit, ids: list[str]) -> np.ndarray:
        """Per id, False where no segment of the commit's starting state holds it."""
        wanted = np.fromiter((hash(id.encode("utf-8")) for id in ids), dtype=np.int64, count=len(ids))
        found = np.zeros(len(ids), dtype=bool)
        current = {}
        for segment, terms in commit.segment_terms("id"):
            hashes = self._hashes.get(segment)
            if hashes is None:
                hashes = np.sort(np.fromiter(map(hash, terms), dtype=np.int64))
            current[segment] = hashes
            where = np.minimum(np.searchsorted(hashes, wanted), max(len(hashes) - 1, 0))
            if len(hashes):
                found |= hashes[where] == wanted
        self._hashes = current  # segments folded away are forgotten
        return found
