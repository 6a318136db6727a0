"""search over the bundled sample, ingested once through the CLI: acronyms both ways, field clauses as filters."""

from __future__ import annotations

import pytest

from wiredesk.index import open_index
from wiredesk.search import SearchRequest, run
from wiredesk.core.config import load_config


@pytest.fixture(scope="module")
def sample_index(ingested_sample):
    index = open_index(load_config(ingested_sample).storage.index_root, create=False)
    yield index
    index.close()


def _texts(index, query):
    hits = run(index, SearchRequest(query=query, limit=100)).hits
    return {hit.id: index.get(hit.id) for hit in hits}


def test_acronym_finds_releases_that_only_spell_it_out_and_back(sample_index):
    short = _texts(sample_index, "SIDM")
    spelled = _texts(sample_index, '"Society of Indian Defence Manufacturers"')
    assert set(short) == set(spelled)
    texts = [f"{r.title} {r.body}" for r in short.values()]
    assert any("SIDM" not in t for t in texts), "a release that only spells the name out"
    assert any("Society of Indian Defence Manufacturers" not in t for t in texts), "a release that only says SIDM"


def test_agency_clause_with_words_returns_only_that_agency(sample_index):
    results = run(sample_index, SearchRequest(query='"green hydrogen" agency:ANI', limit=100))
    assert results.total >= 1 and {hit.agency for hit in results.hits} == {"ANI"}
    assert {hit.agency for hit in run(sample_index, SearchRequest(query="green hydrogen", limit=100)).hits} != {"ANI"}


def test_a_story_datelined_abroad_is_found_by_the_countries_it_is_about(sample_index):
    roadmap = "India, Italy agree defence industrial roadmap in Rome"
    about_india = {r.title for r in _texts(sample_index, "countries:India").values()}
    datelined_india = {r.title for r in _texts(sample_index, "country:India").values()}
    assert roadmap in about_india and roadmap not in datelined_india
    # every story of the roadmap datelined in Italy is about India too
    found = run(sample_index, SearchRequest(query="roadmap", filters=(("country", "Italy"),), facets=("countries",)))
    assert found.total >= 3 and dict(found.facets["countries"])["India"] == found.total
