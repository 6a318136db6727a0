"""The README's Python example, run exactly as written (piped to `python -`, as a user might), prints
exactly the output the README shows under it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import CHECKOUT


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_the_python_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    section = _section((CHECKOUT / "README.md").read_text(encoding="utf-8"), "## Use from Python")
    code, shown = re.findall(r"```(?:python)?\n(.*?)```", section, flags=re.S)[:2]
    # the shipped config, its relative sample path made absolute, its storage in a fresh folder
    config = (CHECKOUT / "config.toml").read_text(encoding="utf-8")
    config = config.replace('path = "ingest/sample/feed.xml"', f'path = "{(CHECKOUT / "ingest/sample/feed.xml").as_posix()}"')
    assert str(CHECKOUT) in config
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    done = subprocess.run([sys.executable, "-"], input=code, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == shown
