"""Whoosh stays behind one boundary: only index/backend/ imports it, only index/ imports the backend, and
the backend refuses to load under a Whoosh release it was not written for."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGES = ("wiredesk", "ingest", "index", "search", "bench")
BACKEND = CHECKOUT / "index" / "backend"


def _imports(path: Path) -> set[str]:
    """Every module a source file imports (absolute names; relative imports as written, with dots)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def _sources() -> list[Path]:
    return [path for package in PACKAGES for path in (CHECKOUT / package).rglob("*.py")]


def test_no_module_outside_the_backend_imports_whoosh():
    offenders = sorted(str(path.relative_to(CHECKOUT)) for path in _sources()
                       if BACKEND not in path.parents
                       and any(name == "whoosh" or name.startswith("whoosh.") for name in _imports(path)))
    assert offenders == []


def test_only_index_reaches_into_the_backend():
    offenders = sorted(str(path.relative_to(CHECKOUT)) for path in _sources()
                       if (CHECKOUT / "index") not in path.parents
                       and any(name.startswith("wiredesk.index.backend") for name in _imports(path)))
    assert offenders == []


def test_another_whoosh_release_is_refused_with_one_line(tmp_path):
    (tmp_path / "config.toml").write_text('[storage]\nhome = "home"\n', encoding="utf-8")
    code = ("import sys, whoosh; whoosh.__version__ = (2, 7, 4); from wiredesk.cli import main; "
            "sys.argv = ['wiredesk', '--config', sys.argv[1], 'search', 'budget']; main()")
    child = subprocess.run([sys.executable, "-c", code, str(tmp_path / "config.toml")], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(CHECKOUT)}, timeout=60)
    assert child.returncode == 1
    assert child.stderr == ("Error: wiredesk needs whoosh-reloaded 2.7.5, but Whoosh 2.7.4 is installed: "
                            "pip install 'whoosh-reloaded==2.7.5'\n")


def test_searching_loads_no_writing_machinery():
    """A `wiredesk search` pays for reading only: Whoosh's writer, the analysis workers and their process
    pools are imported on the first write."""
    writing = ("whoosh.writing", "multiprocessing", "concurrent.futures.process", "wiredesk.index.tokens",
               "wiredesk.index.backend.writing")
    code = f"import sys, wiredesk.search; print(sorted(m for m in {writing!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_analysis_workers_load_no_whoosh():
    """An import's workers analyse releases (`index.tokens`) without the backend: less memory per worker."""
    code = "import sys, wiredesk.index.tokens; print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
