"""Reading local pages as safely as fetched ones: regular files only, never past a size limit, never blocking.

A FIFO, a device or a socket would block a plain `read_bytes()` forever or stream without end; a sparse file
can claim gigabytes. `read_local` opens without blocking, checks what it opened, and reads at most one byte
past the limit. `folder_problem` tells why a file in a `files` folder is not to be read (a symlink leading
out of the folder, a special file), and `path_url` writes a file name that is not UTF-8 into a URL
without losing which file it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wiredesk.core.errors import Skip

__all__ = ["read_local", "folder_problem", "path_url"]


def read_local(path: Path, *, limit: int) -> bytes:
    """The bytes of the regular file at `path`. Raises Skip (not a regular file, over `limit` bytes) or
    OSError (missing, unreadable)."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(handle, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Skip(f"not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise Skip(f"file over max_bytes ({limit})")
        body = file.read(limit + 1)
    if len(body) > limit:  # grew while we read
        raise Skip(f"file over max_bytes ({limit})")
    return body


def folder_problem(path: Path, root: Path) -> str:
    """Why `path`, found in the folder `root`, is not a page to read ("" when it is one)."""
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return f"cannot read: {exc}"
    if not real.is_relative_to(root.resolve()):
        return "symlink leads outside the folder"
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({_kind(info.st_mode)})"
    return ""


def path_url(relative: str) -> str:
    """`relative` (a POSIX path) fit for a URL: bytes that were not UTF-8 (held as surrogates by
    `os.fsdecode`) and control characters become %XX escapes; every other character stays as it is."""
    out = []
    for char in relative:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"%{code - 0xDC00:02X}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"%{code:02X}")
        else:
            out.append(char)
    return "".join(out)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"
