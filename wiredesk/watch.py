"""`wiredesk ingest --watch`: run the due sources, sleep until the next one is due, again, until stopped.

The config is read once. Each round is one ordinary `run_ingest` under the run lock, taken per round, so a
cron run or a `reindex` can still take its turn; a round that finds the lock held waits for the next one.
A failing source is not run again until its backed-off `next_due` (the state computes it). A source
without `every` is due on every round; rounds are at least `MIN_SLEEP` and at most `MAX_SLEEP` apart.

SIGTERM or SIGINT sets a flag that the run checks between pages: it commits what it has, abandons the
pages in flight (not yet confirmed in the state, so the next run fetches them again) and the loop ends
(the command then exits 0 for SIGTERM, a service stopped, and 130 for Ctrl-C, as any command does).
A second signal stops at once, which is as safe as a kill.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from types import FrameType

from .core.config import Config
from .core.errors import LockedError
from .job import COMMIT_EVERY, IngestReport, run_ingest

__all__ = ["StopFlag", "stop_on_signals", "watch_sources", "seconds_until_due", "MAX_SLEEP"]

MAX_SLEEP = 60.0  # seconds between two looks at the schedule, however far the next source is
MIN_SLEEP = 1.0  # never spin: a source whose next_due is already past waits at least this long
_TICK = 0.2  # how often a sleep looks at the flag (a signal handler must not take locks, so it only sets one)


class StopFlag:
    """Set from a signal handler or another thread; read between pages and while sleeping."""

    def __init__(self) -> None:
        self.requested = False
        self.signal: int | None = None  # the signal that set it, when one did

    def __call__(self) -> bool:
        return self.requested

    def set(self) -> None:
        """Ask the run to stop: it commits what it has and ends (the next run fetches the rest)."""
        self.requested = True

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.requested and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, _TICK))


@contextmanager
def stop_on_signals() -> Iterator[StopFlag]:
    """A StopFlag that SIGTERM and SIGINT set; a second signal raises KeyboardInterrupt (stop now)."""
    flag = StopFlag()

    def handler(signum: int, frame: FrameType | None) -> None:
        if flag.requested:
            raise KeyboardInterrupt
        flag.signal = signum
        flag.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield flag
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def seconds_until_due(config: Config, names: Sequence[str] = (), *, now: datetime | None = None) -> float:
    """Seconds until the next enabled (or named) source is due, within [MIN_SLEEP, MAX_SLEEP]."""
    from wiredesk.ingest import source_status

    now = now or datetime.now(timezone.utc)
    wait = MAX_SLEEP
    for row in source_status(config):
        if not row["enabled"] or (names and row["name"] not in names) or not row["next_due"]:
            continue
        wait = min(wait, (datetime.fromisoformat(row["next_due"]) - now).total_seconds())
    return max(MIN_SLEEP, wait)


def watch_sources(config: Config, *, stop: StopFlag, names: Sequence[str] = (),
          on_report: Callable[[IngestReport], None], on_busy: Callable[[str], None],
          on_outcome: Callable[..., None] | None = None, commit_every: int = COMMIT_EVERY) -> int:
    """Run rounds until `stop` is set; returns the number of runs made."""
    from wiredesk.ingest import due_sources

    runs = 0
    while not stop():
        sources = [s for s in due_sources(config) if not names or s.name in names]
        if sources:
            try:
                report = run_ingest(config, sources, on_outcome=on_outcome, stop=stop, commit_every=commit_every)
            except LockedError as exc:
                on_busy(str(exc))
            else:
                runs += 1
                on_report(report)
        stop.sleep(seconds_until_due(config, names))
    return runs
