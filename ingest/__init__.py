"""ingest: everything up to a finished `Release` — sources, fetching, state, the raw archive, extraction.

The run API for the CLI and the scheduled job is `Harvest` and the functions beside it in `harvest`.
"""

from .archive import Archive
from .clean import CleanPage, body_text, clean
from .decode import decode_html
from .extract import extract
from .fetch import Fetcher, Response, scope_problem
from .harvest import Harvest, Outcome, archive_record, due_sources, last_run, replay, source_status
from .page import RawPage
from .robots import Robots
from .sources import Item, file_items, list_items, parse_feed, parse_listing, parse_sitemap
from .state import ensure_schema, open_state

__all__ = [
    "CleanPage", "body_text", "clean", "decode_html",
    "Archive", "Fetcher", "Harvest", "Item", "Outcome", "RawPage", "Response", "Robots",
    "archive_record", "due_sources", "ensure_schema", "extract", "file_items", "last_run", "list_items",
    "open_state", "parse_feed", "parse_listing", "parse_sitemap", "replay", "scope_problem", "source_status",
]
