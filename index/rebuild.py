"""`wiredesk reindex`: build a fresh version folder beside the current one, then swap the pointer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable, Iterable

from wiredesk.core.errors import RefusedError
from wiredesk.core.release import Release

from .handle import Index
from .store import WriteLock, create_folder, open_storage, remove_unused, swap_pointer
from .writer import BATCH, IndexWriter

__all__ = ["rebuild"]


def rebuild(root: Path, releases: Iterable[Release], *, progress: Callable[[int], None] | None = None,
            keep_at_least: int = 0) -> int:
    """Index `releases` into a new folder and make it current; returns the number of documents.

    Searches keep reading the old folder until the swap and may go on with it after; it is removed once no
    reader holds it. The write lock is held throughout, so no change to the old folder is lost. When the new
    folder holds fewer than `keep_at_least` documents it is dropped and RefusedError raised: the old index
    stays as it was.
    """
    root = Path(root)
    lock = WriteLock(root)
    lock.acquire()
    try:
        folder = create_folder(root)
        fresh: Index | None = None
        writer: IndexWriter | None = None
        try:  # from the folder's making: a Ctrl-C while the writer starts must not leave it behind either
            fresh = Index(root, folder, open_storage(folder))
            writer = IndexWriter(fresh)
            done = 0
            for release in releases:
                writer.add([release])
                done += 1
                if progress and done % BATCH == 0:
                    progress(done)
            writer.commit()
            count = fresh.document_count()
            if count < keep_at_least:
                raise RefusedError(f"reindex would leave {count} releases where the index holds {keep_at_least}, "
                                   "so the index was kept as it is (`wiredesk reindex --force` replaces it anyway)")
        except BaseException:
            if fresh is not None:
                fresh.close()
            shutil.rmtree(folder, ignore_errors=True)  # a half-built folder is never made current
            raise
        finally:
            if writer is not None:
                writer.close()
        fresh.close()
        if progress:
            progress(done)
        swap_pointer(root, folder)
        remove_unused(root)
        return count
    finally:
        lock.release()
