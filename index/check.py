"""What is wrong with an index root, and the two repairs that touch no release: pointing CURRENT at an intact
version folder, and sealing segments committed without a checksum record. Rebuilding from the archive is
`rebuild`'s, which refuses to leave fewer releases than the index holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wiredesk.core.errors import StorageError

from . import backend
from .schema import SCHEMA_VERSION
from .store import VERSION_FILE, WriteLock, current_folder, held_documents, swap_pointer, versions

__all__ = ["IndexCheck", "check_index", "folder_problems", "repair_pointer", "seal_current"]


@dataclass(frozen=True)
class IndexCheck:
    """An index root as found: the folder CURRENT names (None when there is no index yet or CURRENT is
    broken), the releases it holds (read from tables of contents, so a damaged index still says) and its
    problems, one line each."""

    root: Path
    folder: Path | None
    documents: int
    pointer_broken: bool
    problems: tuple[str, ...]


def folder_problems(folder: Path) -> list[str]:
    """Every problem of one version folder: its schema version, then each file whose checksum does not hold
    (every file read whole)."""
    try:
        version = (folder / VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        version = "unknown"
    if version != str(SCHEMA_VERSION):
        return [f"the index at {folder} has schema version {version}, this wiredesk reads {SCHEMA_VERSION}"]
    return backend.check_folder(folder)


def check_index(root: Path) -> IndexCheck:
    """Check the index under `root` without changing it."""
    root = Path(root)
    try:
        folder = current_folder(root)
    except StorageError as exc:
        return IndexCheck(root, None, held_documents(root), True, (str(exc),))
    if folder is None:
        return IndexCheck(root, None, 0, False, ())
    return IndexCheck(root, folder, backend.committed_documents(folder) or 0, False, tuple(folder_problems(folder)))


def repair_pointer(root: Path) -> Path | None:
    """Point CURRENT at the intact version folder holding the most releases (the newest of equals); None,
    and nothing changed, when no folder is intact.

    The most releases rather than simply the newest: a reindex killed before its swap leaves a newer folder
    holding only part of the index."""
    root = Path(root)
    lock = WriteLock(root)
    lock.acquire()
    try:
        intact = [(count, folder.name, folder) for folder, count in versions(root)
                  if count is not None and not folder_problems(folder)]
        if not intact:
            return None
        _, _, best = max(intact)
        swap_pointer(root, best)
        return best
    finally:
        lock.release()


def seal_current(root: Path) -> list[str]:
    """Record the checksums of the current folder's segments that have none (a writer killed just after its
    commit); their names."""
    root = Path(root)
    lock = WriteLock(root)
    lock.acquire()
    try:
        folder = current_folder(root)
        return backend.seal_folder(folder) if folder is not None else []
    finally:
        lock.release()
