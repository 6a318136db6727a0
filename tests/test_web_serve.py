"""`wiredesk serve` as a user runs it: the installed command, a free port, answers, and Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import threading
from pathlib import Path

import httpx

# generous: the machine may be busy; nothing here waits for it unless the server is slow to start
STARTUP = 120.0


def _started(process: subprocess.Popen[str]) -> tuple[str, list[str]]:
    """The URL the server says it listens on, and the lines it printed until then."""
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        for line in process.stderr:
            lines.append(line)
            if "running on http://" in line.lower():
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert found.wait(STARTUP), "".join(lines)
    return re.search(r"http://[\w.:\[\]]+", lines[-1]).group(0), lines


def test_serve_listens_on_loopback_answers_and_stops_cleanly_on_ctrl_c(wiredesk_bin: str, web_sample: Path) -> None:
    process = subprocess.Popen([wiredesk_bin, "--config", str(web_sample), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url, lines = _started(process)
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert not any("warning" in line for line in lines)
        assert httpx.get(f"{url}/api/search", params={"q": "hydrogen"}, timeout=60).json()["total"] > 0
        assert "hydrogen" in httpx.get(f"{url}/?q=hydrogen", timeout=60).text
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0 and out == ""
    assert "Traceback" not in err


def test_another_host_is_served_with_a_warning(wiredesk_bin: str, web_sample: Path) -> None:
    process = subprocess.Popen([wiredesk_bin, "--config", str(web_sample), "serve", "--host", "0.0.0.0", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, lines = _started(process)
        assert lines[0] == ("warning: serving on 0.0.0.0: anyone who can reach it can read the desk "
                            "(there is no login)\n")
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
