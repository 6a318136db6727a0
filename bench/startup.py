"""CLI start: wall time of whole `wiredesk` commands, as a person at a terminal waits for them."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from .importing import wiredesk_command

__all__ = ["cli_start"]


def _wall_ms(command: Sequence[str], runs: int) -> dict[str, float]:
    subprocess.run(command, capture_output=True, check=True)  # untimed: fills the page cache, like a second use
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1), "runs": runs}


def cli_start(config: Path, query: str, *, runs: int = 15) -> dict[str, dict[str, float]]:
    wiredesk = wiredesk_command()
    return {
        "search": {**_wall_ms([*wiredesk, "--config", str(config), "search", query, "--json"], runs), "query": query},
        "help": _wall_ms([*wiredesk, "--help"], runs),
    }
