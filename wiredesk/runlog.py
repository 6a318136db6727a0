"""What an ingest run tells its operator, on stderr: one of three forms, chosen once per command.

- `--log-json` (cron, systemd): JSON lines only, one per page whose outcome is final (`indexed` once its
  commit is durable, with `change` new or updated; `unchanged`, `skipped` or `failed` with a `reason`), one
  `source` line per source with its counts, an `alert` line per alert that fired, and a closing `run` line.
  Log records of the `wiredesk` loggers become `log` lines, so the stream stays JSON.
- a terminal: a live progress line (rich) during the run.
- anything else: nothing (no colour, no progress).

stdout carries the run's result: `ingest --json`'s object (one per run; in watch mode, one line per run), or
else, but for `--log-json`, the text summary.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

import click

from .job import IngestReport
from .render import ingest_summary_lines, printable, stderr_is_terminal

__all__ = ["RunLog"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _log_line(event: str, **fields: Any) -> None:
    click.echo(json.dumps({"time": _now(), "event": event, **fields}, ensure_ascii=False), err=True)


class _JsonLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        _log_line("log", level=record.levelname.lower(), logger=record.name, message=message)


class RunLog:
    """Use as a context manager around the run(s); pass `on_outcome` to the job and `report` each result."""

    def __init__(self, *, log_json: bool, as_json: bool) -> None:
        self.log_json = log_json
        self.as_json = as_json
        self.progress: Any = None
        self.count = 0
        self._handler: logging.Handler | None = None

    def __enter__(self) -> RunLog:
        if self.log_json:
            self._handler = _JsonLogHandler(logging.INFO)
            logging.getLogger("wiredesk").addHandler(self._handler)
        elif stderr_is_terminal():
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True),
                                     transient=True)
            self.progress.start()
            self.task = self.progress.add_task("starting", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
        if self._handler is not None:
            logging.getLogger("wiredesk").removeHandler(self._handler)

    def on_outcome(self, outcome: Any) -> None:
        """One page's final outcome (an `ingest.Outcome`)."""
        if self.log_json:
            fields: dict[str, Any] = {"source": outcome.source, "url": outcome.url}
            if outcome.status in ("new", "updated"):
                _log_line("indexed", change=outcome.status, **fields)
            else:
                _log_line(outcome.status, **fields, **({"reason": outcome.reason} if outcome.reason else {}))
        elif self.progress is not None:
            self.count += 1
            self.progress.update(self.task, description=f"{self.count} pages · {outcome.source}: {outcome.status} "
                                                        f"{printable(outcome.url)[:80]}")

    def busy(self, message: str) -> None:
        """Watch mode: a round found the run lock held; it tries again at the next round."""
        if self.log_json:
            _log_line("busy", message=message)
        else:
            click.echo(f"skipped a round: {message}", err=True)

    def report(self, report: IngestReport) -> None:
        """A finished run: its JSON object with --json, else its summary (stdout both)."""
        result = report.to_dict()
        if self.as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        if self.log_json:
            for name, counts in result["sources"].items():
                _log_line("source", source=name, **{k: v for k, v in counts.items() if k != "errors"})
            for name, ids in (report.alerts or {}).items():
                if ids:
                    _log_line("alert", alert=name, ids=ids)
            _log_line("run", outcome="stopped" if report.stopped else "finished", indexed=result["indexed"],
                      new=len(report.new_ids))
        elif not self.as_json:
            for line in ingest_summary_lines(result, stopped=report.stopped):
                click.echo(line)
