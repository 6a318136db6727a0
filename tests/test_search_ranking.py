"""Ranking as a user sees it, on real on-disk indexes: BM25F over the fields, explanations, feedback."""

from __future__ import annotations

import pytest
from indexfixtures import SAMPLE, at, generated, make_index, release

from wiredesk.search import SearchRequest, batch, run

_FILLER = "The report covers several other matters discussed at length during the annual review meeting."


def _ids(index, query: str, **kw) -> list[str]:
    return [hit.id for hit in run(index, SearchRequest(query=query, limit=50, **kw)).hits]


def test_a_title_match_outranks_a_body_only_match_of_the_same_words(tmp_path):
    index = make_index(tmp_path, [
        release("body", f"Glacier museum opens. {_FILLER}", title="Annual review"),
        release("title", f"It opens. {_FILLER}", title="Glacier museum"),
        *generated(30),
    ])
    assert _ids(index, "glacier museum") == ["title", "body"]
    index.close()


def test_more_query_words_matched_outranks_a_word_repeated_in_every_field(tmp_path):
    # one word in the title and again and again in the body is one piece of evidence, saturated once: it
    # does not outweigh a second word of the query
    index = make_index(tmp_path, [
        release("repeated", "Lighthouse lighthouse lighthouse lighthouse works at the lighthouse.", title="Lighthouse"),
        release("both", "The lighthouse and the ferry were discussed.", title="Annual review"),
        *generated(30),
    ])
    assert _ids(index, "lighthouse ferry") == ["both", "repeated"]
    index.close()


def test_a_document_matching_more_of_the_words_ranks_higher(tmp_path):
    index = make_index(tmp_path, [release("a", "alpha beta gamma delta"), release("b", "alpha words filler text"),
                                  release("c", "alpha beta words text")])
    assert _ids(index, "alpha beta gamma") == ["a", "c", "b"]
    index.close()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = make_index(tmp_path_factory.mktemp("ranking"), [*SAMPLE, *generated(200)])
    yield ix
    ix.close()


@pytest.mark.parametrize("query", ["solar power", '"solar power"', "sidm", "society of indian defence manufacturers",
                                   "budget OR export", "minister AND defence -harbour", "agency:ANI wind", "turb*",
                                   "title:solar rail", "harbor~"])
def test_explain_adds_up_to_the_score_shown(index, query):
    results = run(index, SearchRequest(query=query, limit=10, explain=True))
    assert results.hits
    for hit in results.hits:
        explanation = hit.explanation
        assert explanation is not None and explanation.score == pytest.approx(hit.score, abs=1e-5)
        assert sum(term.score for term in explanation.terms) == pytest.approx(hit.score, rel=1e-4)
        for term in explanation.terms:
            assert term.fields and sum(f.score for f in term.fields) == pytest.approx(term.score, rel=1e-4)
        shown = hit.to_dict()["explain"]
        assert sum(term["score"] for term in shown["terms"]) == pytest.approx(shown["score"], abs=1e-3)


def test_explain_names_fields_and_acronyms(index):
    hit = run(index, SearchRequest(query="sidm", explain=True)).hits[0]
    (term,) = hit.explanation.terms
    assert term.kind == "acronym" and term.term == 'sidm | "societi indian defenc manufactur"'
    assert {f.field for f in term.fields} >= {"body", "acronyms"}
    title_hit = run(index, SearchRequest(query="solar", explain=True)).hits[0]
    assert "title" in {f.field for f in title_hit.explanation.terms[0].fields}


def test_hits_carry_no_explanation_unless_asked(index):
    hit = run(index, SearchRequest(query="solar")).hits[0]
    assert hit.explanation is None and "explain" not in hit.to_dict()


def test_expand_reorders_what_the_query_matched_and_says_so(index):
    plain = run(index, SearchRequest(query="solar", limit=1000))
    expanded = run(index, SearchRequest(query="solar", limit=1000, expand=True, explain=True))
    assert expanded.total == plain.total
    assert {hit.id for hit in expanded.hits} == {hit.id for hit in plain.hits}
    kinds = {term.kind for hit in expanded.hits for term in hit.explanation.terms}
    assert kinds == {"word", "expansion"}
    for hit in expanded.hits:
        assert sum(term.score for term in hit.explanation.terms) == pytest.approx(hit.score, rel=1e-4)


@pytest.fixture(scope="module")
def tail_index(tmp_path_factory):
    # twelve stories about a glacier's melt, then releases naming a glacier in passing: "related" says what
    # the twelve say but is the oldest and the longest of those, so the query's words alone put it last
    surveys = [release(f"s{n}", f"The glacier melt and the ice sheet retreat were measured again. {_FILLER}",
                       title=f"Glacier survey {n}", published=at(f"2025-03-{n + 1:02d}")) for n in range(12)]
    passing = [release(f"p{n}", f"A glacier was named in passing. {_FILLER}", published=at(f"2025-02-{n + 2:02d}"))
               for n in range(8)]
    related = release("related", f"A glacier was named in passing, its melt and its ice sheet. {_FILLER}",
                      published=at("2025-01-01"))
    ix = make_index(tmp_path_factory.mktemp("tail"), [*surveys, *passing, related, *generated(200)])
    yield ix
    ix.close()


def test_after_the_first_ten_a_release_like_the_best_ones_comes_first(tail_index):
    first_page = _ids(tail_index, "glacier")[:10]
    assert len(first_page) == 10 and all(id.startswith("s") for id in first_page)
    hits = run(tail_index, SearchRequest(query="glacier", limit=50)).hits
    ids = [hit.id for hit in hits]
    assert ids[:10] == [hit.id for hit in run(tail_index, SearchRequest(query="glacier", limit=10)).hits]
    assert ids[10:12] == ["s1", "s0"] and ids[12] == "related" and sorted(ids[13:]) == [f"p{n}" for n in range(8)]
    assert [hit.id for hit in run(tail_index, SearchRequest(query="glacier", limit=10, page=2)).hits] == ids[10:20]
    rows = list(batch(tail_index, ["q\tglacier"], request=SearchRequest(limit=50)))
    assert [hit["id"] for hit in rows[0]["hits"]] == ids


def test_the_first_ten_are_explained_by_the_query_and_the_rest_by_feedback_too(tail_index):
    hits = run(tail_index, SearchRequest(query="glacier", limit=50, explain=True)).hits
    for n, hit in enumerate(hits):
        kinds = {term.kind for term in hit.explanation.terms}
        assert kinds == ({"word"} if n < 10 else {"word", "expansion"}), (n, hit.id)
        assert sum(term.score for term in hit.explanation.terms) == pytest.approx(hit.score, rel=1e-4)



@pytest.fixture(scope="module")
def common_word_index(tmp_path_factory):
    # "india" is in every release, so its idf is at the floor and its scores are small; the three best (the
    # shortest) are about green hydrogen, as are releases far down the list, whose rarer words feedback
    # weighs far more than the query's own
    best = [release(f"b{n}", f"India green hydrogen electrolyser plant {n}.", title=f"Hydrogen plant {n}") for n in range(3)]
    plain = [release(f"c{n}", f"India and its partners. {_FILLER} {_FILLER[: 10 + 3 * n]}") for n in range(20)]
    distant = [release(f"d{n}", f"India. {_FILLER} {_FILLER} {_FILLER} A green hydrogen electrolyser plant.")
               for n in range(6)]
    ix = make_index(tmp_path_factory.mktemp("common"), [*best, *plain, *distant])
    yield ix
    ix.close()


def test_scores_never_rise_down_the_list_and_the_tail_still_adds_up(common_word_index):
    hits = run(common_word_index, SearchRequest(query="india", limit=50, explain=True)).hits
    ids = [hit.id for hit in hits]
    assert len(hits) == 29 and ids[:10] == [hit.id for hit in run(common_word_index, SearchRequest(query="india")).hits]
    assert {hit.id for hit in hits[10:14]} & {f"d{n}" for n in range(6)}  # feedback still lifts the related ones
    scores = [hit.score for hit in hits]
    assert all(later <= earlier for earlier, later in zip(scores, scores[1:])), scores
    for hit in hits:
        assert sum(term.score for term in hit.explanation.terms) == pytest.approx(hit.score, rel=1e-4)


def test_a_long_lived_reader_answers_as_a_fresh_one(tmp_path):
    # decoded posting lists are kept between queries of one process: a second pass over the same queries,
    # and a reader opened afresh, see the same hits and scores
    ix = make_index(tmp_path / "warm", [*SAMPLE, *generated(300)])
    lines = ["a\tsolar power", "b\tminister budget", "c\t\"solar power\"", "d\tharbour OR port", "e\tbudget"]
    request = SearchRequest(limit=50)
    first = [(row["qid"], row["hits"]) for row in batch(ix, lines, request=request)]
    again = [(row["qid"], row["hits"]) for row in batch(ix, lines, request=request)]
    ix.close()
    fresh = make_index(tmp_path / "fresh", [*SAMPLE, *generated(300)])
    assert first == again == [(row["qid"], row["hits"]) for row in batch(fresh, lines, request=request)]
    fresh.close()
