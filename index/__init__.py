"""index stage: the Whoosh schema and every write (add-or-update, delete, clusters, locks, reindex)."""

from .handle import Index, open_index
from .rebuild import rebuild
from .schema import FACET_FIELDS, SCHEMA_VERSION
from .writer import IndexWriter

__all__ = ["Index", "IndexWriter", "open_index", "rebuild", "FACET_FIELDS", "SCHEMA_VERSION"]
