"""Text analysis: the quick search for a query's words in a text finds exactly what looking up every word does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.index.analysis import _WORD, spans, term, terms

WORDS = ("Dying", "lying", "vying", "tie", "hoping", "hopped", "happy", "happiness", "ministers", "Ministry",
         "generously", "sensitivity", "skies", "news", "U.S.", "COVID-19", "3.5", "the", "of", "relational",
         "organisation", "Organization", "flies", "cries", "agreed", "early", "only", "café", "Chennai", "x",
         "see", "seeing", "seems", "valency", "capability", "realization", "possibly", "sky", "tying", "ie")


def every_word(text: str, wanted: set[str]) -> list[tuple[str, int, int]]:
    """The reference: every word looked up."""
    found = [(term(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [hit for hit in found if hit[0] in wanted]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
       st.lists(st.sampled_from((" ", ", ", ". ", "\n\n", " (", ") ", "-")), min_size=1, max_size=30),
       st.sets(st.sampled_from(WORDS), max_size=6))
def test_spans_of_wanted_terms_match_looking_up_every_word(words, gaps, query):
    text = "".join(word + gaps[i % len(gaps)] for i, word in enumerate(words))
    wanted = {t for word in query for t in terms(word)}  # as a query's words are analysed
    assert list(spans(text, wanted)) == every_word(text, wanted)


def test_words_whose_stem_is_not_their_beginning_are_found():
    text = "Vying firms were dying to hope for happy, generous ministers in the U.S. and Chennai."
    wanted = {t for w in ("vie", "die", "hoping", "happiness", "generously", "minister", "us") for t in terms(w)}
    assert [text[start:end] for _, start, end in spans(text, wanted)] == [
        "Vying", "dying", "hope", "happy", "generous", "ministers", "U.S"]
