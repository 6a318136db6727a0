"""search stage: query parsing, filters, facets, ranking, snippets and result shapes."""

from .dates import parse_when
from .documents import show, similar, stats
from .results import Hit, Results
from .run import SORTS, SearchRequest, batch, export, matching_ids, run

__all__ = ["SearchRequest", "Results", "Hit", "SORTS", "run", "batch", "export", "matching_ids", "show", "similar",
           "stats", "parse_when"]
