"""`wiredesk index check`: a home verified part by part (archive, index, state and alerts databases) and, when
asked, repaired by steps that cannot lose a release.

The repairs, each the safe one for its part:

- **index**: a lost or garbled CURRENT is pointed at the intact version folder holding the most releases; an
  index whose files are damaged (or with no intact folder) is rebuilt from the archive, which refuses to leave
  fewer releases than the index holds (`wiredesk reindex --force` is the person's call, never the repair's);
  segments committed without a checksum record are sealed.
- **state and alerts databases**: the damaged file is moved aside (kept) and made anew with every row that can
  still be read. What the state loses costs a fetch: a page it no longer knows is fetched and indexed again on
  the next run, in place, by its id.
- **archive**: nothing can remake raw pages; an empty archive under an index that holds releases is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.config import Config
from .core.errors import RefusedError
from .lock import run_lock

__all__ = ["PartCheck", "HomeCheck", "check_home"]

STATUSES = ("ok", "absent", "damaged", "repaired", "unrepaired")


@dataclass(frozen=True)
class PartCheck:
    """One part of a home as found (or left by a repair): `status` is one of STATUSES; `detail` says what."""

    part: str  # "archive", "index", "state database", "alerts database"
    path: Path
    status: str
    detail: str = ""

    def to_dict(self) -> dict:
        return {"part": self.part, "path": str(self.path), "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class HomeCheck:
    parts: tuple[PartCheck, ...]

    @property
    def ok(self) -> bool:
        """Nothing damaged is left: every part is ok, absent (not made yet) or repaired."""
        return all(part.status in ("ok", "absent", "repaired") for part in self.parts)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "parts": [part.to_dict() for part in self.parts]}


def check_home(config: Config, *, repair: bool = False, wait: float | None = None) -> HomeCheck:
    """Check every part of the home; with `repair`, under the run lock (`wait` as for `run_lock`), repair what
    is damaged. Reads only, and takes no lock, without `repair`."""
    if not repair:
        return HomeCheck(tuple(_checked(config)))
    with run_lock(config.storage.run_lock, wait=wait):
        return HomeCheck(tuple(_repaired(config, part) for part in _checked(config)))


def _checked(config: Config) -> list[PartCheck]:
    from wiredesk.index import check_index
    from wiredesk.ingest import Archive

    from .core.database import check_database

    storage = config.storage
    index = check_index(storage.index_root)
    parts = []
    if not Archive(storage.archive).is_empty():
        parts.append(PartCheck("archive", storage.archive, "ok", "holds raw pages or import records"))
    elif index.documents:
        parts.append(PartCheck("archive", storage.archive, "damaged",
                               f"holds nothing, while the index holds {index.documents} releases: a lost index "
                               "could not be rebuilt"))
    else:
        parts.append(PartCheck("archive", storage.archive, "absent", "nothing archived yet"))
    if index.problems:
        parts.append(PartCheck("index", storage.index_root, "damaged", "; ".join(index.problems)))
    elif index.folder is None:
        parts.append(PartCheck("index", storage.index_root, "absent", "no index yet"))
    else:
        parts.append(PartCheck("index", storage.index_root, "ok", f"{index.documents} releases in {index.folder.name}"))
    for part, path in (("state database", storage.state_db), ("alerts database", storage.alerts_db)):
        if not path.exists():
            parts.append(PartCheck(part, path, "absent", "not made yet"))
        elif (problem := check_database(path)) is not None:
            parts.append(PartCheck(part, path, "damaged", problem))
        else:
            parts.append(PartCheck(part, path, "ok", "SQLite's quick check passes"))
    return parts


def _repaired(config: Config, found: PartCheck) -> PartCheck:
    if found.part == "index":
        return _repaired_index(config, found)
    if found.status != "damaged":
        return found
    if found.part in ("state database", "alerts database"):
        return _salvaged(found)
    return PartCheck(found.part, found.path, "unrepaired", found.detail)


def _salvaged(found: PartCheck) -> PartCheck:
    from .core.database import salvage

    if found.part == "state database":
        from wiredesk.ingest.state import SCHEMA
        consequence = "pages it no longer knows are fetched again on the next run"
    else:
        from .alerts import SCHEMA
        consequence = "an alert lost must be added again"
    kept = salvage(found.path, SCHEMA, name=found.part)
    rows = ", ".join(f"{table} {count}" for table, count in kept.kept.items())
    return PartCheck(found.part, found.path, "repaired",
                     f"made anew with the rows that could be read ({rows or 'none'}); {consequence}; the damaged "
                     f"file is kept as {kept.aside}")


def _repaired_index(config: Config, found: PartCheck) -> PartCheck:
    from wiredesk.index import check_index, repair_pointer, seal_current

    from .job import reindex_locked

    root = config.storage.index_root
    if found.status == "ok":
        sealed = seal_current(root)
        if sealed:
            return PartCheck(found.part, found.path, "repaired",
                             f"{found.detail}; checksums recorded for {len(sealed)} segments that had none")
        return found
    if found.status != "damaged":
        return found
    if check_index(root).pointer_broken and (folder := repair_pointer(root)) is not None:
        after = check_index(root)
        return PartCheck(found.part, found.path, "repaired",
                         f"CURRENT points at {folder.name} again ({after.documents} releases)")
    try:
        count = reindex_locked(config)
    except RefusedError as exc:
        return PartCheck(found.part, found.path, "unrepaired", f"{found.detail}; {exc}")
    return PartCheck(found.part, found.path, "repaired", f"rebuilt from the archive: {count} releases")
