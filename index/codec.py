"""Whoosh's W3 codec made cheaper to write, producing segments that stock Whoosh reads.

- No per-posting length statistics: while writing postings, W3 looks up every posting's document length
  (two Python calls and, for fields that keep no lengths, a file-exists check each time) to record block
  min/max lengths. Only Whoosh's own block-skipping scorer reads those; wiredesk scores whole posting lists
  with numpy, so the statistics are dead weight: turning them off cut the flush of an import by about a third.
- Short posting lists inlined in the term table. Most terms of a release index occur in one document or a
  few (ids, urls, MinHash band keys, rare words); W3 gives each one a block of its own (a pickle, a zlib
  stream, a header). W3 means to inline them but calls a method its term info does not have, so its limit
  is left at 1 (never); the writer below inlines correctly, and reading inlined lists is stock W3.
- `add_posting` without its per-posting type assertions, which cost as much as the rest of it.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter

__all__ = ["Codec", "INLINE_LIMIT"]

INLINE_LIMIT = 8  # posting lists shorter than this live in the term table


class _PostingsWriter(W3PostingsWriter):
    def add_posting(self, id_, weight, vbytes, length=None):  # type: ignore[no-untyped-def]
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)

    def finish_postings(self):  # type: ignore[no-untyped-def]
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo = self._terminfo
        terminfo.add_block(self)
        # a format without values still gets one empty value a posting: Whoosh's merge reads one for each
        terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
        self._terminfo = None
        return terminfo


class Codec(W3Codec):
    length_stats = False

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile, byteids=False):  # type: ignore[no-untyped-def]
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)
