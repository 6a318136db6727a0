"""Content decoding under a bound: bytes are counted while they are inflated, in every layer.

httpx inflates each chunk in one call without a limit, so 2 KB sent as `Content-Encoding: gzip, gzip` become
gigabytes before any size check sees them. A `Decoder` here undoes the encodings in reverse order, each
layer giving out at most `limit` bytes in all, and raises `OverLimit` the moment one would give more: memory
stays within `limit` per layer whatever the ratio. gzip, deflate (zlib-wrapped or raw) and identity are read
always, `br` when the installed brotli can bound its output (1.2 or later); other compressions are refused
with `Unsupported`, and tokens that name no compression (`utf-8`, `none`, seen on misconfigured servers)
are ignored, as browsers do.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["Decoder", "OverLimit", "BrokenEncoding", "Unsupported", "inflate", "ACCEPT_ENCODING", "MAX_LAYERS"]

try:  # brotli is optional; only a version whose output can be bounded is used
    import brotli as _brotli

    _BROTLI: Any = _brotli if hasattr(_brotli.Decompressor(), "can_accept_more_data") else None
except ImportError:  # pragma: no cover - depends on the installation
    _BROTLI = None

# Each layer holds a decompressor (tens of KB); real servers send one layer, rarely two.
MAX_LAYERS = 4
_REFUSED = frozenset({"br", "zstd", "compress", "x-compress"})  # compressions we cannot (or cannot safely) undo
ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI else "gzip, deflate"


class OverLimit(ValueError):
    """The decoded body would be longer than the limit."""


class BrokenEncoding(ValueError):
    """The body is not valid in the encoding its header names."""


class Unsupported(ValueError):
    """A compression this installation cannot undo under a bound."""


class _Layer(Protocol):
    def decode(self, data: bytes, room: int) -> bytes: ...


class _Zlib:
    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._inflater = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is meant zlib-wrapped, but some servers send it raw
        self._started = False

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflater.decompress(data, room)
        except zlib.error as exc:
            if not self._raw_fallback or self._started:
                raise BrokenEncoding(f"broken compressed body: {exc}") from exc
            self._inflater, self._raw_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False
            return self.decode(data, room)
        self._started = True
        if self._inflater.unconsumed_tail:
            raise OverLimit("inflates past the limit")
        return out


class _Brotli:
    def __init__(self) -> None:
        self._inflater = _BROTLI.Decompressor()

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out = self._inflater.process(data, output_buffer_limit=room)
            while len(out) < room and not self._inflater.can_accept_more_data():
                out += self._inflater.process(b"", output_buffer_limit=room - len(out))
        except _BROTLI.error as exc:
            raise BrokenEncoding(f"broken compressed body: {exc}") from exc
        if not self._inflater.can_accept_more_data():
            raise OverLimit("inflates past the limit")
        return out


def _layer(token: str) -> _Layer | None:
    if token in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if token == "deflate":
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    if token == "br" and _BROTLI is not None:
        return _Brotli()
    if token in _REFUSED:
        raise Unsupported(f"unsupported Content-Encoding {token}")
    return None


class Decoder:
    """Undo `encodings` (a Content-Encoding value: `gzip`, `gzip, gzip`, ...) with at most `limit` bytes
    out of every layer. Feed the raw body to `decode` piece by piece."""

    def __init__(self, encodings: str, *, limit: int) -> None:
        tokens = [t.strip().lower() for t in encodings.split(",") if t.strip()]
        if len(tokens) > MAX_LAYERS:
            raise Unsupported(f"unsupported Content-Encoding: more than {MAX_LAYERS} layers")
        layers = [layer for layer in map(_layer, tokens) if layer is not None]
        self._layers = layers[::-1]  # the last encoding applied is the first to undo
        self._given = [0] * len(self._layers)
        self.limit = limit

    def decode(self, data: bytes) -> bytes:
        """The decoded bytes `data` adds. Raises OverLimit, BrokenEncoding."""
        for number, layer in enumerate(self._layers):
            if not data:
                return b""
            room = self.limit + 1 - self._given[number]
            data = layer.decode(data, room)
            self._given[number] += len(data)
            if self._given[number] > self.limit:
                raise OverLimit("inflates past the limit")
        return data


def inflate(pieces: Iterable[bytes] | bytes, encodings: str, *, limit: int) -> bytes:
    """All of a body decoded at once (a gzip sitemap, an archived blob), under the same bound."""
    decoder = Decoder(encodings, limit=limit)
    out = bytearray()
    for piece in [pieces] if isinstance(pieces, bytes) else pieces:
        out += decoder.decode(piece)
        if len(out) > limit:
            raise OverLimit("inflates past the limit")
    return bytes(out)
