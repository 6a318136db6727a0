"""`wiredesk import` of a corpus into a fresh home, through the real CLI in a child process."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from .measure import run_child

__all__ = ["folder_bytes", "home_for", "import_corpus", "index_is_current", "wiredesk_command", "write_config"]

# Written into a home after its import: the schema version the index was built with.
STAMP = "bench-schema-version"


def wiredesk_command() -> list[str]:
    """The installed `wiredesk` script beside this interpreter (the one users run), else `python -m wiredesk`."""
    script = Path(sys.executable).with_name("wiredesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "wiredesk"]


def write_config(home: Path, *, fetch: dict[str, object] | None = None, sources: Sequence[dict[str, object]] = ()) -> Path:
    """A config.toml in `home` whose storage is `home` itself (paths in it are relative to the file)."""
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[storage]", 'home = "."', ""]
    if fetch:
        lines.append("[fetch]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in fetch.items()]
        lines.append("")
    for source in sources:
        lines.append("[[sources]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in source.items()]
        lines.append("")
    path = home / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")  # json.dumps writes valid TOML for str, number, bool
    return path


def home_for(out: Path, size: int, seed: int) -> Path:
    return out / f"home-s{seed}-{size}"


def _schema_version() -> str:
    from wiredesk.index import SCHEMA_VERSION

    return str(SCHEMA_VERSION)


def index_is_current(home: Path) -> bool:
    """Whether `home` holds an index built with the schema this checkout writes (index/ bumps the version
    with every change that needs a reindex; an older index would be refused, or fail to open)."""
    from wiredesk.core.errors import StorageError
    from wiredesk.index import open_index

    stamp = home / STAMP
    if not ((home / "index").exists() and stamp.exists() and stamp.read_text() == _schema_version()):
        return False
    try:  # the same version written by an older checkout may still be unreadable (a class that moved)
        open_index(home / "index", create=False).close()
    except StorageError:
        return False
    return True


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0


def import_corpus(corpus: Path, home: Path, *, size: int) -> dict[str, float]:
    """Import `corpus` into a new home at `home` (an old one is removed first) and measure it."""
    shutil.rmtree(home, ignore_errors=True)
    config = write_config(home)
    run = run_child([*wiredesk_command(), "--config", str(config), "import", str(corpus), "--json"]).check("import")
    report = json.loads(run.stdout)
    if report.get("imported") != size:
        raise RuntimeError(f"import loaded {report.get('imported')} of {size} releases: {report.get('errors', [])[:3]}")
    (home / STAMP).write_text(_schema_version())
    index = folder_bytes(home / "index")
    return {
        "documents": size,
        "seconds": round(run.seconds, 2),
        "docs_per_s": round(size / run.seconds, 1),
        "index_bytes": index,
        "index_bytes_per_doc": round(index / size, 1),
        "archive_bytes_per_doc": round(folder_bytes(home / "archive") / size, 1),
        "peak_rss_mb": round(run.peak_rss / 1e6, 1),
        "peak_tree_rss_mb": round(run.peak_tree_rss / 1e6, 1),
    }
