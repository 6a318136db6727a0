"""The fixed query mix: 300 seeded queries, the same at every corpus size, for wiredesk and for FTS5.

Half are one to three keywords, a fifth phrases, a fifth a field filter (agency or country) with
keywords, a tenth a date range with keywords. Keywords come from the corpus vocabulary at every
frequency: real domain and topic words (common) and synthesised words from rank 100 to 30,000 (rare),
so result sets range from a handful of documents to most of the corpus.

wiredesk's plain words are OR-leaning (a document matching more of them ranks higher), so a filter or a
range is joined with AND: `agency:ANI solar` would be "ANI's releases or those about solar". FTS5 gets
the same words OR-ed, and its filters as SQL conditions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .corpus import AGENCIES, CATEGORIES, DOMAIN_WORDS, PLACES, Vocabulary

__all__ = ["MIX", "Query", "query_mix"]

# kind -> how many of the 300
MIX = {"keywords": 150, "phrase": 60, "filter": 60, "dates": 30}


@dataclass(frozen=True)
class Query:
    qid: str
    kind: str  # one of MIX
    words: tuple[str, ...]  # keywords, or the words of the phrase
    field: str = ""  # filter: "agency" or "country" (or "title", for a corpus without either)
    value: str = ""
    since: str = ""  # dates: YYYY-MM-DD, both ends included
    until: str = ""

    @property
    def text(self) -> str:
        """The query as a wiredesk user types it."""
        if self.kind == "phrase":
            return f'"{" ".join(self.words)}"'
        words = " ".join(self.words)
        if self.kind == "filter":
            value = f'"{self.value}"' if " " in self.value else self.value
            return f"{self.field}:{value} AND ({words})"
        if self.kind == "dates":
            return f"published:[{self.since} TO {self.until}] AND ({words})"
        return words

    @property
    def match(self) -> str:
        """The FTS5 MATCH expression: the phrase, or the words OR-ed."""
        if self.kind == "phrase":
            return f'"{" ".join(self.words)}"'
        words = " OR ".join(f'"{word}"' for word in self.words)
        if self.kind == "filter" and self.field == "title":  # a word the title must hold
            return f'title : "{self.value}" AND ({words})'
        return words

    @property
    def day_after_until(self) -> str:
        return (date.fromisoformat(self.until) + timedelta(days=1)).isoformat() if self.until else ""


def _keyword(rng: random.Random, vocab: Vocabulary) -> str:
    if rng.random() < 0.6:
        pool = DOMAIN_WORDS + [w for words, _ in CATEGORIES.values() for w in words]
        return rng.choice(pool)
    # log-uniform rank: as many queries for words seen in 1% of releases as for ones seen in 0.01%
    rank = int(10 ** rng.uniform(2, 4.5))
    return vocab.synthetic[rank]


def _keywords(rng: random.Random, vocab: Vocabulary, count: int) -> tuple[str, ...]:
    words: list[str] = []
    while len(words) < count:
        word = _keyword(rng, vocab)
        if word not in words:
            words.append(word)
    return tuple(words)


def _phrase(rng: random.Random, vocab: Vocabulary) -> tuple[str, ...]:
    pick = rng.random()
    if pick < 0.5:
        phrase = rng.choice([p for _, phrases in CATEGORIES.values() for p in phrases])
    elif pick < 0.75:
        phrase = rng.choice(vocab.people[:500])
    else:
        phrase = rng.choice(vocab.organizations[:300])[0]
    return tuple(phrase.split())


def query_mix(vocab: Vocabulary, *, seed: int) -> list[Query]:
    rng = random.Random(f"queries:{seed}")
    queries: list[Query] = []
    for _ in range(MIX["keywords"]):
        queries.append(Query("", "keywords", _keywords(rng, vocab, rng.choice((1, 1, 2, 2, 2, 3, 3)))))
    for _ in range(MIX["phrase"]):
        queries.append(Query("", "phrase", _phrase(rng, vocab)))
    for _ in range(MIX["filter"]):
        if rng.random() < 0.5:
            field, value = "agency", rng.choice(AGENCIES).name
        else:
            field, value = "country", rng.choice(list(PLACES))
        queries.append(Query("", "filter", _keywords(rng, vocab, rng.choice((1, 2))), field=field, value=value))
    for _ in range(MIX["dates"]):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365 - 30))
        end = min(start + timedelta(days=rng.choice((30, 91, 182, 365))), date(2025, 12, 31))
        queries.append(Query("", "dates", _keywords(rng, vocab, rng.choice((1, 2))), since=start.isoformat(),
                             until=end.isoformat()))
    rng.shuffle(queries)  # kinds interleaved, so a slow spell of the shared machine hits every kind alike
    return [Query(f"q{n:03d}", q.kind, q.words, q.field, q.value, q.since, q.until) for n, q in enumerate(queries, 1)]
