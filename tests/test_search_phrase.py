"""Phrase matching with numpy over positions, checked against Whoosh's own phrase matcher as the oracle."""

from __future__ import annotations

import random

import numpy as np
import pytest
from indexfixtures import make_index, release
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.index import open_dir
from whoosh.matching import ListMatcher

from wiredesk.index.analysis import terms
from wiredesk.index.schema import TEXT_FIELDS
from wiredesk.search import SearchRequest, run
from wiredesk.search.query import Phrase
from wiredesk.search.positions import phrase_frequencies
from wiredesk.search.scoring import Evaluator
from wiredesk.core.release import Release

# common words make long posting lists (stored in blocks), rare ones short lists (inlined in the term table)
_COMMON = ("minister defence prime budget port harbour solar power grid export rail council river farmer "
           "bla").split()
_STOP = ("of", "the", "and", "to", "in")
_RARE = tuple(f"rare{n}" for n in range(400))
_SIZE = 2400


def _sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(4, 12)):
        roll = rng.random()
        if roll < 0.12:
            words.append(rng.choice(_STOP))
        elif roll < 0.2:
            words.append(rng.choice(_RARE))
        elif roll < 0.25:
            words.extend(["bla"] * rng.randint(2, 4))  # runs of one word, for phrases that repeat a word
        elif roll < 0.28:
            words.append("minister of defence")
        else:
            words.append(rng.choice(_COMMON))
    return " ".join(words).capitalize() + "."


def _releases(count: int, start: int, seed: int) -> list[Release]:
    rng = random.Random(seed)
    return [release(f"p{n}", " ".join(_sentence(rng) for _ in range(rng.randint(1, 5))),
                    title=_sentence(rng), acronyms={f"R{n % 9}": _sentence(rng)} if n % 5 == 0 else {})
            for n in range(start, start + count)]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """Several segments (one commit each), with deleted documents in the first."""
    ix = make_index(tmp_path_factory.mktemp("phrases"), _releases(_SIZE, 0, seed=3))
    with ix.writer() as writer:
        for batch in range(2):
            writer.add(_releases(300, _SIZE + 300 * batch, seed=10 + batch))
            writer.commit()
        writer.delete(f"p{n}" for n in range(0, _SIZE, 37))
    yield ix
    ix.close()


def _phrases(rng: random.Random, texts: list[str]) -> list[tuple[str, ...]]:
    """Windows of indexed text (found), the same words shuffled (mostly apart), repeats and absent words."""
    found = []
    for text in rng.sample(texts, 80):
        words = terms(text)
        size = rng.randint(2, 4)
        if len(words) > size:
            at = rng.randrange(len(words) - size)
            found.append(tuple(words[at:at + size]))
    shuffled = [tuple(rng.sample(words, len(words))) for words in found]
    made = [tuple(terms(text)) for text in ("minister of defence", "prime minister", "defence minister",
                                            "bla bla", "bla bla bla", "bla bla bla bla", "minister minister",
                                            "rare5 rare5", "rare7 minister", "solar zzzabsent", "power the grid")]
    return [words for words in found + shuffled + made if len(words) > 1]


def _oracle(leaf, name: str, words: tuple[str, ...]) -> set[int]:
    matcher = wq.Phrase(name, list(words)).matcher(leaf)
    return set(matcher.all_ids()) if matcher.is_active() else set()


@pytest.fixture(scope="module")
def oracle(index):
    """Stock Whoosh's view of each segment of the index, in the same order."""
    searcher = open_dir(str(index.folder)).searcher()
    leaves = [leaf for leaf, _offset in searcher.leaf_searchers()]
    assert [leaf.doc_count_all() for leaf in leaves] == [seg.size for seg in index.segments()]
    yield leaves
    searcher.close()


def _live(seg, ids: np.ndarray) -> set[int]:
    return {int(i) for i in ids if seg.live[i]}


def test_index_has_several_segments_with_block_and_inline_lists(index, oracle):
    segments = index.segments()
    assert len(segments) >= 2 and any(not seg.live.all() for seg in segments)
    kinds = set()
    for seg, leaf in zip(segments, oracle):
        reader = leaf.reader()
        for word in (*_COMMON, *terms(" ".join(_RARE[:40]))):
            if seg.has_term("body", word):
                matcher = reader._terms.matcher("body", word.encode(), reader.schema["body"].format)
                kinds.add(type(matcher))
    assert {W3LeafMatcher, ListMatcher} <= kinds


def test_positions_match_whoosh_postings(index, oracle):
    for seg, leaf in zip(index.segments(), oracle):
        for name in TEXT_FIELDS:
            for word in (*_COMMON[:6], *terms(" ".join(_RARE[:20])), "zzzabsent"):
                ids, _, counts, positions = seg.positions(name, word)
                expected = (list(leaf.reader().postings(name, word).items_as("positions"))
                            if seg.has_term(name, word) else [])
                live = seg.live[ids]
                starts = np.concatenate([[0], np.cumsum(counts)])
                got = [(int(ids[i]), positions[starts[i]:starts[i + 1]].tolist()) for i in np.flatnonzero(live)]
                assert got == [(d, list(p)) for d, p in expected], (name, word)


def test_phrase_documents_equal_whoosh_phrase_matcher(index, oracle):
    rng = random.Random(11)
    texts = [f"{r.title} {r.body}" for r in _releases(_SIZE, 0, seed=3)]
    phrases = _phrases(rng, texts)
    assert len(phrases) > 100
    matched = 0
    for seg, leaf in zip(index.segments(), oracle):
        for name in TEXT_FIELDS:
            for words in phrases:
                expected = _oracle(leaf, name, words)
                found, _ = phrase_frequencies({w: seg.positions(name, w) for w in words}, words)
                assert _live(seg, found) == expected, (name, words)
                matched += bool(expected)
    assert matched > 100, "the phrases should find something"


def test_phrases_found_only_apart_do_not_match(index, oracle):
    # every document with "council" and "river" has both somewhere; only some side by side, in that order
    words = tuple(terms("council river"))
    for seg, leaf in zip(index.segments(), oracle):
        both = np.intersect1d(*(seg.positions("body", word)[0] for word in words))
        adjacent, _ = phrase_frequencies({w: seg.positions("body", w) for w in words}, words)
        assert 0 < len(adjacent) < len(both)
        assert _live(seg, adjacent) == _oracle(leaf, "body", words)


def _occurrences(seg, name: str, words: tuple[str, ...]) -> dict[int, int]:
    """How many times the phrase starts in each live document, counted position by position."""
    positions = {}
    for word in set(words):
        ids, _, counts, flat = seg.positions(name, word)
        starts = np.concatenate([[0], np.cumsum(counts)])
        positions[word] = {int(d): set(flat[starts[i]:starts[i + 1]].tolist()) for i, d in enumerate(ids)}
    docs = set.intersection(*(set(positions[w]) for w in words))
    counted = {}
    for doc in docs:
        n = sum(all(p + k in positions[w][doc] for k, w in enumerate(words)) for p in positions[words[0]][doc])
        if n and seg.live[doc]:
            counted[doc] = n
    return counted


def test_phrase_frequencies_count_every_occurrence(index):
    # a phrase is a BM25F term: its frequency is the number of times its words stand side by side
    for seg in index.segments():
        for name in TEXT_FIELDS:
            for words in (tuple(terms("minister of defence")), tuple(terms("bla bla")), tuple(terms("bla bla bla")),
                          tuple(terms("prime minister")), tuple(terms("rare7 minister"))):
                found, counts = phrase_frequencies({w: seg.positions(name, w) for w in words}, words)
                got = {int(d): int(c) for d, c in zip(found, counts) if seg.live[d]}
                assert got == _occurrences(seg, name, words), (name, words)


def test_evaluator_scores_a_phrase_as_one_term(index, oracle):
    # every document holding the phrase in some field scores, and only those
    evaluator = Evaluator(index)
    words = tuple(terms("minister of defence"))
    matched = 0
    for seg, leaf, found in zip(evaluator.segments, oracle, evaluator.match(Phrase(None, words))):
        expected = set().union(*(_oracle(leaf, name, words) for name in TEXT_FIELDS))
        assert _live(seg, np.flatnonzero(found.mask)) == expected
        assert (found.scores[found.mask] > 0).all() and not found.scores[~found.mask].any()
        matched += len(expected)
    assert matched > 50


def test_phrase_query_finds_adjacent_words_not_words_apart(tmp_path):
    ix = make_index(tmp_path, [
        release("near", "The prime minister opened the new port.", title="Port opening"),
        release("apart", "The minister said prime rates would rise.", title="Rates"),
        release("reversed", "Minister prime of the council spoke.", title="Council"),
        release("stop", "The Minister of Defence signed the deal.", title="Deal signed"),
        release("title", "A visit to the harbour.", title="Prime minister visits harbour"),
    ])

    def ids(query: str) -> list[str]:
        return sorted(hit.id for hit in run(ix, SearchRequest(query=query, limit=50)).hits)

    assert ids('"prime minister"') == ["near", "title"]
    assert ids('"minister of defence"') == ["stop"]
    assert ids('"minister defence"') == ["stop"]  # the stop word is not a position
    assert ids('title:"prime minister"') == ["title"]
    assert ids('"prime minister port"') == []
    assert {"apart", "reversed"} <= set(ids("prime minister"))  # unquoted, the words may be apart
    ix.close()
