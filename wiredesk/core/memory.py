"""Freed memory handed back to the system at once (glibc only; elsewhere nothing): in the index's writer and
in every worker process.

Writing a segment makes and drops numpy arrays of tens of megabytes, one range of terms after another, and an
import's analysis workers do the same a chunk at a time. glibc serves an allocation of more than its mmap
threshold with a mapping of its own, which `free` unmaps; but the threshold rises to the size of each such
block freed, so soon the big arrays come from the heap, and memory freed there stays in the process. Fixing
the threshold at 128 KB keeps every big array mapped. An import of 100,000 releases (shared machine, one
run each): writing process 453 -> 432 MB, whole process tree 640 -> 587 MB (the workers' lighter start, no
Whoosh, included).

A worker does it before anything else: an extraction worker's warm-up parses GeoNames' cities (50 MB of
JSON) and grows its tables to their final size, and what it drops would otherwise stay in the worker for
the run (a worker after its first 300 pages: 203 -> 195 MB).
"""

from __future__ import annotations

import ctypes

__all__ = ["return_freed_memory"]

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
_THRESHOLD = 1 << 17
_done = False


def return_freed_memory() -> None:
    """Fix glibc's mmap threshold for this process (once; a no-op where the C library is not glibc)."""
    global _done
    if _done:
        return
    _done = True
    # the C library the process has loaded already; `ctypes.util.find_library` would start `ldconfig -p`, a
    # child process in every worker as it starts
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None and getattr(libc, "gnu_get_libc_version", None) is not None:
        mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)
