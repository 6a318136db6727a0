"""A wiredesk index is still a Whoosh index: with wiredesk installed (for the classes it pickles), stock
Whoosh opens it, parses queries over its text fields with its own QueryParser and wiredesk's analyzer, and
its searcher finds the same documents as wiredesk for term and phrase queries."""

from __future__ import annotations

import json

import pytest
from indexfixtures import SAMPLE, generated, make_index
from whoosh.index import open_dir
from whoosh.qparser import MultifieldParser, OrGroup, QueryParser

from wiredesk.index.schema import TEXT_FIELDS
from wiredesk.search import SearchRequest, run

QUERIES = ("solar", "Minister", "budgets", "turbines", "wheat", "ministry", '"rail metro"',
           '"minister of defence"', '"solar power"', '"wind turbine"', '"Defence Manufacturers"', '"port harbour"',
           '"flood drought"', "solar power", "harbour wheat rail")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = make_index(tmp_path_factory.mktemp("stock"), list(SAMPLE) + generated(300))
    with ix.writer() as writer:  # a second segment and a deletion
        writer.add(generated(40, seed=2, start=300))
        writer.commit()
        writer.delete(["g3", "t2"])
    yield ix
    ix.close()


def _wiredesk(index, query: str) -> set[str]:
    return {hit.id for hit in run(index, SearchRequest(query=query, limit=1000)).hits}


def _stock(searcher, parser, query: str) -> set[str]:
    return {json.loads(hit["doc"])["id"] for hit in searcher.search(parser.parse(query), limit=None)}


def test_stock_whoosh_finds_what_wiredesk_finds(index):
    whoosh_index = open_dir(str(index.folder))
    parser = MultifieldParser(list(TEXT_FIELDS), whoosh_index.schema, group=OrGroup)
    with whoosh_index.searcher() as searcher:
        found = 0
        for query in QUERIES:
            expected = _wiredesk(index, query)
            assert _stock(searcher, parser, query) == expected, query
            found += bool(expected)
        assert found == len(QUERIES)


def test_stock_whoosh_parses_one_field_with_wiredesk_analysis(index):
    whoosh_index = open_dir(str(index.folder))
    parser = QueryParser("title", whoosh_index.schema)
    assert str(parser.parse("Solar powers")) == "(title:solar AND title:power)"  # stemmed, as wiredesk does
    assert str(parser.parse('"Minister of the Defence"')) == 'title:"minist defenc"'  # stop words dropped
    with whoosh_index.searcher() as searcher:
        for word in ("budget", "solar", "review"):
            assert _stock(searcher, parser, word) == _wiredesk(index, f"title:{word}"), word
