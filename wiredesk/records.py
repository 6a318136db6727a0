"""Import records, a stream of JSON lines, read into batches of releases with their analysis for `import`.

Parsing records into releases (ingest's `records`) and analysing them for the index (index's `tokens`) is
most of the CPU an import takes, and none of it depends on other records; the process that writes the index
is an import's bottleneck. So a long stream goes to worker processes a chunk of lines at a time, several
chunks ahead, and each worker does both for its chunk: releases with their analysis unpickle in a small
fraction of the time they take to make, and the workers keep at it while the index writes a segment. A
stream of one chunk or less is done in this process, which is quicker than starting workers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain, islice
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future

    from wiredesk.index.tokens import Analysed
    from wiredesk.ingest.records import Records

__all__ = ["ImportReport", "Batch", "read_records", "CHUNK"]

CHUNK = 500  # lines per task: a worker holds about three times its records at once (90 MB at 1,000)
WORKERS = 2  # the writing process waits on them only when they fall behind; on two cores, two keep up
AHEAD = 2 * WORKERS  # tasks in flight: more kept no import faster, and each holds about 8 MB


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line": number, "reason": ...} per line not imported
    alerts: dict[str, list[str]] | None = None  # alert name -> ids it fired for; None when none is saved

    def to_dict(self) -> dict:
        """The `import --json` shape, plus "alerts" when alerts are saved (as `ingest --json`)."""
        result: dict = {"imported": self.imported, "failed": len(self.errors), "errors": self.errors}
        if self.alerts is not None:
            result["alerts"] = self.alerts
        return result


@dataclass
class Batch:
    """The records of consecutive lines (their releases, as the archive keeps them, the lines that could not
    be read) and the releases' analysis for the index."""

    records: Records
    analysed: Analysed


def read_records(stream: IO[str] | IO[bytes], report: ImportReport, *, source: str) -> Iterator[Batch]:
    """The records of JSON lines, a batch at a time, in order; a bad line goes into `report.errors` with its
    number. A record without a `source` gets `source`; without `fetched`, the time the import started."""
    now = datetime.now(timezone.utc).isoformat()
    chunks = _chunks(stream)
    first, second = next(chunks, None), next(chunks, None)
    if second is None:
        if first is not None:
            yield _reported(_parse(*first, source=source, now=now), report)
        return
    from .core.workers import WorkerPool

    pending: deque[tuple[tuple[int, list[str]], Future[Batch]]] = deque()
    # an import stopped early (Ctrl-C, a full disk) waits for no chunk it will not read: closing kills
    with WorkerPool(WORKERS, name="wiredesk-import") as pool:
        for chunk in chain((first, second), chunks):
            pending.append((chunk, pool.submit(_parse, *chunk, source=source, now=now)))
            if len(pending) > AHEAD:
                yield _reported(_result(*pending.popleft()), report)
        while pending:
            yield _reported(_result(*pending.popleft()), report)


def _chunks(stream: IO[str] | IO[bytes]) -> Iterator[tuple[int, list]]:
    # (number of the first line, lines)
    number = 1
    while lines := list(islice(stream, CHUNK)):
        yield number, lines
        number += len(lines)


def _reported(batch: Batch, report: ImportReport) -> Batch:
    report.errors.extend(batch.records.errors)
    return batch


def _result(chunk: tuple[int, list[str]], future: Future[Batch]) -> Batch:
    from wiredesk.index.tokens import analyse
    from wiredesk.ingest.records import Records

    from .core.errors import WorkerError

    try:
        return future.result()
    except WorkerError as exc:
        # its worker died twice (a line that takes all the memory?): its lines are reported, the rest loads
        first, lines = chunk
        return Batch(Records([], [], [
            {"line": number, "reason": f"lines {first}-{first + len(lines) - 1} could not be parsed: {exc}"}
            for number, line in enumerate(lines, start=first) if line.strip()]), analyse([]))


def _parse(first: int, lines: list[str], *, source: str, now: str) -> Batch:
    """Lines numbered from `first` as a batch of records, analysed."""
    from wiredesk.index.tokens import analyse
    from wiredesk.ingest.records import parse_lines

    records = parse_lines(first, lines, source=source, now=now)
    return Batch(records, analyse(records.releases))
