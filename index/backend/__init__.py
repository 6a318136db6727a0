"""The one place that knows Whoosh: every Whoosh import of wiredesk, public or private, is in this package.

wiredesk writes and reads Whoosh's W3 segments itself (`bulk`, `postings`, `reading`), which leans on the
byte layout and the private names of one Whoosh release. So this package refuses to load under any other:
the check below runs before the first Whoosh module is imported. What the rest of wiredesk sees is plain
values: `Storage` (open, snapshot, commit), a `Snapshot` of `Segment`s answering with arrays, strings,
numbers and stored records, and a `writing.Commit` taking documents (imported on first write). The on-disk format is in ../FORMAT.md; the
classes an index pickles are in `persisted`, whose names never move.
"""

from __future__ import annotations

import whoosh

from wiredesk.core.errors import StorageError

__all__ = ["WHOOSH_VERSION", "Storage", "Snapshot", "Segment", "SIGNATURE_CHUNK", "create", "open_folder", "empty",
           "whoosh_schema", "committed_documents", "check_folder", "seal_folder"]

WHOOSH_VERSION = (2, 7, 5)  # whoosh-reloaded, the release whose W3 layout and internals this package uses

if tuple(whoosh.__version__) != WHOOSH_VERSION:
    raise StorageError(f"wiredesk needs whoosh-reloaded {'.'.join(map(str, WHOOSH_VERSION))}, but Whoosh "
                       f"{whoosh.versionstring()} is installed: pip install 'whoosh-reloaded=="
                       f"{'.'.join(map(str, WHOOSH_VERSION))}'")

from .loading import load  # noqa: E402  (after the version check: it imports Whoosh's modules)

load()

from .reading import SIGNATURE_CHUNK, Segment, Snapshot  # noqa: E402
from .storage import (  # noqa: E402
    Storage, check_folder, committed_documents, create, empty, open_folder, seal_folder, whoosh_schema)
