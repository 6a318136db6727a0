"""search on a real on-disk index: ranking, facets, filters, dates, sorting, paging, acronyms, batch, errors."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from indexfixtures import SAMPLE, at, generated, make_index, release

from wiredesk.index import open_index
from wiredesk.search import SearchRequest, batch, export, matching_ids, parse_when, run, show, similar, stats
from wiredesk.core.errors import NotFoundError, QueryError


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = make_index(tmp_path_factory.mktemp("search"))
    yield ix
    ix.close()


def ids(index, query, **kw):
    return [h.id for h in run(index, SearchRequest(query=query, limit=50, **kw)).hits]


def test_title_match_ranks_above_body_match(index):
    assert ids(index, "solar power")[:2] == ["t1", "t2"]


def test_more_matched_words_rank_higher(tmp_path):
    ix = make_index(tmp_path, [release("a", "alpha beta gamma delta"), release("b", "alpha words filler text"),
                               release("c", "alpha beta words text")])
    assert ids(ix, "alpha beta gamma") == ["a", "c", "b"]


def test_phrase_ranks_above_scattered_words(tmp_path):
    ix = make_index(tmp_path, [release("s", "power lines cross the solar farm"), release("p", "the solar power station")])
    assert ids(ix, '"solar power"') == ["p"]
    assert ids(ix, "solar power")[0] == "p"


def test_missing_word_still_finds_the_rest(index):
    assert "t3" in ids(index, "wind zzzzqqq")


def test_facets_count_whole_result_set_and_match_filters(index):
    results = run(index, SearchRequest(query="", facets=("agency", "people", "categories", "country", "year", "month"),
                                       limit=1))
    assert results.total == len(SAMPLE) and len(results.hits) == 1
    for field, values in results.facets.items():
        for value, count in values:
            filtered = run(index, SearchRequest(filters=((field, value),)))
            assert filtered.total == count, (field, value)
    assert dict(results.facets["agency"]) == {"ANI": 2, "PIB": 2, "PTI": 1, "Reuters": 1}
    independent = {}
    for r in SAMPLE:
        for person in {p.casefold() for p in r.people}:
            independent[person] = independent.get(person, 0) + 1
    assert {v.casefold(): n for v, n in results.facets["people"]} == independent
    assert results.facets["year"] == [("2024", 1), ("2025", 4)]  # years in order, as a histogram
    assert ("2025-04", 2) in results.facets["month"]
    assert results.facets["agency"] == sorted(results.facets["agency"], key=lambda vc: (-vc[1], vc[0]))


def test_filters_combine_and_are_case_insensitive(index):
    assert ids(index, "", filters=(("agency", "ani"), ("country", "INDIA"))) == ["t1"]
    assert sorted(ids(index, "agency:PIB")) == ["t4", "t5"]
    assert ids(index, 'people:"Anita Rao"') == ["t2"]


def test_countries_a_story_is_about_apart_from_its_dateline_country(index):
    # t3 is datelined Rome but is about India too: `countries:` finds it, `country:` (the dateline) does not;
    # t2 and t4 give no countries, so they are about their dateline's
    assert sorted(ids(index, "countries:india")) == ["t1", "t2", "t3", "t4"]
    assert sorted(ids(index, "country:India")) == ["t1", "t2", "t4"]
    assert ids(index, "", filters=(("countries", "Italy"),)) == ["t3"]
    facets = run(index, SearchRequest(query="", facets=("countries",))).facets
    assert facets["countries"] == [("India", 4), ("Italy", 1)]


def test_date_ranges_and_since_until(index):
    assert sorted(ids(index, "published:[2025-04-01 TO 2025-04-30]")) == ["t1", "t2"]
    assert sorted(ids(index, "", since="2025-04", until="2025-04")) == ["t1", "t2"]
    assert sorted(ids(index, "published:[2025-05 TO *]")) == ["t5"]
    assert ids(index, "year:2024") == ["t3"]


def test_parse_when_phrases():
    now = datetime(2025, 4, 16, 12, tzinfo=timezone.utc)
    assert parse_when("2025-04", now=now) == datetime(2025, 4, 1, tzinfo=timezone.utc)
    assert parse_when("2025-04", now=now, end=True).day == 30
    assert parse_when("yesterday", now=now) == datetime(2025, 4, 15, tzinfo=timezone.utc)
    assert parse_when("last week", now=now) == datetime(2025, 4, 9, tzinfo=timezone.utc)
    assert parse_when("3 days ago", now=now).day == 13
    with pytest.raises(QueryError):
        parse_when("yesterday-ish", now=now)


def test_sorting_and_paging(index):
    newest = ids(index, "", sort="newest")
    assert newest[:5] == ["t5", "t2", "t1", "t4", "t3"] and newest[-1] == "t6"
    assert ids(index, "", sort="oldest")[:2] == ["t3", "t4"]
    pages = [run(index, SearchRequest(limit=2, page=p, sort="newest")).hits for p in (1, 2, 3)]
    assert [h.id for page in pages for h in page] == newest
    scored = run(index, SearchRequest(query="solar", sort="newest"))
    assert all(h.score > 0 for h in scored.hits)


def test_acronyms_match_both_ways(index):
    assert sorted(ids(index, "SIDM")) == ["t4", "t5"]
    assert sorted(ids(index, '"Society of Indian Defence Manufacturers"')) == ["t4", "t5"]


def test_snippet_highlights_and_control_characters(tmp_path):
    ix = make_index(tmp_path, [release("x", "Intro \x1b[31mred\x1b[0m text. " + "filler " * 60 + "the turbine spins")])
    hit = run(ix, SearchRequest(query="turbine")).hits[0]
    assert "\x1b" not in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["turbine"]


def test_suggestion_for_unknown_word(index):
    assert run(index, SearchRequest(query="turbnes")).suggestion == "turbines"
    assert run(index, SearchRequest(query="turbines")).suggestion is None


def test_json_shape(index):
    data = run(index, SearchRequest(query="solar", facets=("agency",))).to_dict()
    assert list(data) == ["query", "total", "page", "hits", "facets", "facets_more", "suggestion", "reason"]
    assert set(data["hits"][0]) == {"id", "score", "title", "url", "published", "agency", "source", "dateline", "snippet"}
    assert data["facets"]["agency"][0] == ["ANI", 2]
    json.dumps(data)


@pytest.mark.parametrize("query", ['"unbalanced (', "title:", "AND OR NOT", "((((", "published:[2025 TO",
                                   "a AND", "OR b", "nosuchfield:x", ")", "NOT", "published:[x TO y]", "TO"])
def test_bad_queries_raise_one_line(index, query):
    with pytest.raises(QueryError) as err:
        run(index, SearchRequest(query=query))
    assert "\n" not in str(err.value) and str(err.value)


def test_bad_facet_filter_sort(index):
    for request in (SearchRequest(facets=("colour",)), SearchRequest(filters=(("colour", "red"),)),
                    SearchRequest(sort="sideways"), SearchRequest(since="whenever")):
        with pytest.raises(QueryError):
            run(index, request)


def test_operators(index):
    assert sorted(ids(index, "solar AND wind")) == ["t3"]
    assert "t3" not in ids(index, "solar NOT wind")
    assert "t3" not in ids(index, "solar -wind")
    assert sorted(ids(index, "(tax OR wind) AND agency:Reuters")) == ["t6"]
    assert "t3" in ids(index, "turb*") and "t3" in ids(index, "turbins~")


def test_batch_shape_and_errors(index):
    out = list(batch(index, ["q1\tsolar power", "q2\t\"unbalanced", "q3\tSIDM"], request=SearchRequest(limit=1)))
    assert [o["qid"] for o in out] == ["q1", "q2", "q3"]
    assert set(out[0]) == {"qid", "total", "took_ms", "hits"} and len(out[0]["hits"]) == 1
    assert set(out[0]["hits"][0]) == {"id", "score"}
    assert out[1]["total"] == 0 and out[1]["error"]
    assert out[2]["total"] == 2


def test_batch_ranks_as_search_does_over_several_segments_with_deletions(tmp_path):
    ix = make_index(tmp_path, generated(120))
    with ix.writer() as writer:
        writer.add(generated(60, start=120))
        writer.delete([f"g{n}" for n in range(0, 120, 7)])
    assert len(ix.segments()) > 1
    queries = ["minister defence", "solar OR wind", "port", '"river flood"']
    out = list(batch(ix, [f"q{n}\t{q}" for n, q in enumerate(queries)], request=SearchRequest(limit=20)))
    for query, line in zip(queries, out):
        assert [hit["id"] for hit in line["hits"]] == ids(ix, query)[:20], query


def test_export_show_similar_stats(index):
    assert [h.id for h in export(index, SearchRequest(query="solar", limit=1))] == ids(index, "solar")
    release_, copies = show(index, "t1")
    assert release_.title == "Solar power plan approved" and copies == []
    with pytest.raises(NotFoundError):
        show(index, "nope")
    with pytest.raises(NotFoundError):
        similar(index, "nope")
    assert "t1" not in [h.id for h in similar(index, "t1").hits]
    s = stats(index)
    assert s["documents"] == 6 and s["agencies"] == {"ANI": 2, "PIB": 2, "PTI": 1, "Reuters": 1}
    assert s["oldest"].startswith("2024-11-05") and s["newest"].startswith("2025-05-01")


def test_fresh_home_searches_empty(tmp_path):
    ix = open_index(tmp_path / "none", create=False)
    assert run(ix, SearchRequest(query="anything", facets=("agency",))).total == 0
    assert stats(ix)["documents"] == 0 and not (tmp_path / "none").exists()


def test_exact_field_clause_among_words_is_required(index):
    assert sorted(ids(index, "solar")) == ["t1", "t2", "t3"]
    assert ids(index, "solar agency:PTI") == ["t2"]
    assert ids(index, '"solar power" agency:ANI') == ["t1"]
    assert sorted(ids(index, "solar year:2025")) == ["t1", "t2"]
    assert sorted(ids(index, "solar agency:PTI OR agency:PIB")) == ["t2", "t4", "t5"]  # explicit OR keeps its meaning


def test_acronym_and_expansion_find_each_other(tmp_path):
    ix = make_index(tmp_path, [
        release("both", "The Society of Indian Defence Manufacturers (SIDM) met the minister.",
                acronyms={"SIDM": "Society of Indian Defence Manufacturers"}),
        release("long", "A delegation of the Society of Indian Defence Manufacturers visited Rome."),
        release("short", "SIDM members asked for faster export licences."),
        release("other", "The society of Indian cooks met defence manufacturers."),
    ])
    assert sorted(ids(ix, "SIDM")) == ["both", "long", "short"]
    assert sorted(ids(ix, '"Society of Indian Defence Manufacturers"')) == ["both", "long", "short"]
    # spelt out without quotes, inside a longer query, it still finds the release that only says SIDM
    assert "short" in ids(ix, "export news from the Society of Indian Defence Manufacturers this week")
    assert "short" not in ids(ix, "Society of Indian cooks")


def test_acronyms_defined_in_an_older_segment_are_found(tmp_path):
    ix = make_index(tmp_path, [release("old", "The Society of Indian Defence Manufacturers (SIDM) met.",
                                       acronyms={"SIDM": "Society of Indian Defence Manufacturers"})])
    with ix.writer() as writer:
        writer.add([release("new", "SIDM members asked for faster export licences.")])
    assert sorted(ids(ix, '"Society of Indian Defence Manufacturers"')) == ["new", "old"]


def test_query_words_split_as_evaluation_tools_split_them(tmp_path):
    ix = make_index(tmp_path, [release("us", "The U.S. policy on trade."), release("nam", "Viet Nam's president spoke."),
                               release("dose", "A dose of 3.5 mg of COVID-19 vaccine.")])
    assert ids(ix, "u s policy")[0] == "us" and ids(ix, "U.S. policy")[0] == "us"
    assert ids(ix, "viet nam s president") == ["nam"] and ids(ix, "nam's") == ["nam"]
    assert ids(ix, "3 5 mg") == ["dose"] and ids(ix, '"3.5 mg"') == ["dose"] and ids(ix, "covid 19") == ["dose"]


def test_facet_limit(tmp_path):
    months = [release(f"m{n}", "monthly report", published=at(f"2024-{n:02d}-10"), source=f"desk{n % 4}")
              for n in range(1, 13) if n != 5]
    ix = make_index(tmp_path, months + [release("x", "monthly report", published=at("2024-06-11"), source="desk0")])
    shown = run(ix, SearchRequest(facets=("month", "source"), facet_limit=3))
    # a histogram: every month, in order, May's zero included, whatever the limit
    assert shown.facets["month"][3:6] == [("2024-04", 1), ("2024-05", 0), ("2024-06", 2)]
    assert len(shown.facets["month"]) == 12 and sum(n for _, n in shown.facets["month"]) == 12
    # a value facet is cut at the limit, and says how many values it left out
    assert shown.facets["source"] == [("desk0", 4), ("desk2", 3), ("desk3", 3)]
    assert shown.facets_more == {"source": 1}
    with pytest.raises(QueryError):
        run(ix, SearchRequest(facets=("month",), facet_limit=0))


def test_matching_ids_answers_which_of_many_releases_a_saved_search_matches(index):
    request = SearchRequest(query="solar", filters=(("agency", "ANI"),))
    assert matching_ids(index, request, ["t3", "t2", "t1", "no-such-id", "t3"]) == ["t3", "t1"]
    assert matching_ids(index, SearchRequest(query="zeppelin"), ["t1", "t2"]) == []
    assert matching_ids(index, request, []) == []
