"""index stage: the schema and every write (add-or-update, delete, clusters, locks, reindex), and reading
as plain values (`Index`, `Segment`).

Whoosh stays behind `backend`, the one package that imports it; FORMAT.md describes the files. Everything but
the schema's constants is imported on first use: a search does not pay for the writing side, and the
workers that analyse an import's releases (`tokens`) never load Whoosh.
"""

from typing import Any

from .schema import FACET_FIELDS, MISSING, SCHEMA_VERSION

__all__ = ["Index", "IndexWriter", "Segment", "open_index", "rebuild", "held_documents", "IndexCheck", "check_index",
           "repair_pointer", "seal_current", "FACET_FIELDS", "MISSING", "SCHEMA_VERSION"]


def __getattr__(name: str) -> Any:
    if name in ("Index", "open_index"):
        from . import handle

        found = getattr(handle, name)
    elif name == "Segment":
        from .backend import Segment as found
    elif name == "IndexWriter":
        from .writer import IndexWriter as found
    elif name == "rebuild":
        from .rebuild import rebuild as found
    elif name == "held_documents":
        from .store import held_documents as found
    elif name in ("IndexCheck", "check_index", "repair_pointer", "seal_current"):
        from . import check

        found = getattr(check, name)
    else:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    # importing the submodule `index.rebuild` set the package attribute of that name to the module: the
    # function must replace it
    globals()[name] = found
    return found
