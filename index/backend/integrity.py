"""Checksums of a version folder's segment files: written after each commit, checked when an index is opened
and, in full, by `wiredesk index check`.

    v-.../MAIN_<segment>.sums    JSON {"files": {NAME: [size, crc32, mtime_ns]}}, one per segment

A segment's files never change once committed (deletions live in the table of contents), so their sizes and
checksums hold for the segment's life, and Whoosh deletes the `.sums` with the segment's other files.
Opening an index compares each file's size with the record (a missing or truncated file) and its
modification time: a file written since (by anything but wiredesk: an editor, a copy gone wrong) has its
checksum computed and compared, so garbage written into a term file no longer changes rankings silently. A
file whose time changed but whose checksum holds (a copy that did not keep times) gets its record brought up
to date, so that the next opening is quick again. `verify(..., full=True)` computes every checksum: damage
that left the times alone (a failing disk).

A segment without a record (one committed by a process killed just after its commit, or by a wiredesk that
wrote none) is not checked; the next commit, or `wiredesk index check --repair`, seals it.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from wiredesk.core.files import replace_file

__all__ = ["Damage", "SUMS", "seal", "sealed", "verify"]

SUMS = ".sums"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Damage:
    path: Path
    problem: str  # what is wrong, in a few words


def _sums_path(folder: Path, segment: str) -> Path:
    return folder / f"{segment}{SUMS}"


def _files(folder: Path, segment: str) -> list[Path]:
    return sorted(path for path in folder.glob(f"{segment}.*") if not path.name.startswith(f"{segment}{SUMS}"))


def _crc(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def _record(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, _crc(path), stat.st_mtime_ns]


def _write(path: Path, files: dict[str, list[int]]) -> None:
    replace_file(path, json.dumps({"files": files}, sort_keys=True).encode("utf-8"))


def sealed(folder: Path, segment: str) -> bool:
    return _sums_path(folder, segment).exists()


def seal(folder: Path, segments: list[str]) -> None:
    """Record the checksums of each segment that has no record yet (the one a commit just wrote, and any the
    last process could not seal)."""
    for segment in segments:
        if not sealed(folder, segment):
            _write(_sums_path(folder, segment), {path.name: _record(path) for path in _files(folder, segment)})


def verify(folder: Path, segments: list[str], *, full: bool = False) -> list[Damage]:
    """What is wrong with the files of `segments` (empty when nothing is); see the module's docstring."""
    found = []
    for segment in segments:
        try:
            files = json.loads(_sums_path(folder, segment).read_text(encoding="utf-8"))["files"]
        except FileNotFoundError:
            continue  # not sealed (yet)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            found.append(Damage(_sums_path(folder, segment), f"unreadable checksums: {exc}"))
            continue
        renewed = dict(files)
        for name, (size, crc, mtime) in files.items():
            path = folder / name
            try:
                stat = path.stat()
                if stat.st_size != size:
                    found.append(Damage(path, f"{stat.st_size} bytes where {size} were written"))
                elif (full or stat.st_mtime_ns != mtime) and _crc(path) != crc:
                    found.append(Damage(path, "its contents changed since it was written"))
                elif stat.st_mtime_ns != mtime:
                    renewed[name] = [size, crc, stat.st_mtime_ns]
            except FileNotFoundError:
                found.append(Damage(path, "the file is missing"))
            except OSError as exc:
                found.append(Damage(path, f"cannot be read: {exc.strerror or exc}"))
        if renewed != files and not found:
            try:
                _write(_sums_path(folder, segment), renewed)
            except OSError:
                pass  # a read-only index: it is checked the slow way each time, still correctly
    return found
