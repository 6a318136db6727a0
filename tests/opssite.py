"""A wire site on the loopback server and helpers to run the installed `wiredesk` against it.

Shared by the operations tests (`test_ops_*.py`, `test_alerts.py`): they start real `wiredesk` processes,
so a config here points a `feed` source at a `siteserver.Site`, with fetch settings that never wait for
politeness or retries.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from siteserver import Reply, Site

from wiredesk.index import open_index

FETCH = "[fetch]\ndelay = 0\nretries = 0\ntimeout = 5\nrespect_robots = false\nper_host = 4\nconcurrency = 8\n"
TOPICS = ("solar parks", "wind turbines", "green hydrogen", "naval frigates", "vaccine trials", "bond yields",
          "semiconductor fabs", "rail freight", "crop insurance", "satellite launches")


def article(number: int, *, topic: str | None = None) -> bytes:
    """An article page whose text differs from every other number's (no two are syndicated copies)."""
    topic = topic or TOPICS[number % len(TOPICS)]
    text = (f"The ministry said on Tuesday that plan number {number} for {topic} would add capacity across "
            f"{number + 3} districts, with financing from public banks and private investors, and that tenders "
            f"for {topic} would open next month for developers who meet rule {number * 7} of the policy.")
    title = f"Plan {number}: {topic} to expand"
    return (f"<html><head><title>{title}</title></head><body><nav>Home | News</nav><article><h1>{title}</h1>"
            f"<p>NEW DELHI, April 15 (Wire) - {text}</p><p>Officials said item {number} follows a review of {topic}."
            f" {text}</p></article><footer>(c) Wire</footer></body></html>").encode("utf-8")


def feed(links: Sequence[str]) -> bytes:
    items = "".join(f"<item><title>Story {n}</title><link>{link}</link>"
                    "<pubDate>Tue, 15 Apr 2025 10:00:00 +0000</pubDate></item>" for n, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def publish(site: Site, numbers: Sequence[int], *, delay: float = 0.0, prefix: str = "/wire",
            topics: dict[int, str] | None = None) -> list[str]:
    """Route `prefix/N.html` for each number and a feed at `prefix/feed.xml` listing them; the page URLs."""
    links = []
    for number in numbers:
        path = f"{prefix}/{number}.html"
        site.route(path, Reply(200, article(number, topic=(topics or {}).get(number)), delay=delay))
        links.append(site.url(path))
    site.route(f"{prefix}/feed.xml", Reply(200, feed(links), {"Content-Type": "application/rss+xml"}))
    return links


def write_config(folder: Path, *sources: tuple[str, str], extra: str = "") -> Path:
    """A config in `folder` with storage in `folder/home` and one feed source per (name, url)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = '[storage]\nhome = "home"\n\n' + FETCH + extra
    for name, url in sources:
        text += f'\n[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{url}"\nagency = "Wire"\n'
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("WIREDESK_CONFIG", "WIREDESK_KILL_AT")}


def command(wiredesk_bin: str, config: Path, *args: str) -> list[str]:
    return [wiredesk_bin, "--config", str(config), *args]


def call(wiredesk_bin: str, config: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess:
    return subprocess.run(command(wiredesk_bin, config, *args), capture_output=True, text=True, timeout=timeout,
                          env=env or environment(), stdin=subprocess.DEVNULL)


def start(wiredesk_bin: str, config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(command(wiredesk_bin, config, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env or environment(), stdin=subprocess.DEVNULL)


def index_contents(config: Path) -> list[tuple[str, str]]:
    """(id, content hash) of every document in the index under the config's home, in id order.

    A list, not a dict, so that a document stored twice shows up as two entries.
    """
    index = open_index(config.parent / "home" / "index", create=False)
    try:
        releases = [index.release_at(seg.offset + docnum) for seg in index.segments()
                    for docnum in seg.live.nonzero()[0].tolist()]
        return sorted((r.id, r.content_hash) for r in releases)
    finally:
        index.close()


def wait_for(predicate, *, timeout: float = 20.0, step: float = 0.05) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(step)


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (from /proc)."""
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            found += [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue  # the thread ended meanwhile
    return [child for child in found if alive(child)]


def workers(pid: int) -> list[int]:
    """The worker processes among the children of `pid`: not a helper such as multiprocessing's resource
    tracker, which older versions started."""
    found = []
    for child in children(pid):
        try:
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue  # gone meanwhile
    return found


def kill_own_process(*_: object) -> None:
    """A worker's task that dies as a worker killed by a person or the OOM killer does."""
    os.kill(os.getpid(), signal.SIGKILL)


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def search_total(wiredesk_bin: str, config: Path, *args: str) -> int:
    result = call(wiredesk_bin, config, "search", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["total"]
