"""Which URLs may be fetched, and which a source may fetch or name: one rule for every stage that asks.

A URL is fetchable when it is http(s), has a host and a port in 1-65535, holds no control character, and is
at most `MAX_URL_LENGTH` characters long. A source's allowed hosts are entries written `host` (the standard
ports, 80 and 443) or `host:port` (that port alone); subdomains are included. The port counts, so a page
on an allowed host cannot send the fetcher to another service on the same machine.

Nothing here raises on a hostile string: each check returns the reason it fails, "" when it passes. The
config reads `allow` entries and source URLs with the same functions, so a bad one is a config error.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

__all__ = ["MAX_URL_LENGTH", "control_character", "url_problem", "scope_problem", "host_entry", "entry_problem", "origin_entry"]

# Longer URLs are refused before any request: servers commonly stop at 8 KiB, and no article needs more.
MAX_URL_LENGTH = 8192
_STANDARD_PORTS = frozenset({80, 443})
_DEFAULT_PORT = {"http": 80, "https": 443}


def control_character(text: str) -> str:
    """The first C0 control character or DEL of `text`, "" when none. (C1 characters are non-ASCII like any
    other and go out percent-encoded, as browsers send them.)"""
    return next((c for c in text if ord(c) < 0x20 or ord(c) == 0x7F), "")


def _host_port(text: str) -> tuple[str, int | None, str]:
    """(lower-case host, port or None, problem) of a URL."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:  # a bad port or a broken IPv6 literal
        return "", None, f"malformed URL ({exc})"
    host = (parts.hostname or "").lower()
    if port == 0:
        return host, None, "malformed URL (port 0)"
    return host, port, ""


def url_problem(url: str) -> str:
    """Why `url` cannot be fetched at all ("" when it can)."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL longer than {MAX_URL_LENGTH} characters"
    control = control_character(url)
    if control:
        return f"URL holds a control character ({control!r})"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return f"not an http(s) URL ({scheme or 'no scheme'})"
    host, _, problem = _host_port(url)
    if problem:
        return problem
    if not host:
        return "URL has no host"
    return ""


def host_entry(entry: str) -> tuple[str, int | None]:
    """An allowed-host entry as (host, port); port None means the standard ports. ValueError when bad."""
    problem = entry_problem(entry)
    if problem:
        raise ValueError(problem)
    host, port, _ = _host_port("//" + entry)
    return host, port


def entry_problem(entry: str) -> str:
    """Why `entry` is not a host name with an optional port ("" when it is one)."""
    if not entry or control_character(entry) or any(c in entry for c in "/?#@ "):
        return f"expected a host name such as example.com or example.com:8080, got {entry!r}"
    host, _, problem = _host_port("//" + entry)
    if problem or not host:
        return problem or f"expected a host name, got {entry!r}"
    return ""


def origin_entry(url: str) -> str:
    """The allowed-host entry of a URL's own host: `host`, or `host:port` for a port that is not the
    scheme's standard one ("" for a URL without a host)."""
    host, port, problem = _host_port(url)
    if problem or not host:
        return ""
    shown = f"[{host}]" if ":" in host else host
    scheme = urlsplit(url).scheme.lower()
    return shown if port is None or port == _DEFAULT_PORT.get(scheme) else f"{shown}:{port}"


def scope_problem(url: str, allowed_hosts: Sequence[str]) -> str:
    """Why `url` may not be fetched for a source allowing `allowed_hosts` ("" when it may; any host when
    the list is empty)."""
    problem = url_problem(url)
    if problem:
        return problem
    host, port, _ = _host_port(url)
    if port is None:
        port = _DEFAULT_PORT[urlsplit(url).scheme.lower()]
    if not allowed_hosts or any(_allows(entry, host, port) for entry in allowed_hosts):
        return ""
    shown = f"[{host}]" if ":" in host else host
    return f"host {shown if port in _STANDARD_PORTS else f'{shown}:{port}'} is not allowed for this source"


def _allows(entry: str, host: str, port: int) -> bool:
    try:
        allowed, allowed_port = host_entry(entry)
    except ValueError:
        return False
    if host != allowed and not host.endswith("." + allowed):
        return False
    return port in _STANDARD_PORTS if allowed_port is None else port == allowed_port
