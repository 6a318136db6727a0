"""The index files of one version folder: made from the schema's declaration, opened, read and committed.

The on-disk schema is Whoosh's, made of `schema.fields()` with the classes of `persisted`; what each file
holds is in FORMAT.md.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage, RamStorage

from wiredesk.core.errors import StorageError

from ..schema import FieldSpec
from ..schema import fields as declared_fields
from . import generations, integrity
from .persisted import (DictColumn, ExactField, NumberColumn, PositionsFormat, SignatureColumn, TermsColumn,
                        TextAnalyzer)
from .reading import Snapshot

if TYPE_CHECKING:
    from .writing import Commit

__all__ = ["Storage", "create", "open_folder", "empty", "whoosh_schema", "segment_ids", "committed_documents",
           "check_folder", "seal_folder"]


def _field(spec: FieldSpec, analyzer: TextAnalyzer) -> fields.FieldType:
    if spec.kind == "text":
        return fields.FieldType(PositionsFormat(), analyzer, scorable=True)
    if spec.kind == "exact":
        return ExactField(column=spec.column, unique=spec.unique, fold=spec.fold, stored=spec.stored)
    if spec.kind == "date":
        return fields.COLUMN(NumberColumn())
    if spec.kind == "stored":
        return fields.STORED()
    if spec.kind == "signature":
        return fields.COLUMN(SignatureColumn())
    if spec.kind == "terms":
        return fields.COLUMN(TermsColumn())
    raise ValueError(f"unknown field kind {spec.kind!r} of {spec.name!r}")


def whoosh_schema() -> fields.Schema:
    """The on-disk schema of `schema.fields()`."""
    analyzer = TextAnalyzer()
    schema = fields.Schema()
    for spec in declared_fields():
        schema.add(spec.name, _field(spec, analyzer))
    return schema


class Storage:
    """An index's files, opened: a snapshot to read, a commit to write."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        self._ix = ix

    def snapshot(self) -> Snapshot:
        return Snapshot(self._ix)

    def commit(self) -> Commit:
        """A new commit over the latest state (the caller holds the write lock). The writing side is imported
        here, on first use, so that a search does not pay for it."""
        from .writing import Commit

        return Commit(self._ix)


def create(folder: Path) -> None:
    """Write an empty index of the current schema into a folder."""
    FileStorage(str(folder)).create_index(whoosh_schema())


class _FileIndex(whoosh_index.FileIndex):
    """Whoosh's index of a folder, made without reading its table of contents: a commit may replace that
    at any moment, so readers read it held (`generations.hold_latest`)."""

    def __init__(self, folder: Path) -> None:
        self.storage = FileStorage(str(folder))
        self._schema = None
        self.indexname = whoosh_index._DEF_INDEX_NAME


_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, whoosh_index.IndexError, ImportError, AttributeError)


def open_folder(folder: Path) -> Storage:
    """The index in a folder; StorageError, naming the file and `wiredesk reindex`, when its files cannot be
    read (say, written by a wiredesk whose classes have moved) or are damaged (`integrity`)."""
    ix = _FileIndex(folder)
    try:
        damage = _damage(ix, folder)
    except _UNREADABLE as exc:
        raise StorageError(f"cannot open the index at {folder}: {exc}: run `wiredesk reindex`") from exc
    if damage:
        raise StorageError(f"the index file {damage[0].path} is damaged ({damage[0].problem}): run `wiredesk reindex` "
                           "to rebuild the index from the archive")
    return Storage(ix)


def committed_documents(folder: Path) -> int | None:
    """The live documents of the folder's latest commit, from its table of contents alone (no segment file is
    read, so a damaged index still tells how much it held); None when even that cannot be read."""
    try:
        hold = generations.hold_latest(_FileIndex(folder))
    except _UNREADABLE:
        return None
    hold.release()
    return sum(segment.doc_count() for segment in hold.toc.segments)


def check_folder(folder: Path) -> list[str]:
    """Every problem of the index in a folder, one line each (empty when none): its table of contents must
    open and every checksum of its segments' files hold, each file read whole (`integrity.verify(full=True)`),
    so damage that left the files' times alone is found too."""
    try:
        damage = _damage(_FileIndex(folder), folder, full=True)
    except _UNREADABLE as exc:
        return [f"cannot open the index at {folder}: {exc}"]
    return [f"the index file {found.path} is damaged ({found.problem})" for found in damage]


def seal_folder(folder: Path) -> list[str]:
    """Record the checksums of the segments that have none (committed by a process killed just after its
    commit); returns their names."""
    unsealed = [segment for segment in segment_ids(_FileIndex(folder)) if not integrity.sealed(folder, segment)]
    integrity.seal(folder, unsealed)
    return unsealed


def segment_ids(ix: whoosh_index.FileIndex) -> list[str]:
    """The names of the segments of the index's latest commit (`MAIN_<id>`, the stem of their files)."""
    hold = generations.hold_latest(ix)
    hold.release()
    return hold.segment_ids()


def _damage(ix: whoosh_index.FileIndex, folder: Path, *, full: bool = False) -> list[integrity.Damage]:
    # the latest commit is held while its files are checked: a writer committing meanwhile deletes none of them
    hold = generations.hold_latest(ix)
    try:
        return integrity.verify(folder, hold.segment_ids(), full=full)
    finally:
        hold.release()


def empty() -> Storage:
    """An empty index in memory (what a missing index reads as)."""
    return Storage(RamStorage().create_index(whoosh_schema()))
