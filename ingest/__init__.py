"""ingest: everything up to a finished `Release` — sources, fetching, state, the raw archive, extraction.

The run API for the CLI and the scheduled job is `Harvest` and the functions beside it in `harvest`.
Names are imported from their modules on first use, so `from ingest import last_run` does not load the
fetcher and the extractors (and their heavy libraries) for a command that only reads the state.
The functions named like their modules are imported from those modules: `from ingest.extract import
extract`, `from ingest.clean import clean`, `from ingest.replay import replay`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Archive": "archive",
    "CleanPage": "clean", "body_text": "clean",
    "decode_html": "markup",
    "Discovery": "discover", "Found": "discover", "discover": "discover",
    "Fetcher": "fetch", "Response": "fetch", "scope_problem": "fetch",
    "Harvest": "harvest", "Outcome": "harvest",
    "due_sources": "status", "last_run": "status", "source_status": "status",

    "RawPage": "page",
    "Robots": "robots",
    "Item": "sources", "file_items": "sources", "list_items": "sources", "parse_feed": "sources",
    "parse_listing": "sources", "parse_sitemap": "sources",
    "ensure_schema": "state", "open_state": "state",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
