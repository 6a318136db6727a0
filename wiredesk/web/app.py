"""The web app: routes, security headers, and the one place where errors become an HTTP status.

`make_app(desk)` builds a Starlette app over a `Desk`; `serve(desk, host=..., port=...)` runs it in uvicorn.
Every route is a GET that reads: nothing here writes to the index, the state or the alerts. Handlers are
plain functions, which Starlette runs in worker threads; the desk keeps one open index per thread, brought
up to date at each call, so a page sees what an ingest in another process has committed.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import NotFoundError, UsageError, WiredeskError, one_line
from ..desk import Desk
from . import api, pages

__all__ = ["make_app", "serve", "SECURITY_HEADERS", "READERS", "status_of"]

HERE = Path(__file__).resolve().parent

# No script but the app's own files, no inline script or style, no plug-ins, no framing, no form posting
# elsewhere: a page's text that slipped past escaping could still run nothing.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
# Requests served at once: each worker thread holds its own open index (its column arrays cached), so the
# number of threads bounds the memory a burst of requests can take.
READERS = 4


def status_of(error: WiredeskError) -> int:
    """400 for bad input (the CLI's exit 2), 404 for an unknown release or alert, 503 when the work cannot be
    done now (no index yet, storage unreadable)."""
    if isinstance(error, UsageError):
        return 400
    if isinstance(error, NotFoundError):
        return 404
    return 503


def make_app(desk: Desk) -> Starlette:
    """The web app over `desk`: the pages, the JSON API under /api/, the static files under /static/."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = READERS
        yield
        desk.close()

    routes = [
        Route("/", pages.search_page, name="search"),
        # an id may hold a slash (an imported record's); the raw page's route is tried first
        Route("/release/{id:path}/raw", pages.archived_page, name="archived"),
        Route("/release/{id:path}", pages.release_page, name="release"),
        Route("/sources", pages.sources_page, name="sources"),
        *api.routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={WiredeskError: _wiredesk_error, HTTPException: _http_error,
                                        Exception: _internal_error})
    app.state.desk = desk
    app.state.templates = pages.templates(HERE / "templates")
    app.add_middleware(_SecurityHeaders)
    return app


def serve(desk: Desk, *, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the app until Ctrl-C or SIGTERM (then return)."""
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    logging = copy.deepcopy(LOGGING_CONFIG)
    logging["handlers"]["access"]["stream"] = "ext://sys.stderr"  # logs on stderr, as every command's are
    uvicorn.run(make_app(desk), host=host, port=port, log_level="info", log_config=logging, server_header=False)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    return pages.error_page(request, status, message)


async def _wiredesk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WiredeskError)
    return _error(request, status_of(exc), one_line(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such page", 405: "this desk is read-only: only GET is served"}
    response = _error(request, exc.status_code, messages.get(exc.status_code, one_line(Exception(exc.detail))))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    # a bug: one line for the reader; Starlette raises it on to the server, which logs the traceback
    return _error(request, 500, f"internal error: {type(exc).__name__}: {one_line(exc)}")


class _SecurityHeaders:
    """Adds SECURITY_HEADERS to every answer that has not set its own (the archived page sets a stricter one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
                                        if name.encode() not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


