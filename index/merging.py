"""Which segments a commit folds into the one it writes: a tiered policy, counted in live documents.

Folding re-indexes a segment's stored releases with the new batch (as fast as an import), so the policy
bounds how often a document is rewritten: segments fall into tiers by size (each tier MERGE_FACTOR times
the last), and the newest segments are folded when they are of a lower tier than the new one, when more
than MERGE_FACTOR of the new one's tier have piled up, or when most of their documents are deleted. A
document is then rewritten about once per tier it climbs, and the segment count stays near
MERGE_FACTOR per tier: fewer segments is fewer posting lists to read per query term.

A fold re-analyses every release it rewrites in the writing process, so its memory grows with its size: no
fold makes a segment of more than LARGEST live documents. Up to about 1.1M releases imported in batches of
10,000 this changes nothing (the largest folds make segments of 110,000); past it, segments of that size
pile up instead of folding into one of a million, whose fold would need several GB.
"""

from __future__ import annotations

__all__ = ["MERGE_FACTOR", "SMALL", "LARGEST", "tier", "to_fold"]

MERGE_FACTOR = 10
SMALL = 1000  # documents: every segment below this is of the lowest tier
LARGEST = 2 * SMALL * MERGE_FACTOR ** 2  # live documents: no fold makes a larger segment


def tier(size: int) -> int:
    level, bound = 0, SMALL
    while size >= bound:
        level, bound = level + 1, bound * MERGE_FACTOR
    return level


def to_fold(live: list[int], total: list[int], adding: int) -> int:
    """How many of the newest segments (the end of `live`, their live document counts; `total` counts the
    deleted too) to fold into a new segment of `adding` documents."""
    size, folded = adding, 0
    while folded < len(live):
        newest = len(live) - 1 - folded
        if tier(live[newest]) < tier(size) or live[newest] * 2 < total[newest]:
            if size + live[newest] > LARGEST:
                break
            size += live[newest]
            folded += 1
            continue
        run = 0
        while run < newest + 1 and tier(live[newest - run]) == tier(size):
            run += 1
        if run < MERGE_FACTOR or size + sum(live[newest - run + 1:newest + 1]) > LARGEST:
            break
        size += sum(live[newest - run + 1:newest + 1])
        folded += run
    return folded
