"""The one-way flow of DESIGN.md, checked on every import of every module.

    wiredesk.core  <-  wiredesk.ingest, wiredesk.index  <-  wiredesk.search  <-  the application (wiredesk/*)

Imports are read from the source, so an import inside a function or under `if TYPE_CHECKING:` (where a lazy
import would hide a cycle) counts like any other, and a relative import counts as the module it names.
The allowed directions are the tables below; each names the sentence of DESIGN.md it writes down.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from conftest import CHECKOUT

# Where each package's modules are in a checkout (pyproject's package-dir, held to it by a test below).
FOLDERS = {"wiredesk": "wiredesk", "wiredesk.ingest": "ingest", "wiredesk.index": "index", "wiredesk.search": "search"}

# What each layer may import of wiredesk besides itself. "Three layers, each importing only downward": core
# imports no stage; ingest and index import only core ("index ... takes `Release` values and knows nothing of
# HTTP or HTML"); search reads the index ("on the index's API. It knows nothing of fetching"); the application
# (the API, jobs, alerts, watch, CLI, web) imports them all.
LAYERS: dict[str, set[str]] = {
    "wiredesk.core": set(),
    "wiredesk.ingest": {"wiredesk.core"},
    "wiredesk.index": {"wiredesk.core"},
    "wiredesk.search": {"wiredesk.core", "wiredesk.index"},
    "wiredesk": {"wiredesk.core", "wiredesk.ingest", "wiredesk.index", "wiredesk.search"},
}

# Inside ingest: "sources enumerate URLs with hints, the fetcher turns URLs into raw pages and records state
# ..., the archive keeps raw pages, and extraction runs an ordered list of steps ... Re-running extraction
# from the archive needs no network." Acquisition and extraction never import each other: both read pages
# through the shared modules, and a run joins them. Every module of ingest is in one part (a test says so).
INGEST_PARTS: dict[str, set[str]] = {
    # the fetched page, how HTML is read (bytes to text to tree), the per-source CSS rules
    "shared": {"page", "markup", "rules"},
    "acquisition": {"sources", "fetch", "inflate", "robots", "localfiles", "state", "archive", "status", "discover"},
    # pages, and import records, made into releases
    "extraction": {"extract", "pipeline", "clean", "metadata", "listing", "newsml", "dateline", "dates", "agency",
                   "gazetteer", "entities", "people", "places", "words", "language", "records"},
    # a harvest (sources to releases), a replay (archive to releases), and the package's own names
    "runs": {"harvest", "replay", "__init__"},
}
INGEST_ALLOWED: dict[str, set[str]] = {
    "shared": set(),
    "acquisition": {"shared"},
    "extraction": {"shared"},
    "runs": {"shared", "acquisition", "extraction"},
}

# Libraries one stage owns: "the only code that touches Whoosh's internals" is index's backend, and neither the
# index nor search knows of HTTP or HTML.
LIBRARIES: dict[str, set[str]] = {
    "whoosh": {"wiredesk.index.backend"},
    **{library: {"wiredesk.core", "wiredesk.ingest", "wiredesk"}
       for library in ("httpx", "bs4", "soupsieve", "lxml", "trafilatura", "feedparser")},
}


def _modules() -> dict[str, Path]:
    """Every module of wiredesk, by the name it is imported as, with its file in the checkout."""
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted((CHECKOUT / folder).rglob("*.py")):
            parts = [package, *path.relative_to(CHECKOUT / folder).with_suffix("").parts]
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer(module: str) -> str:
    """The layer a wiredesk module belongs to: a stage, core, or (any other module of wiredesk) the application."""
    return next((layer for layer in LAYERS if layer != "wiredesk" and _within(module, layer)), "wiredesk")


def _ingest_name(module: str) -> str:
    """The module of ingest (its first part below `wiredesk.ingest`) that `module` is or is in."""
    return module.removeprefix("wiredesk.ingest").lstrip(".").partition(".")[0] or "__init__"


def _ingest_part(module: str) -> str | None:
    return next((part for part, names in INGEST_PARTS.items() if _ingest_name(module) in names), None)


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file: wiredesk's modules, resolved, and the libraries of LIBRARIES."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            # `from wiredesk import search` imports a module; `from wiredesk import Desk` a name of `wiredesk`
            found += [(node.lineno, f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
                      for alias in node.names]
    tracked = {"wiredesk", *LIBRARIES, *FOLDERS.values()}
    return [(line, name) for line, name in found if name.partition(".")[0] in tracked]


def _violations() -> list[str]:
    problems = []
    for module, path in MODULES.items():
        for line, imported in _imports(module, path):
            where = f"{path.relative_to(CHECKOUT)}:{line} imports {imported}"
            top = imported.partition(".")[0]
            mine, theirs = _layer(module), _layer(imported)
            if top in LIBRARIES:
                if not any(_within(module, owner) for owner in LIBRARIES[top]):
                    problems.append(f"{where}: only {', '.join(sorted(LIBRARIES[top]))} may")
            elif top != "wiredesk":
                problems.append(f"{where}: a stage by its folder's name (installed, it is wiredesk.{top})")
            elif theirs != mine and theirs not in LAYERS[mine]:
                problems.append(f"{where}: {mine} imports no later layer")
            elif mine == theirs == "wiredesk.ingest":
                my_part, their_part = _ingest_part(module), _ingest_part(imported)
                if my_part and their_part and their_part != my_part and their_part not in INGEST_ALLOWED[my_part]:
                    problems.append(f"{where}: ingest's {my_part} imports nothing of its {their_part}")
    return problems


def test_no_import_runs_against_the_flow() -> None:
    assert _violations() == []


def test_every_module_is_read() -> None:
    assert {"wiredesk.core.release", "wiredesk.ingest.harvest", "wiredesk.index.writer", "wiredesk.index.backend.bulk",
            "wiredesk.search.run", "wiredesk.cli", "wiredesk", "wiredesk.ingest"} <= set(MODULES)


def test_the_folders_are_where_the_build_takes_the_packages_from() -> None:
    setuptools = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {"wiredesk": "wiredesk", **setuptools["package-dir"]} == FOLDERS


def test_every_module_of_ingest_is_in_one_part() -> None:
    names = [name for names in INGEST_PARTS.values() for name in names]
    assert sorted(name for name in set(names) if names.count(name) > 1) == [], "in two parts"
    on_disk = {_ingest_name(module) for module in MODULES if _within(module, "wiredesk.ingest")}
    assert sorted(on_disk - set(names)) == [], "in no part of INGEST_PARTS"
    assert sorted(set(names) - on_disk) == [], "in INGEST_PARTS but not in ingest/"


@pytest.mark.parametrize(("module", "source", "expected"), [
    # an import inside a function, as a lazy import is written
    ("wiredesk.index.writer", "def f():\n    from wiredesk.ingest import Archive\n", ["wiredesk.ingest"]),
    # relative imports, from a module and from a package's __init__
    ("wiredesk.search.run", "from ..ingest.state import iso\nfrom . import query\n",
     ["wiredesk.ingest.state", "wiredesk.search.query"]),
    ("wiredesk.core.config", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from wiredesk import desk\n",
     ["wiredesk.desk"]),
    ("wiredesk.ingest.sources", "import wiredesk.ingest.clean as clean\nfrom wiredesk import Desk\nimport os\n",
     ["wiredesk.ingest.clean", "wiredesk"]),
    ("wiredesk.search.snippets", "import lxml.html\nfrom index import schema\n", ["lxml.html", "index"]),
])
def test_the_reader_finds_every_kind_of_import(tmp_path: Path, module: str, source: str, expected: list[str]) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    assert [name for _, name in _imports(module, path)] == expected


def test_a_package_resolves_relative_imports_from_itself(tmp_path: Path) -> None:
    path = tmp_path / "__init__.py"
    path.write_text("from .harvest import Harvest\nfrom .. import core\n", encoding="utf-8")
    assert [name for _, name in _imports("wiredesk.ingest", path)] == ["wiredesk.ingest.harvest", "wiredesk.core"]


def test_the_web_app_reads_only_through_the_desk() -> None:
    """"The CLI and the web app parse input, call the API, and render": no module of wiredesk.web imports a stage."""
    stages = ("wiredesk.ingest", "wiredesk.index", "wiredesk.search")
    found = [f"{module} imports {imported}" for module, path in MODULES.items() if _within(module, "wiredesk.web")
             for _, imported in _imports(module, path) if any(_within(imported, stage) for stage in stages)]
    assert [module for module in MODULES if _within(module, "wiredesk.web")], "wiredesk.web is not read"
    assert found == []
