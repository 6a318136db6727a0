"""The open index: a snapshot to read, as plain values, and the one way in for writers."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from wiredesk.core.release import Release

from . import backend
from .analysis import value_key
from .schema import stored_release, stored_text
from .store import ReaderLease, WriteLock, create_folder, current_folder, open_storage, remove_unused, swap_pointer

if TYPE_CHECKING:
    from .writer import IndexWriter

__all__ = ["Index", "open_index"]

# long forms read for one first word: "national" may begin hundreds; a query's words match few of them
_MOST_FORMS = 1000


class Index:
    """An index root opened for reading; `writer()` takes the write lock for changes.

    Reads see the snapshot taken at the first read after opening or after this handle's last commit, so a
    search is never torn by a writer in another process. Everything it hands out is a plain value (arrays,
    strings, numbers, releases) or a `Segment` that answers with them.
    """

    def __init__(self, root: Path, folder: Path | None, storage: backend.Storage, *,
                 lease: ReaderLease | None = None) -> None:
        self.root = root
        self.folder = folder
        self._storage = storage
        self._lease = lease or (ReaderLease(folder) if folder else None)
        self._snapshot: backend.Snapshot | None = None

    # reading

    def _current(self) -> backend.Snapshot:
        if self._snapshot is None:
            self._snapshot = self._storage.snapshot()
        return self._snapshot

    def refresh(self) -> None:
        """Let the next read see commits made since the snapshot was taken."""
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None

    def segments(self) -> list[backend.Segment]:
        """numpy views of the snapshot's segments; their cached arrays live as long as the snapshot."""
        return self._current().segments

    def document_count(self, *, include_deleted: bool = False) -> int:
        """Live documents; with `include_deleted`, also those deleted but not yet merged away."""
        return self._current().document_count(include_deleted=include_deleted)

    def field_length(self, field: str) -> int:
        """The terms of a text field over every stored document (deleted ones too, until a merge)."""
        return self._current().field_length(field)

    def doc_frequency(self, field: str, text: str) -> int:
        """Documents holding an index term (deleted ones too, until a merge)."""
        return self._current().doc_frequency(field, text)

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        """The index terms of a field that begin with `prefix`, ascending."""
        return self._current().expand_prefix(field, prefix)

    def terms_within(self, field: str, text: str, distance: int, *, prefix: int = 0) -> list[str]:
        """The index terms of a field within an edit distance of `text`, sharing its first `prefix` letters."""
        return self._current().terms_within(field, text, distance, prefix=prefix)

    def documents_with(self, field: str, text: str) -> np.ndarray:
        """The live document numbers (ascending) holding an index term."""
        return self._current().documents_with(field, text)

    def document_number(self, id: str) -> int | None:
        """The document number of a release id in the snapshot, or None."""
        return self._current().document_number("id", id)

    def acronym_long_form(self, short: str) -> str | None:
        """The long form (as a `value_key`) that the indexed releases give an acronym, if they define it."""
        key = value_key(short)
        snapshot = self._current()
        if "=" in key or not snapshot.has_term("acronym_pair", key):
            return None
        # rows are sorted, so an acronym defined two ways gets the same long form every time
        for row in snapshot.expand_prefix("acronym_pair", f"{key}="):
            return row[len(key) + 1:]
        return None

    def long_forms_from(self, first: str) -> list[tuple[tuple[str, ...], str]]:
        """The long forms (as index terms) of acronyms the indexed releases define that begin with the index
        term `first`, each with its acronym (as a `value_key`)."""
        snapshot = self._current()
        if not snapshot.has_term("acronym_pair", f"={first}"):
            return []
        forms = []
        for row in snapshot.expand_prefix("acronym_pair", f"={first} "):
            long, _, short = row[1:].rpartition("=")
            forms.append((tuple(long.split(" ")), short))
            if len(forms) >= _MOST_FORMS:
                break
        return forms

    def get(self, id: str) -> Release | None:
        docnum = self.document_number(id)
        return self.release_at(docnum) if docnum is not None else None

    def release_at(self, docnum: int) -> Release:
        """The release stored at a document number of the current snapshot."""
        return stored_release(self._current().stored(int(docnum)))

    def text_at(self, docnum: int) -> str:
        """The headline and body of the release stored at a document number, a line apart: what `--expand`'s
        feedback reads of a query's best documents, where making each a Release would cost twice as much."""
        return stored_text(self._current().stored(int(docnum)))

    def opening_at(self, docnum: int) -> list[str]:
        """The index terms of the opening of the release at a document number (`schema.opening_terms`), read
        from their own column: feedback over the tail reads three a query."""
        return self._current().terms_of("opening", int(docnum))

    def size_bytes(self) -> int:
        if self.folder is None:
            return 0
        return sum(path.stat().st_size for path in self.folder.iterdir() if path.is_file())

    # writing

    @contextmanager
    def writer(self) -> Iterator["IndexWriter"]:
        """The one writer: commits what is pending when the block ends normally, drops it on an exception.

        Raises LockedError when another live process writes; a lock left by a dead one is cleared.
        """
        from .writer import IndexWriter

        lock = WriteLock(self.root)
        lock.acquire()
        try:
            if self.folder is None:
                self._materialise()
            writer = IndexWriter(self)
            try:
                yield writer
                writer.commit()
            finally:
                writer.close()
        finally:
            lock.release()

    def optimize(self) -> None:
        """Merge all segments into one (`wiredesk index optimize`)."""
        if self.folder is None:
            return
        with self.writer() as writer:
            writer.optimize()
            # under the write lock: a folder a reindex is building is not current yet, and must not be taken
            # for an old one
            remove_unused(self.root)

    def storage(self) -> backend.Storage:
        """The index files (for the writer)."""
        return self._storage

    def _materialise(self) -> None:
        # an index opened with create=False on a fresh home becomes real on its first write
        folder = current_folder(self.root)
        if folder is None:
            folder = create_folder(self.root)
            swap_pointer(self.root, folder)
        self.folder = folder
        self._storage = open_storage(folder)
        self._lease = ReaderLease(folder)
        self.refresh()

    def close(self) -> None:
        self.refresh()
        if self._lease:
            self._lease.release()
            self._lease = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(root: Path, *, create: bool = True) -> Index:
    """Open the index under `root` (config.storage.index_root).

    With `create=False` a missing index reads as an empty one (0 documents, 0 hits) and nothing is written.
    StorageError for an index of another schema version ("run `wiredesk reindex`") or an unusable folder.
    """
    root = Path(root)
    while True:
        folder = current_folder(root)
        if folder is None:
            if not create:
                return Index(root, None, backend.empty())
            folder = create_folder(root)
            swap_pointer(root, folder)
        # the lease first, then CURRENT again: a reindex that swapped folders in between may have removed
        # this one, and a folder still current once leased is kept for as long as the index is open
        lease = ReaderLease(folder)
        if current_folder(root) == folder:
            break
        lease.release()
    try:
        return Index(root, folder, open_storage(folder), lease=lease)
    except BaseException:
        lease.release()
        raise
