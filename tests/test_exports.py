"""Each package's public names: every name in `__all__` exists, and nothing public is left out of it."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ("wiredesk.ingest", "wiredesk.index", "wiredesk.search", "wiredesk.web")


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

    code = ("import sys; from wiredesk.ingest import last_run, source_status, due_sources; "
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


def _resolved_wiredesk() -> object:
    import wiredesk

    for name in wiredesk.__all__:
        getattr(wiredesk, name)
    return wiredesk


def test_the_package_exports_exactly_its_public_names() -> None:
    """`wiredesk.__all__` against the package's public names, both ways (as httpx's test_exported_members)."""
    import types

    wiredesk = _resolved_wiredesk()
    assert wiredesk.__all__ == ["__version__", *sorted(wiredesk.__all__[1:])]
    public = {name for name, value in vars(wiredesk).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)} | {"__version__"}
    assert public == set(wiredesk.__all__)
    assert set(dir(wiredesk)) >= public
    # each exported name is its module's own public name, not something picked up on the way
    for name in wiredesk.__all__[1:]:
        value = getattr(wiredesk, name)
        module = importlib.import_module(value.__module__)
        assert name in getattr(module, "__all__", ()), f"{name} is not in {value.__module__}.__all__"


def test_everything_the_api_hands_out_can_be_named_from_the_package() -> None:
    """Every type in a public `Desk` signature is exported: a caller can annotate what it gets back."""
    import inspect
    import typing

    wiredesk = _resolved_wiredesk()
    from wiredesk import desk as desk_module

    namespace = {**vars(desk_module), **{name: getattr(wiredesk, name) for name in wiredesk.__all__}}
    seen: set[type] = set()

    def walk(hint: object) -> None:
        if isinstance(hint, type) and hint.__module__.startswith("wiredesk"):
            seen.add(hint)
        for arg in typing.get_args(hint):
            walk(arg)

    for name, member in inspect.getmembers(wiredesk.Desk):
        if not name.startswith("_") and callable(member):
            for hint in typing.get_type_hints(member, localns=namespace).values():  # NameError: not exported
                walk(hint)
    assert seen and all(getattr(wiredesk, cls.__name__, None) is cls for cls in seen), seen
