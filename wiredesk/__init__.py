"""wiredesk: press-release and wire-news ingestion and search.

    from wiredesk import Desk
    desk = Desk.open("config.toml")
    results = desk.search("green hydrogen", facets=["agency"])

Three layers, each importing only downward: `wiredesk.core` (the `Release` type, config, errors, worker
processes); the stages `wiredesk.ingest`, `wiredesk.index` and `wiredesk.search`; and the application in
this package's own modules (the Python API in `desk`, the jobs, the CLI).

The public names below are imported from their modules on first use (PEP 562), so `import wiredesk`,
which every stage does to reach `wiredesk.core`, and `wiredesk --help` load none of the heavy parts.
"""

# imported under private names: every public name of this module is in `__all__` (a test holds it to that)
import importlib as _importlib
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

__version__ = "0.1.0"

# The stage packages are the folders `ingest/`, `index/` and `search/` at the top of a checkout, which an
# install puts inside this package. Run from a checkout (`python -m pytest`, `python -m wiredesk`), Python
# finds this folder before the installed package, so it is told where the stages are.
_CHECKOUT = _Path(__file__).resolve().parent.parent
if (_CHECKOUT / "ingest" / "__init__.py").is_file() and not (_Path(__file__).parent / "ingest").exists():
    __path__.append(str(_CHECKOUT))

# public name -> the module that defines it
_EXPORTS = {
    "Desk": "wiredesk.desk",
    # what the API returns
    "Results": "wiredesk.search.results", "Hit": "wiredesk.search.results",
    "Explanation": "wiredesk.search.explain", "TermScore": "wiredesk.search.explain",
    "FieldScore": "wiredesk.search.explain",
    "Release": "wiredesk.core.release", "Dateline": "wiredesk.core.release",
    "Story": "wiredesk.reports", "Copy": "wiredesk.reports", "Stats": "wiredesk.reports",
    "RunSummary": "wiredesk.reports", "SourceStatus": "wiredesk.reports", "IndexSize": "wiredesk.reports",
    "IngestReport": "wiredesk.job", "SourceReport": "wiredesk.job", "ImportReport": "wiredesk.records",
    "Outcome": "wiredesk.ingest.harvest", "RawPage": "wiredesk.ingest.page", "Extraction": "wiredesk.extract_files",
    "HomeCheck": "wiredesk.check", "PartCheck": "wiredesk.check",
    "AddedSource": "wiredesk.sourcebook", "ImportedSources": "wiredesk.sourcebook",
    "Alert": "wiredesk.alerts", "AlertMatch": "wiredesk.alerts", "StopFlag": "wiredesk.watch",
    # a desk made in code
    "Config": "wiredesk.core.config", "StorageConfig": "wiredesk.core.config", "FetchConfig": "wiredesk.core.config",
    "SourceConfig": "wiredesk.core.config", "ExtractRules": "wiredesk.core.config", "AlertsConfig": "wiredesk.core.config",
    # errors (see wiredesk.core.errors for the tree and the exit codes)
    **{name: "wiredesk.core.errors" for name in (
        "WiredeskError", "UsageError", "ConfigError", "QueryError", "RunError", "LockedError", "NotFoundError",
        "StorageError", "FetchError", "FetchTimeout", "BadStatusError", "Skip")},
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> _Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wiredesk' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if _TYPE_CHECKING:  # for type checkers and editors, which do not run __getattr__
    from wiredesk.core.config import AlertsConfig, Config, ExtractRules, FetchConfig, SourceConfig, StorageConfig
    from wiredesk.core.errors import (BadStatusError, ConfigError, FetchError, FetchTimeout, LockedError, NotFoundError,
                                      QueryError, RunError, Skip, StorageError, UsageError, WiredeskError)
    from wiredesk.core.release import Dateline, Release
    from wiredesk.ingest.harvest import Outcome
    from wiredesk.ingest.page import RawPage
    from wiredesk.search.explain import Explanation, FieldScore, TermScore
    from wiredesk.search.results import Hit, Results

    from .alerts import Alert, AlertMatch
    from .desk import Desk
    from .extract_files import Extraction
    from .job import IngestReport, SourceReport
    from .records import ImportReport
    from .reports import Copy, IndexSize, RunSummary, SourceStatus, Stats, Story
    from .watch import StopFlag
