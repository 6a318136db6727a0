"""Where the index lives on disk: version folders behind a pointer, the write lock, and reader leases.

    ROOT/CURRENT            "v-20251125T024000-ab12": the folder searches open
    ROOT/v-.../             one index (FORMAT.md), its SCHEMA_VERSION file and its readers.lock
    ROOT/write.lock         {"pid", "host", "started"} of the one process that writes

`wiredesk reindex` builds a new folder while searches go on reading the old one, then swaps CURRENT with an
atomic rename. A reader holds a shared flock on its folder's readers.lock for as long as it is open; the
kernel drops it when the process dies, so an old folder is removed exactly when no reader holds it.
The write lock is a file naming its holder (not a flock), so a lock left by a killed process can be told
from a live one and cleared, and `LockedError` can say who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from wiredesk.core.errors import LockedError, StorageError
from wiredesk.core.files import replace_file

from . import backend
from .schema import SCHEMA_VERSION

__all__ = ["POINTER", "WRITE_LOCK", "VERSION_FILE", "current_folder", "create_folder", "open_storage", "swap_pointer",
           "remove_unused", "versions", "held_documents", "ReaderLease", "WriteLock"]

POINTER = "CURRENT"
_VERSION = re.compile(r"v-\d{8}T\d{6}-[0-9a-f]{4}")
WRITE_LOCK = "write.lock"
VERSION_FILE = "SCHEMA_VERSION"
_READERS = "readers.lock"


def _storage_error(action: str, path: Path, exc: OSError) -> StorageError:
    return StorageError(f"cannot {action} {path}: {exc.strerror or exc}")


def current_folder(root: Path) -> Path | None:
    """The version folder CURRENT names, or None when there is no index yet.

    StorageError when CURRENT is missing or names no folder while a version folder holds releases: the
    index would otherwise read as empty, and the next write would start a new one and delete the rest."""
    name = _pointer(root)
    while True:
        if name and _VERSION.fullmatch(name) and (root / name).is_dir():
            return root / name
        again = _pointer(root)
        if again == name:
            break
        name = again  # a reindex swapped in a new folder and removed the one read meanwhile
    held = [folder for folder, count in versions(root) if count]
    if held:
        problem = "is missing" if name is None else f"names no index folder ({name[:40]!r})"
        raise StorageError(f"{root / POINTER} {problem}, but {root} holds index versions: run "
                           "`wiredesk index check --repair` to point it at the newest intact one")
    if name is None:
        return None
    raise StorageError(f"{root / POINTER} names no index folder ({name[:40]!r}): run `wiredesk reindex`")


def _pointer(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"cannot read {root / POINTER}: {getattr(exc, 'strerror', None) or exc}: run "
                           "`wiredesk index check --repair`") from exc


def versions(root: Path) -> list[tuple[Path, int | None]]:
    """Every version folder, newest first, with the releases its last commit holds (None: unreadable)."""
    folders = sorted((path for path in root.glob("v-*") if _VERSION.fullmatch(path.name) and path.is_dir()),
                     reverse=True)
    return [(folder, backend.committed_documents(folder)) for folder in folders]


def held_documents(root: Path) -> int:
    """The releases the index holds, read from the table of contents alone so that a damaged index still
    says; with CURRENT broken, the most any version folder holds."""
    try:
        folder = current_folder(root)
    except StorageError:
        return max((count or 0 for _, count in versions(root)), default=0)
    return (backend.committed_documents(folder) or 0) if folder is not None else 0


def create_folder(root: Path) -> Path:
    """A new, empty version folder holding an index of this schema version (not yet current)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    folder = root / f"v-{stamp}-{secrets.token_hex(2)}"
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise _storage_error("create the index in", root, exc) from exc
    try:
        backend.create(folder)
        (folder / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", encoding="utf-8")
    except BaseException as exc:  # a full disk, Ctrl-C: no half-made folder is left behind
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _storage_error("create the index in", root, exc) from exc
        raise
    return folder


def open_storage(folder: Path) -> backend.Storage:
    """The index in a version folder, refused when it was built for another schema version."""
    try:
        version = (folder / VERSION_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        version = "unknown"
    except OSError as exc:
        raise _storage_error("read", folder / VERSION_FILE, exc) from exc
    if version != str(SCHEMA_VERSION):
        raise StorageError(f"the index at {folder} has schema version {version}, this wiredesk needs "
                           f"{SCHEMA_VERSION}: run `wiredesk reindex`")
    return backend.open_folder(folder)


def swap_pointer(root: Path, folder: Path) -> None:
    """Make `folder` current in one atomic step: readers see the old folder or the new one, never neither."""
    try:
        replace_file(root / POINTER, (folder.name + "\n").encode("utf-8"), durable=True)
    except OSError as exc:
        raise _storage_error("update", root / POINTER, exc) from exc


def remove_unused(root: Path) -> list[Path]:
    """Delete version folders that are not current and that no open reader holds; returns those removed."""
    current = current_folder(root)
    removed = []
    for folder in sorted(root.glob("v-*")):
        if folder == current or not folder.is_dir():
            continue
        try:
            with open(folder / _READERS, "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder)
                removed.append(folder)
        except BlockingIOError:
            continue  # a search still reads it; a later reindex or writer removes it
        except OSError:
            continue  # unremovable now (permissions, a racing remover): harmless, retried later
    return removed


class ReaderLease:
    """A shared hold on a version folder, so that a reindex does not remove it under an open search."""

    def __init__(self, folder: Path) -> None:
        self._handle: IO[bytes] | None = None
        try:
            self._handle = open(folder / _READERS, "a+b")
            fcntl.flock(self._handle, fcntl.LOCK_SH)
        except OSError:
            # a read-only index folder cannot hold the lease file; nothing can remove it then either
            if self._handle:
                self._handle.close()
            self._handle = None

    def release(self) -> None:
        if self._handle:
            self._handle.close()  # closing drops the flock
            self._handle = None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


class WriteLock:
    """The one-writer lock for an index root, held from `acquire` to `release`."""

    def __init__(self, root: Path) -> None:
        self.path = root / WRITE_LOCK
        self._held = False

    def acquire(self) -> None:
        host = os.uname().nodename  # the host name, without loading the socket module into every search
        record = json.dumps({"pid": os.getpid(), "host": host, "started": datetime.now(timezone.utc).isoformat()})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _storage_error("create", self.path.parent, exc) from exc
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._clear_if_stale(host)
                continue
            except OSError as exc:
                raise _storage_error("lock", self.path, exc) from exc
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(record)
            self._held = True
            return
        raise LockedError(f"cannot take the index write lock {self.path}")

    def _clear_if_stale(self, host: str) -> None:
        try:
            holder = json.loads(self.path.read_text(encoding="utf-8"))
            pid, holder_host = int(holder["pid"]), str(holder["host"])
        except FileNotFoundError:
            return  # released meanwhile: try again
        except (OSError, ValueError, KeyError, TypeError):
            # unreadable: a writer may be between creating and filling it; only an old one is stale
            if datetime.now().timestamp() - self.path.stat().st_mtime < 10:
                raise LockedError(f"the index is being written (lock {self.path})") from None
            pid, holder_host = -1, host
        if holder_host != host or (pid > 0 and _alive(pid)):
            since = holder.get("started", "?") if pid > 0 else "?"
            raise LockedError(f"the index is being written by process {pid} on {holder_host} since {since} "
                              f"(lock {self.path})")
        # dead holder: move the file aside atomically so two clearing processes cannot both win
        aside = self.path.with_name(f"{WRITE_LOCK}.stale-{os.getpid()}")
        try:
            os.rename(self.path, aside)
            aside.unlink()
        except FileNotFoundError:
            pass

    def release(self) -> None:
        if self._held:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self._held = False
