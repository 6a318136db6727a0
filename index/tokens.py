"""What the index makes of a release before it is written, in chunks: its text fields as integer token
arrays, its MinHash signature and the rest of its index document (`schema.release_fields`).

This is most of the CPU that indexing takes, and each release's is independent of the others, so a long
batch hands chunks of it to a worker process while the writer's own process goes on; the writer analyses
any chunk the worker has not started yet itself. An import's own workers analyse as they parse
(`IndexWriter.add(..., analysed=)`). A chunk comes back as compact arrays (a vocabulary and one int32 array
per field), which pickle quickly, rather than as millions of token strings.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from itertools import chain
from typing import Any, Sequence

import numpy as np

from wiredesk.core.errors import WorkerDied
from wiredesk.core.memory import return_freed_memory
from wiredesk.core.release import Release
from wiredesk.core.workers import WorkerPool

from .analysis import terms
from .clusters import signature_of
from .schema import release_fields, text_values

__all__ = ["FIELDS", "LEAD_OF", "CHUNK", "Tokens", "Analysed", "Analyser", "analyse"]

FIELDS = ("title", "body", "lead", "acronyms")  # "body" is the indexed text, "lead" its emphasised opening
LEAD_OF = {"body": "lead"}  # text field -> the tokens whose words weigh more in it
CHUNK = 1000  # releases per task: big enough that pickling is a small part of a task


@dataclass
class Tokens:
    """One field's terms for several documents, one document after another, as ranks into a vocabulary."""

    vocabulary: list[str]
    ids: np.ndarray  # int32, per token
    counts: np.ndarray  # int64, tokens per document

    def select(self, keep: np.ndarray) -> Tokens:
        """The documents where `keep` is true."""
        return Tokens(self.vocabulary, self.ids[np.repeat(keep, self.counts)], self.counts[keep])

    @staticmethod
    def join(parts: Sequence[Tokens]) -> Tokens:
        """Documents of several parts, in order, over one sorted vocabulary (Python's str order is code
        point order, the UTF-8 byte order in which Whoosh keeps terms)."""
        vocabulary = sorted(set(chain.from_iterable(part.vocabulary for part in parts)))
        rank = {word: i for i, word in enumerate(vocabulary)}
        ids = [np.array([rank[word] for word in part.vocabulary], dtype=np.int32)[part.ids] for part in parts
               if len(part.ids)]
        return Tokens(vocabulary, np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32),
                      np.concatenate([part.counts for part in parts]) if parts else np.zeros(0, dtype=np.int64))


@dataclass
class Analysed:
    """Releases analysed: their tokens per field of FIELDS, their signatures (None for no words) and their
    documents but for the cluster and signature (`schema.release_fields`)."""

    fields: dict[str, Tokens]
    signatures: list[np.ndarray | None]
    documents: list[dict[str, Any]]

    def select(self, keep: np.ndarray) -> Analysed:
        return Analysed({name: tokens.select(keep) for name, tokens in self.fields.items()},
                        [sig for sig, kept in zip(self.signatures, keep) if kept],
                        [doc for doc, kept in zip(self.documents, keep) if kept])

    @staticmethod
    def join(parts: Sequence[Analysed]) -> Analysed:
        return Analysed({name: Tokens.join([part.fields[name] for part in parts]) for name in FIELDS},
                        [sig for part in parts for sig in part.signatures],
                        [doc for part in parts for doc in part.documents])


def _tokens(lists: list[list[str]]) -> Tokens:
    flat = list(chain.from_iterable(lists))
    vocabulary = list(dict.fromkeys(flat))
    rank = {word: i for i, word in enumerate(vocabulary)}
    return Tokens(vocabulary, np.fromiter(map(rank.__getitem__, flat), dtype=np.int32, count=len(flat)),
                  np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)))


def analyse(releases: Sequence[Release]) -> Analysed:
    """Analyse releases in this process."""
    return_freed_memory()  # an import's workers make and drop a chunk's arrays over and over
    titles, leads, texts, acronyms, signatures, documents = [], [], [], [], [], []
    for release in releases:
        values = text_values(release)
        lead, text = values["body"]
        lead_terms = terms(lead) if lead else []
        if lead and text.startswith(lead) and text[len(lead):len(lead) + 1].isspace():
            # the lead is the text's first paragraph: its terms open the text's, and no word spans the break
            text_terms = lead_terms + terms(text[len(lead):])
        else:
            text_terms = terms(text)
        titles.append(terms(values["title"]))
        leads.append(lead_terms)
        texts.append(text_terms)
        acronyms.append(terms(values["acronyms"]) if values["acronyms"] else [])
        # the MinHashed text is nearly always the indexed one: tokenise it once
        minhashed = release.body or release.title
        signatures.append(signature_of(text_terms if minhashed == text else terms(minhashed)))
        documents.append(release_fields(release))
    return Analysed({"title": _tokens(titles), "body": _tokens(texts), "lead": _tokens(leads),
                     "acronyms": _tokens(acronyms)}, signatures, documents)


class Analyser:
    """Analyses releases as they arrive: a chunk at a time in one worker process, started with the first
    full chunk (short batches, such as an ingest's, never pay for it), and in this process at `finish`.
    Chunks analysed elsewhere (by an import's parsing workers) join in their place."""

    def __init__(self) -> None:
        self._pool: WorkerPool | None = None
        self._queued: list[Release] = []
        self._chunks: list[tuple[list[Release], Future[Analysed] | Analysed]] = []

    def add(self, release: Release) -> None:
        self._queued.append(release)
        if len(self._queued) >= CHUNK:
            if self._pool is None:
                self._pool = WorkerPool(1, name="wiredesk-analyse")
            self._chunks.append((self._queued, self._pool.submit(analyse, self._queued)))
            self._queued = []

    def add_analysed(self, releases: list[Release], analysed: Analysed) -> None:
        """Releases analysed already, in order after those added before."""
        if self._queued:
            self._chunks.append((self._queued, analyse(self._queued)))
            self._queued = []
        self._chunks.append((releases, analysed))

    def finish(self) -> tuple[list[Release], Analysed]:
        """Every release added since the last finish, in order, and its analysis."""
        releases = [r for chunk, _ in self._chunks for r in chunk] + self._queued
        parts = [work if isinstance(work, Analysed) else None for _, work in self._chunks]
        last = analyse(self._queued)
        # The worker takes chunks from the front; this process takes those it has not started from the back.
        for i in reversed(range(len(self._chunks))):
            chunk, work = self._chunks[i]
            if isinstance(work, Analysed):
                continue
            if not work.cancel():
                break
            parts[i] = analyse(chunk)
        done = [part if part is not None else _result(chunk, work)  # type: ignore[arg-type]
                for part, (chunk, work) in zip(parts, self._chunks)]
        self._chunks, self._queued = [], []
        return releases, Analysed.join(done + [last])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def _result(chunk: list[Release], work: Future[Analysed]) -> Analysed:
    # a chunk whose worker died twice ends the run (exit 1), naming it as an import names its lines
    try:
        return work.result()
    except WorkerDied as exc:
        raise WorkerDied(f"index analysis of {len(chunk)} releases ({chunk[0].id[:40]!r} to {chunk[-1].id[:40]!r}) "
                         f"stopped: {exc}, the last time after a retry in a new worker; nothing of this batch was "
                         "committed: run the command again") from exc
