"""`python -m bench --results` keeps the figures of earlier runs: it merges with the file of those runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_results_refuses_to_rewrite_the_block_without_the_runs_it_shows(tmp_path):
    # a copy of the bench package, so that a failure rewrites the copy's RESULTS.md, not the checkout's
    shutil.copytree(ROOT / "bench", tmp_path / "bench", ignore=shutil.ignore_patterns("out", "__pycache__"))
    results = tmp_path / "bench" / "RESULTS.md"
    before = results.read_bytes()
    assert b"- run 0:" in before
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "bench", "cli", "--results", "--out", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    message = done.stderr.strip().splitlines()[-1]
    assert "--results would drop figures" in message and f"{out / 'results.json'} holds 0" in message
    assert results.read_bytes() == before
    assert not out.exists()  # nothing ran
