"""The run lock: one `wiredesk ingest` (or `reindex`) at a time per storage home.

An advisory `flock` on `home/run.lock`. The kernel drops it when the holder dies, even by SIGKILL, so a
stale lock cannot outlive its process; the pid written inside is only there to name the holder.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .core.errors import LockedError, StorageError

__all__ = ["run_lock"]


@contextmanager
def run_lock(path: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the run lock for the `with` block.

    `wait=None` fails at once when another process holds it; otherwise retry for up to `wait` seconds.
    Raises LockedError (exit 1) naming the holder's pid, StorageError when the home is not writable.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"cannot create the run lock {path}: {exc.strerror or exc}") from exc
    try:
        deadline = time.monotonic() + (wait or 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if wait is None or time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    waited = f" after waiting {wait:g} s" if wait else ""
                    raise LockedError(f"another wiredesk run holds the lock{waited} (pid {holder}, {path})") from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
