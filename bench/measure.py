"""Run a child process to its end: its wall time, output, and memory.

Two memory figures, because `wiredesk ingest` extracts in worker processes:
- `peak_rss`: the high-water mark of the largest single process of the tree (the kernel's own count,
  from `wait4`, which covers grandchildren the child waited for), what "peak RSS" usually means;
- `peak_tree_rss`: the most the whole tree held at once, from polling /proc; what the machine must have.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ChildRun", "machine", "run_child", "tree_rss"]

_KIB = 1024  # /proc reports kB


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes
    peak_tree_rss: int  # bytes

    def check(self, what: str) -> ChildRun:
        if self.returncode != 0:
            raise RuntimeError(f"{what} exited {self.returncode}: {self.stderr.strip()[-2000:]}")
        return self


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            found.extend(int(child) for child in text.split())
    except OSError:
        pass  # the process has just exited
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and all its descendants right now."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo.extend(_children(current))
    return total * _KIB


def run_child(command: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float = 3600.0, poll: float = 0.05,
              on_poll: Callable[[int], None] | None = None) -> ChildRun:
    """Run `command` with stdout and stderr captured to files (no pipe can fill up and stall it).

    `on_poll(tree_rss_bytes)` is called at every poll, so a caller can note the memory at moments it
    knows of (e.g. when the server has served its 500th page). A child still running after `timeout`
    seconds is killed.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(list(command), stdout=out, stderr=err, env=env, cwd=cwd)
        peak_tree = 0
        while True:
            # wait4 rather than Popen.wait: it hands back the child's own resource usage
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            current = tree_rss(child.pid)
            peak_tree = max(peak_tree, current)
            if on_poll:
                on_poll(current)
            if time.perf_counter() - started > timeout:
                child.kill()
            time.sleep(poll)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        out.seek(0)
        err.seek(0)
        return ChildRun(seconds=seconds, returncode=child.returncode, stdout=out.read().decode("utf-8", "replace"),
                        stderr=err.read().decode("utf-8", "replace"), peak_rss=usage.ru_maxrss * 1024,
                        peak_tree_rss=max(peak_tree, usage.ru_maxrss * 1024))


def machine() -> dict[str, str | int]:
    """What the figures were taken on."""
    import platform

    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return {"nproc": os.cpu_count() or 0, "cpu": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}", "load_at_start": f"{load[0]:.2f}"}
