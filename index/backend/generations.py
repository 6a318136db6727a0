"""Readers' holds on the commits of a version folder, so that a commit deletes only files no reader needs.

    v-.../_MAIN_<n>.toc        the table of contents of commit n (Whoosh's)
    v-.../readers-<n>.lock     empty; a reader of commit n holds a shared flock on it while it reads

Whoosh deletes, at each commit, every older table of contents and the files of the segments merged away. A
search that listed the folder just before would then open a file that is gone, or read a column of a
segment it still sees as absent. So a reader takes a shared hold on the commit it is about to read before it
reads the table of contents (`hold_latest`), and a commit deletes an older commit's files only once it can
hold that commit exclusively (`delete_unheld`): the files of a commit still held wait for a later commit.
The kernel drops a dead reader's hold with its process.
"""

from __future__ import annotations

import fcntl
import re
from pathlib import Path
from typing import IO, Any

from whoosh import index as whoosh_index

__all__ = ["Hold", "hold_latest", "delete_unheld"]

_LOCK = "readers-{}.lock"
_LOCK_NAME = re.compile(r"readers-([0-9]+)\.lock")


class Hold:
    """A commit's table of contents, with the shared hold that keeps its files (None: a folder that cannot
    hold a lock file, say a read-only one, which no commit changes either)."""

    def __init__(self, toc: Any, lock: IO[bytes] | None) -> None:
        self.toc = toc
        self._lock = lock

    def segment_ids(self) -> list[str]:
        """The names of the commit's segments (`MAIN_<id>`, the stem of their files)."""
        return [segment.segment_id() for segment in self.toc.segments]

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing drops the flock
            self._lock = None


def _folder(storage: Any) -> Path | None:
    folder = getattr(storage, "folder", None)  # an index in memory has none
    return Path(folder) if folder else None


def _shared(folder: Path, generation: int) -> IO[bytes] | None:
    try:
        lock = open(folder / _LOCK.format(generation), "a+b")
    except OSError:
        return None
    fcntl.flock(lock, fcntl.LOCK_SH)
    return lock


def hold_latest(ix: whoosh_index.FileIndex) -> Hold:
    """The latest commit's table of contents, held. EmptyIndexError when the folder holds no commit."""
    folder = _folder(ix.storage)
    while True:
        generation = ix.latest_generation()
        if generation < 0:
            raise whoosh_index.EmptyIndexError(f"Index {ix.indexname!r} does not exist in {ix.storage!r}")
        lock = _shared(folder, generation) if folder else None
        try:
            toc = whoosh_index.TOC.read(ix.storage, ix.indexname, generation)
        except FileNotFoundError:
            if lock is not None:
                lock.close()
            if ix.latest_generation() == generation:
                raise
            continue  # a newer commit replaced it and deleted it before the hold was taken: read that one
        except BaseException:
            if lock is not None:
                lock.close()
            raise
        return Hold(toc, lock)


def delete_unheld(storage: Any, indexname: str, generation: int, segments: list[Any]) -> None:
    """After commit `generation` of `segments` (the writer holds the write lock): delete each older table of
    contents no reader holds, then every segment file that neither the new commit nor a held one names."""
    folder = Path(storage.folder)
    toc_name = whoosh_index.TOC._pattern(indexname)
    segment_name = whoosh_index.TOC._segment_pattern(indexname)
    names = list(storage)
    keep = {segment.segment_id() for segment in segments}
    older = sorted({int(found.group(1)) for name in names
                    if (found := toc_name.match(name) or _LOCK_NAME.fullmatch(name))} - {generation})
    for old in older:
        path = folder / _LOCK.format(old)
        with open(path, "a+b") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                keep.update(segment.segment_id() for segment in _segments(storage, indexname, old))
                continue
            # the table of contents goes first, so that a reader who holds it next finds it gone
            _delete(folder / whoosh_index.TOC._filename(indexname, old))
            _delete(path)
    for name in names:
        found = segment_name.match(name)
        if found and found.group(1) not in keep:
            _delete(folder / name)


def _segments(storage: Any, indexname: str, generation: int) -> list[Any]:
    try:
        return whoosh_index.TOC.read(storage, indexname, generation).segments
    except FileNotFoundError:
        return []  # a lock a reader took after its commit was gone: it reads a newer one


def _delete(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
