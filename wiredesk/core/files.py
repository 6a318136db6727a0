"""Replacing a file in one step: readers see the old content or the new, never a part.

The archive's pages and packs, the index's checksums and its CURRENT pointer, and the config file are all
written this way. The data goes to a temporary name in the same folder (same file system, so the rename is
atomic), which a failed write removes; a process killed mid-write leaves at most a dot-file beside the real
one, which nothing reads.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["replace_file"]


def replace_file(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Put `data` at `path` atomically. `durable`: also fsync the file and its folder, so the new content
    survives a power cut once this returns (for a pointer that must never name a folder not yet on disk).

    Raises OSError; the caller says what could not be written.
    """
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
