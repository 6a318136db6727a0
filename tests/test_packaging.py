"""What an install puts in site-packages: `wiredesk` and its metadata, nothing with a generic name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import CHECKOUT

# what a checkout may hold that is not part of the project (virtual environments, build output, caches)
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                     ".hypothesis", "data", "out")


def _source_packages() -> list[str]:
    """Every package of the checkout, named as installed: a folder with an __init__.py under `wiredesk/` or a
    stage folder (which installs as `wiredesk.<stage>`)."""
    found = []
    for top, installed in (("wiredesk", "wiredesk"), ("ingest", "wiredesk.ingest"), ("index", "wiredesk.index"),
                           ("search", "wiredesk.search")):
        for init in sorted((CHECKOUT / top).rglob("__init__.py")):
            parts = init.parent.relative_to(CHECKOUT / top).parts
            found.append(".".join((installed, *parts)))
    return found


def test_a_wheel_holds_only_the_wiredesk_package(tmp_path: Path) -> None:
    """Built offline from a copy of the checkout (so the build leaves nothing in it), then installed into a
    folder and imported from elsewhere: the stages are found inside `wiredesk`."""
    source = tmp_path / "source"
    shutil.copytree(CHECKOUT, source, ignore=_NOT_SOURCE)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist")], cwd=source, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("wiredesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"wiredesk", wheel.name.rsplit("-", 3)[0] + ".dist-info"}
    for package in _source_packages():
        assert f"{package.replace('.', '/')}/__init__.py" in names, f"{package} is missing from the wheel"
    assert "wiredesk/ingest/sample/feed.xml" in names
    # what `wiredesk serve` renders and serves
    assert {"wiredesk/web/templates/search.html", "wiredesk/web/static/app.js", "wiredesk/web/static/style.css"} <= set(names)

    site = tmp_path / "site"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                                str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert {path.name for path in site.iterdir()} - {"bin"} == {"wiredesk", wheel.name.rsplit("-", 3)[0] + ".dist-info"}
    code = "import wiredesk.index, wiredesk.search, wiredesk.ingest.sources as s; print(wiredesk.index.__file__, s.__file__)"
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert found.returncode == 0, found.stderr[-2000:]
    assert all(Path(path).is_relative_to(site) for path in found.stdout.split())
