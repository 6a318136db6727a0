"""Finding syndicated copies from MinHash signatures: which pairs `clusters.copies` reports."""

from __future__ import annotations

import numpy as np

from wiredesk.index.analysis import terms
from wiredesk.index.clusters import Copy, copies, signature_matrix, signature_of

STORY = ("The Ministry of Defence on Tuesday signed a contract with Bharat Electronics for radar systems to be "
         "delivered to the Indian Air Force over the next four years, officials said in New Delhi. The radars will "
         "be built in Bengaluru and replace equipment in service since the 1980s, the ministry said.")
COPY = STORY.replace("officials said in New Delhi", "officials told reporters") + " Reporting by a wire desk."
OTHER = ("Wheat procurement in Punjab crossed last year's mark as farmers brought an early harvest to the mandis, "
         "and the state government said payments would reach bank accounts within two days of every sale.")


def matrix(*texts: str) -> np.ndarray:
    return signature_matrix([signature_of(terms(text)) for text in texts])


def chunks(rows: np.ndarray, size: int, *, first: int = 100) -> list[tuple[int, np.ndarray]]:
    """Stored signatures as the index hands them over: numbered from `first`, `size` rows at a time."""
    return [(first + start, rows[start:start + size]) for start in range(0, len(rows), size)]


def found_set(found: dict[int, list[Copy]], row: int) -> set[tuple[bool, int]]:
    return {(copy.stored, copy.number) for copy in found.get(row, [])}


def test_a_copy_is_found_among_stored_chunks_and_earlier_new_rows_and_another_story_is_not():
    stored = chunks(matrix(OTHER, "Filler text about rain.", STORY), 2)  # the original is in the second chunk
    found = copies(matrix(COPY, OTHER + " More.", COPY), stored)
    assert found_set(found, 0) == {(True, 102)}  # the stored original (document 102), not the other story
    assert found_set(found, 1) == {(True, 100)}
    assert found_set(found, 2) == {(True, 102), (False, 0)}  # the stored original and the first new copy
    assert all(copy.similarity >= 0.5 for pairs in found.values() for copy in pairs)


def test_rows_without_words_have_no_copies():
    empty = signature_matrix([None, None])
    assert copies(empty, chunks(signature_matrix([None]), 10)) == {}
    assert copies(matrix(STORY), []) == {}


def test_a_crowd_of_identical_texts_is_compared_with_a_bounded_number_of_others():
    crowd = matrix(*[STORY] * 400)
    found = copies(crowd[:50], chunks(crowd, 1000))
    assert max(len(pairs) for pairs in found.values()) <= 200 + 49
    assert len(found) == 50
