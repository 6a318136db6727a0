"""A scripted web site on 127.0.0.1 for fetcher tests: a real `ThreadingHTTPServer` in a thread.

Each path answers with a script of `Reply`s (the last one repeats) or a function of the request; the
site records every request per path (headers and time) and the most requests it had in flight at once.
A request the client gives up on (a timeout, a body cut at max_bytes) stops counting as in flight when the
client goes away: the client no longer holds it, whatever the server is still doing.

    with Site() as site:
        site.route("/a", Reply(503), Reply(200, b"<p>hi</p>"))
        ... fetch site.url("/a") ...
        assert len(site.seen("/a")) == 2
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Reply", "Seen", "Site"]


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0  # seconds to wait before answering
    repeat: int = 0  # send `body` this many times, without a Content-Length, closing the connection after
    # the whole answer as bytes (status line, headers, body), sent as they are, for what a well-behaved
    # server never says; `pace` seconds between pieces of `piece` bytes make a slow or endless one
    raw: bytes = b""
    pace: float = 0.0
    piece: int = 1


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]
    at: float


Script = Callable[[Seen], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client killed or timed out mid-reply (the kill and timeout tests) is expected, not news


class Site:
    def __init__(self) -> None:
        self._scripts: dict[str, list[Reply] | Script] = {}
        self._seen: list[Seen] = []
        self._lock = threading.Lock()
        self._spans: list[tuple[float, float]] = []  # (start, end) of each request the client waited out
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                site._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def host(self) -> str:
        """The site as an allowed-host entry: `127.0.0.1:PORT`."""
        return self.base.split("//", 1)[1]

    def route(self, path: str, *replies: Reply | Script) -> None:
        if len(replies) == 1 and callable(replies[0]):
            self._scripts[path] = replies[0]  # type: ignore[assignment]
        else:
            self._scripts[path] = list(replies)  # type: ignore[arg-type]

    def seen(self, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self._seen if path is None or s.path == path]

    def paths(self) -> set[str]:
        return {s.path for s in self.seen()}

    @property
    def max_in_flight(self) -> int:
        with self._lock:
            edges = sorted([(start, 1) for start, _ in self._spans] + [(end, -1) for _, end in self._spans])
        most = current = 0
        for _, step in edges:
            current += step
            most = max(most, current)
        return most

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()
            self._spans.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Site:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_reply(self, seen: Seen) -> Reply:
        script = self._scripts.get(seen.path)
        if script is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        if callable(script):
            return script(seen)
        with self._lock:
            return script.pop(0) if len(script) > 1 else script[0]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        seen = Seen(handler.path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic())
        with self._lock:
            self._seen.append(seen)
        try:
            reply = self._next_reply(seen)
            if reply.delay and _client_left(handler.connection, reply.delay):
                raise ConnectionResetError
            if reply.raw:
                handler.close_connection = True
                _send_raw(handler, reply)
                return
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.repeat:
                handler.send_header("Connection", "close")
                handler.close_connection = True
                handler.end_headers()
                for _ in range(reply.repeat):
                    handler.wfile.write(reply.body)
            else:
                handler.send_header("Content-Length", str(len(reply.body)))
                handler.end_headers()
                handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client gave up (timeout, max_bytes): as real servers see it
            return
        with self._lock:
            self._spans.append((seen.at, time.monotonic()))


def _send_raw(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    if not reply.pace:
        handler.wfile.write(reply.raw)
        return
    for start in range(0, len(reply.raw), reply.piece):
        handler.wfile.write(reply.raw[start:start + reply.piece])
        handler.wfile.flush()
        if _client_left(handler.connection, reply.pace):
            return


def _client_left(connection: socket.socket, seconds: float) -> bool:
    """Wait `seconds`, or less if the client closes the connection first (then True)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([connection], [], [], min(left, 0.02))
        if readable:
            try:
                if connection.recv(1, socket.MSG_PEEK) == b"":
                    return True
            except OSError:
                return True
            time.sleep(min(left, 0.02))  # a pipelined request waiting: not a close
    return False
