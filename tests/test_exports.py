"""Each package's public names: every name in `__all__` exists, and nothing public is left out of it."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ("ingest", "index", "search")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_resolves(name: str) -> None:
    package = importlib.import_module(name)
    missing = [attr for attr in package.__all__ if not hasattr(package, attr)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"
    assert len(set(package.__all__)) == len(package.__all__)


def test_the_cli_path_does_not_load_the_fetcher_or_extractors() -> None:
    """`wiredesk stats` and `sources` read the state: importing what they use must stay light."""
    import subprocess
    import sys

    code = ("import sys; from ingest import last_run, source_status, due_sources; "
            "print(sorted(m for m in ('httpx', 'trafilatura', 'wiredesk.ingest.fetch', 'wiredesk.ingest.extract') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_command_line_group_loads_no_heavy_module() -> None:
    """`wiredesk --help` (150 ms budget) imports the click group only: no worker pools, numpy, Whoosh or HTTP."""
    import subprocess
    import sys

    heavy = ("multiprocessing", "concurrent.futures.process", "numpy", "whoosh", "httpx", "bs4", "trafilatura")
    code = f"import sys, wiredesk.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
