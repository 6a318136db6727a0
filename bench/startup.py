"""CLI start: wall time of whole `wiredesk` commands, as a person at a terminal waits for them."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from .importing import wiredesk_command

__all__ = ["cli_start"]


def _wall_ms(command: Sequence[str], runs: int) -> dict[str, float]:
    # Python caches compiled modules as users' machines do (PYTHONDONTWRITEBYTECODE, set in some sandboxes,
    # would make every run compile the project's sources again: 30 ms of a 250 ms budget)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # untimed: fills the page cache and writes the bytecode, like a second use
    subprocess.run(command, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1), "runs": runs}


def cli_start(config: Path, query: str, *, runs: int = 15) -> dict[str, dict[str, float]]:
    wiredesk = wiredesk_command()
    return {
        "search": {**_wall_ms([*wiredesk, "--config", str(config), "search", query, "--json"], runs), "query": query},
        "help": _wall_ms([*wiredesk, "--help"], runs),
    }
