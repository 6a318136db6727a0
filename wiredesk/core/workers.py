"""Worker processes for the CPU-bound steps (extraction, tokenising, parsing import records).

Workers are spawned, not forked: the parent may be running threads (an event loop, an archive writer), and
forking a threaded process is unsafe. They ignore SIGINT, because Ctrl-C at a terminal reaches the whole
process group and the parent decides how to stop: it shuts its pool down. A parent killed outright (SIGKILL,
the OOM killer) cannot do that, and an idle worker would wait forever on its queue, so each worker also
watches for its parent to go and then exits.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["process_pool"]


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes that leave interrupts to this one and end when it ends."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_watch_parent, initargs=(os.getpid(),))


def _watch_parent(parent: int) -> None:
    # the parent's pid comes from the parent: a worker still starting when the parent dies would otherwise
    # read its new parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="wiredesk-orphan-watch").start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
