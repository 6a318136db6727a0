"""Whoosh's W3 codec without per-posting length statistics.

While writing postings, W3 looks up every posting's document length (two Python calls and, for fields that
keep no lengths, a file-exists check each time) to record block min/max lengths. Only Whoosh's own block-skipping
scorer reads those; wiredesk scores whole posting lists with numpy, so the statistics are dead weight:
turning them off cut the flush of an import by about a third.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec

__all__ = ["Codec"]


class Codec(W3Codec):
    length_stats = False
