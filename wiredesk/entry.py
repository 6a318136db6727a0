"""The `wiredesk` command's entry point. It imports nothing heavy, so that Ctrl-C from the command's first
moment, while Python is still loading click and the command's modules, ends it like Ctrl-C at any later one:
the line `Interrupted.` on stderr, exit 130 (128 + SIGINT, as a shell reports it), no traceback."""

from __future__ import annotations

import os
import signal
import sys
from typing import NoReturn

__all__ = ["main", "interrupted", "INTERRUPTED"]

INTERRUPTED = 128 + signal.SIGINT


def interrupted() -> NoReturn:
    """End the process now, after Ctrl-C has unwound the command (its `with` blocks closed, its workers
    stopped). `os._exit`, not `sys.exit`: the interpreter's own shutdown would wait for threads still in a
    blocking call, and a second Ctrl-C there would print a traceback; everything wiredesk writes is safe
    against a process that ends at any moment."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a reader gone, a stream closed: nothing more can be said there
    try:
        os.write(2, b"Interrupted.\n")
    except OSError:
        pass
    os._exit(INTERRUPTED)


def main() -> NoReturn:
    try:
        from .cli import main as run

        run()
    except KeyboardInterrupt:
        interrupted()
    sys.exit(0)
