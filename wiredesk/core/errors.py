"""wiredesk's exceptions, and the exit code each one means.

    WiredeskError                  any error wiredesk reports as one line
    ├── UsageError        (exit 2) bad option or argument
    │   ├── ConfigError            bad config file: carries the path, key and line
    │   └── QueryError             a query that cannot be parsed, a bad --since
    └── RunError          (exit 1) the command could not do its work
        ├── LockedError            another run holds the run lock, or a live writer holds the index
        ├── NotFoundError          `show`/`similar` of an unknown id
        ├── RefusedError           a change that would lose releases, not asked for with --force
        ├── StorageError           home, state database or index not usable (not writable, wrong version)
        │   └── DiskFullError      no space left on the device holding the home (carries the path)
        ├── FetchError             a page could not be fetched (carries the url)
        │   ├── FetchTimeout
        │   └── BadStatusError     an HTTP status that is not success (carries the status)
        └── WorkerError            a task in a worker process could not finish
            ├── WorkerDied         its worker died twice (killed, out of memory)
            └── WorkerTimeout      it ran past its deadline (carries the seconds); its worker was stopped

`Skip` is not an error: a stage raises it to say "no release here, for this reason", and the runner
counts it. The CLI entry point is the one place that turns these into a message and an exit code, and the
web app's error handler the one place that turns them into a message and an HTTP status.
"""

from __future__ import annotations

__all__ = [
    "WiredeskError", "UsageError", "ConfigError", "QueryError", "RunError", "LockedError", "NotFoundError", "RefusedError",
    "StorageError", "DiskFullError", "FetchError", "FetchTimeout", "BadStatusError", "WorkerError", "WorkerDied", "WorkerTimeout",
    "Skip", "one_line",
]


class WiredeskError(Exception):
    exit_code = 1


class UsageError(WiredeskError):
    exit_code = 2


class ConfigError(UsageError):
    def __init__(self, message: str, *, path: str = "", key: str = "", line: int | None = None) -> None:
        self.path, self.key, self.line = path, key, line
        where = path + (f":{line}" if line else "")
        prefix = f"{where}: " if where else ""
        prefix += f"{key}: " if key else ""
        super().__init__(prefix + message)


class QueryError(UsageError):
    pass


class RunError(WiredeskError):
    exit_code = 1


class LockedError(RunError):
    pass


class NotFoundError(RunError):
    pass


class RefusedError(RunError):
    pass


class StorageError(RunError):
    pass


class DiskFullError(StorageError):
    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no space left on the device holding {path}: free some space and run the command again "
                         "(nothing committed is lost)")


class FetchError(RunError):
    def __init__(self, message: str, *, url: str = "") -> None:
        self.url = url
        super().__init__(message)


class FetchTimeout(FetchError):
    pass


class BadStatusError(FetchError):
    def __init__(self, message: str, *, url: str = "", status: int = 0) -> None:
        self.status = status
        super().__init__(message, url=url)


class WorkerError(RunError):
    pass


class WorkerDied(WorkerError):
    pass


class WorkerTimeout(WorkerError):
    def __init__(self, message: str, *, seconds: float = 0.0) -> None:
        self.seconds = seconds
        super().__init__(message)


def one_line(error: BaseException) -> str:
    """An error's message as the CLI and the web app show it: on one line."""
    return " ".join(str(error).split()) or "unknown error"


class Skip(Exception):
    """Raised by a stage for an input that yields no release; `reason` is short and human-readable."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
