"""Which segments a commit folds into the one it writes: a tiered policy, counted in live documents.

Folding re-indexes a segment's stored releases with the new batch (as fast as an import), so the policy
bounds how often a document is rewritten: segments fall into tiers by size (each tier MERGE_FACTOR times
the last), and the newest segments are folded when they are of a lower tier than the new one, when more
than MERGE_FACTOR of the new one's tier have piled up, or when most of their documents are deleted. A
document is then rewritten about once per tier it climbs, and the segment count stays near
MERGE_FACTOR per tier: fewer segments is fewer posting lists to read per query term.
"""

from __future__ import annotations

__all__ = ["MERGE_FACTOR", "SMALL", "tier", "to_fold"]

MERGE_FACTOR = 10
SMALL = 1000  # documents: every segment below this is of the lowest tier


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
            size += live[newest]
            folded += 1
            continue
        run = 0
        while run < newest + 1 and tier(live[newest - run]) == tier(size):
            run += 1
        if run < MERGE_FACTOR:
            break
        size += sum(live[newest - run + 1:newest + 1])
        folded += run
    return folded
