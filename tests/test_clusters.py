"""Finding syndicated copies from MinHash signatures: which pairs `clusters.copies` reports."""

from __future__ import annotations

import numpy as np

from index.analysis import terms
from index.clusters import WIDTH, copies, signature_matrix, signature_of

STORY = ("The Ministry of Defence on Tuesday signed a contract with Bharat Electronics for radar systems to be "
         "delivered to the Indian Air Force over the next four years, officials said in New Delhi. The radars will "
         "be built in Bengaluru and replace equipment in service since the 1980s, the ministry said.")
COPY = STORY.replace("officials said in New Delhi", "officials told reporters") + " Reporting by a wire desk."
OTHER = ("Wheat procurement in Punjab crossed last year's mark as farmers brought an early harvest to the mandis, "
         "and the state government said payments would reach bank accounts within two days of every sale.")


def matrix(*texts: str) -> np.ndarray:
    return signature_matrix([signature_of(terms(text)) for text in texts])


def test_a_copy_is_found_among_stored_and_earlier_new_rows_and_another_story_is_not():
    old = matrix(STORY, OTHER)
    found = copies(matrix(COPY, OTHER + " More.", COPY), old)
    assert {other for other, _ in found[0]} == {0}  # the stored original, not the stored other story
    assert {other for other, _ in found[1]} == {1}
    assert {other for other, _ in found[2]} == {0, 2}  # the stored original and the first new copy (row 2 + 0)
    assert all(score >= 0.5 for pairs in found.values() for _, score in pairs)


def test_rows_without_words_have_no_copies():
    empty = signature_matrix([None, None])
    assert copies(empty, signature_matrix([None])) == {}
    assert copies(matrix(STORY), np.zeros((0, WIDTH), dtype=np.uint32)) == {}


def test_a_crowd_of_identical_texts_is_compared_with_a_bounded_number_of_others():
    crowd = matrix(*[STORY] * 400)
    found = copies(crowd[:50], crowd)
    assert max(len(pairs) for pairs in found.values()) <= 200
    assert len(found) == 50
