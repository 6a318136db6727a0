"""`wiredesk serve` as a user runs it: the installed command, a free port, answers, Ctrl-C; and answers while
an import writes to the same home."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import httpx
from conftest import write_config

# generous: the machine may be busy; nothing here waits this long unless the server is slow to start
STARTUP = 120.0


def _serve(wiredesk_bin: str, config: Path, log: Path, *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """`wiredesk serve` with its log (stderr) in a file, and the URL it says it listens on."""
    with log.open("wb") as sink:
        process = subprocess.Popen([wiredesk_bin, "--config", str(config), "serve", *options],
                                   stdout=subprocess.PIPE, stderr=sink)
    deadline = time.monotonic() + STARTUP
    while not (found := re.search(r"running on (http://[\w.:\[\]]+)", log.read_text(), re.I)):
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    return process, found.group(1)


def _stopped(process: subprocess.Popen[bytes]) -> bytes:
    """Ctrl-C's signal; what the server printed on stdout."""
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    return out


def test_serve_listens_on_loopback_answers_and_stops_cleanly_on_ctrl_c(wiredesk_bin: str, web_sample: Path,
                                                                        tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    process, url = _serve(wiredesk_bin, web_sample, log, "--port", "0")
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert httpx.get(f"{url}/api/search", params={"q": "hydrogen"}, timeout=60).json()["total"] > 0
        assert "hydrogen" in httpx.get(f"{url}/?q=hydrogen", timeout=60).text
        assert _stopped(process) == b""  # logs go to stderr
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
    text = log.read_text()
    assert "warning" not in text and "Traceback" not in text and '"GET /?q=hydrogen HTTP/1.1" 200' in text


def test_another_host_is_served_with_a_warning(wiredesk_bin: str, web_sample: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    process, _ = _serve(wiredesk_bin, web_sample, log, "--host", "0.0.0.0", "--port", "0")
    try:
        _stopped(process)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
    assert log.read_text().splitlines()[0] == ("warning: serving on 0.0.0.0: anyone who can reach it can read the desk "
                                               "(there is no login)")


def test_the_server_answers_while_an_import_runs_and_then_sees_what_it_committed(wiredesk_bin: str,
                                                                                  tmp_path: Path) -> None:
    count = 3000
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps({
        "id": f"r{n}", "source": "bulk", "agency": ("PTI", "ANI", "AP")[n % 3], "title": f"Turbine order {n}",
        "published": f"2025-0{1 + n % 9}-1{n % 10}T08:00:00+00:00",
        "body": f"The turbine maker booked order number {n} for offshore wind farms. " * 8,
    }) + "\n" for n in range(count)), encoding="utf-8")
    config = write_config(tmp_path)
    server, url = _serve(wiredesk_bin, config, tmp_path / "serve.log", "--port", "0")
    try:
        importing = subprocess.Popen([wiredesk_bin, "--config", str(config), "import", str(records), "--json"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        answered_during = 0
        with httpx.Client(base_url=url, timeout=60) as client:
            while importing.poll() is None:
                answer = client.get("/api/search", params={"q": "turbine", "facet": "agency"})
                assert answer.status_code == 200, answer.text
                assert client.get("/", params={"q": "turbine"}).status_code == 200
                answered_during += importing.poll() is None
            out, err = importing.communicate(timeout=60)
            assert importing.returncode == 0 and json.loads(out)["imported"] == count, err
            assert answered_during >= 1
            assert client.get("/api/search", params={"q": "turbine"}).json()["total"] == count
        _stopped(server)
    finally:
        server.kill()
        server.wait()
