"""The open index: a snapshot to read, and the one way in for writers."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.searching import Searcher

from wiredesk.core.release import Release

from .analysis import value_key
from .schema import build_schema, stored_release
from .segments import Segment, segments_of
from .store import ReaderLease, WriteLock, create_folder, current_folder, open_whoosh, remove_unused, swap_pointer

if TYPE_CHECKING:
    from .writer import IndexWriter

__all__ = ["Index", "open_index"]

# long forms read for one first word: "national" may begin hundreds; a query's words match few of them
_MOST_FORMS = 1000


class Index:
    """An index root opened for reading; `writer()` takes the write lock for changes.

    Reads see the snapshot taken at the first read after opening or after this handle's last commit, so a
    search is never torn by a writer in another process.
    """

    def __init__(self, root: Path, folder: Path | None, whoosh: whoosh_index.Index) -> None:
        self.root = root
        self.folder = folder
        self._whoosh = whoosh
        self._lease = ReaderLease(folder) if folder else None
        self._searcher: Searcher | None = None
        self._segments: list[Segment] | None = None

    # reading

    def searcher(self) -> Searcher:
        """The Whoosh searcher of the current snapshot (shared; do not close it)."""
        if self._searcher is None:
            self._searcher = self._whoosh.searcher()
        return self._searcher

    def refresh(self) -> None:
        """Let the next read see commits made since the snapshot was taken."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._segments = None

    def segments(self) -> list[Segment]:
        """numpy views of the snapshot's segments; their cached arrays live as long as the snapshot."""
        if self._segments is None:
            self._segments = segments_of(self.searcher())
        return self._segments

    def acronym_long_form(self, short: str) -> str | None:
        """The long form (as a `value_key`) that the indexed releases give an acronym, if they define it."""
        key = value_key(short)
        reader = self.searcher().reader()
        if "=" in key or ("acronym_pair", key) not in reader:
            return None
        # rows are sorted, so an acronym defined two ways gets the same long form every time
        for row in reader.expand_prefix("acronym_pair", f"{key}="):
            return row.decode("utf-8")[len(key) + 1:]
        return None

    def long_forms_from(self, first: str) -> list[tuple[tuple[str, ...], str]]:
        """The long forms (as index terms) of acronyms the indexed releases define that begin with the index
        term `first`, each with its acronym (as a `value_key`)."""
        reader = self.searcher().reader()
        if ("acronym_pair", f"={first}") not in reader:
            return []
        forms = []
        for row in reader.expand_prefix("acronym_pair", f"={first} "):
            long, _, short = row.decode("utf-8")[1:].rpartition("=")
            forms.append((tuple(long.split(" ")), short))
            if len(forms) >= _MOST_FORMS:
                break
        return forms

    def document_count(self) -> int:
        return self.searcher().doc_count()

    def get(self, id: str) -> Release | None:
        stored = self.searcher().document(id=id)
        return stored_release(stored) if stored else None

    def release_at(self, docnum: int) -> Release:
        """The release stored at a document number of the current snapshot."""
        return stored_release(self.searcher().stored_fields(docnum))

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
        remove_unused(self.root)

    def whoosh(self) -> whoosh_index.Index:
        return self._whoosh

    def _materialise(self) -> None:
        # an index opened with create=False on a fresh home becomes real on its first write
        folder = current_folder(self.root)
        if folder is None:
            folder = create_folder(self.root)
            swap_pointer(self.root, folder)
        self.folder = folder
        self._whoosh = open_whoosh(folder)
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
    folder = current_folder(root)
    if folder is None:
        if not create:
            return Index(root, None, RamStorage().create_index(build_schema()))
        folder = create_folder(root)
        swap_pointer(root, folder)
    return Index(root, folder, open_whoosh(folder))
