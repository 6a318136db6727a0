"""The Whoosh codec wiredesk's segments are opened and committed with: W3 (whoosh-reloaded 2.7.5),
without per-posting length statistics.

Segments are built whole by `bulk` and `postings`, which write W3's bytes themselves; Whoosh's
`SegmentWriter` still creates the segment's files through this codec and closes them at commit.
- `length_stats = False`: W3 would otherwise reopen the new segment's lengths at commit, to record block
  min/max lengths that only Whoosh's own block-skipping scorer reads; wiredesk scores whole posting lists
  with numpy, and `postings` writes those statistics as 0.
- INLINE_LIMIT: posting lists shorter than this live in the term table. Most terms of a release index
  occur in one document or a few (ids, urls, MinHash band keys, rare words), and a block of their own
  costs a pickle and a header each. W3 means to inline them but calls a method its term info does not
  have, so its own limit is left at 1 (never); `postings` inlines them, and reading them is stock W3.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec

__all__ = ["Codec", "INLINE_LIMIT"]

INLINE_LIMIT = 8


class Codec(W3Codec):
    length_stats = False
