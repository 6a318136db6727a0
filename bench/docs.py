"""A real corpus from a JSON-lines file (`--docs FILE`), and a query mix drawn from its own text.

Accepted lines: wiredesk's import shape (id, title, body, and optionally published, agency, dateline), or
BEIR's (_id, title, text), as in ../shared/fixtures/ir-*/corpus.jsonl. The file is copied once, in the
import shape, under the work folder.

The mix has the bench's kinds, each drawn deterministically from the corpus: `keywords` (one to three
words of a document, at every frequency), `phrase` (two or three adjacent words of a title or a body),
`filter` (an agency or country the corpus has, else a title word, with keywords) and `dates` (a range
within the corpus's dates, with keywords; left out when it has none). Words are whole alphabetic words
of three letters or more, stop words left out, so every engine reads them alike.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .queries import Query

__all__ = ["normalise", "docs_query_mix", "DOCS_MIX"]

DOCS_MIX = {"keywords": 150, "phrase": 60, "filter": 60, "dates": 30}
_WORD = re.compile(r"[A-Za-z]{3,}")
_STOP = frozenset("""the and for that with from this are was were has have had not but its his her their they
will would said says also been into than then them there these those which who whom what when where while
about after before over under more most some such only other our out can may one two new all any per""".split())


def _record(line: dict[str, Any], number: int) -> dict[str, Any]:
    record = {"id": str(line.get("id") or line.get("_id") or f"doc{number}"), "title": line.get("title") or "",
              "body": line.get("body") or line.get("text") or ""}
    for key in ("published", "agency", "dateline", "source", "language"):
        if line.get(key):
            record[key] = line[key]
    return record


def normalise(source: Path, out: Path) -> Path:
    """The corpus in wiredesk's import shape, written once under `out` (documents without text are left out,
    as an import would refuse them)."""
    target = out / f"docs-{source.parent.name}-{source.stem}.jsonl"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    out.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".tmp")
    with source.open(encoding="utf-8") as lines, temp.open("w", encoding="utf-8") as written:
        for number, line in enumerate(lines):
            if line.strip():
                record = _record(json.loads(line), number)
                if record["body"].strip() or record["title"].strip():
                    if not record["body"].strip():
                        record["body"] = record["title"]
                    written.write(json.dumps(record, ensure_ascii=False) + "\n")
    temp.replace(target)
    return target


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def _adjacent(text: str, size: int) -> list[tuple[str, ...]]:
    """Runs of `size` words side by side in the text (no stop word, punctuation or number between them)."""
    runs = []
    for sentence in re.split(r"[^A-Za-z\s]+", text):
        words = sentence.split()
        for at in range(len(words) - size + 1):
            run = tuple(w.lower() for w in words[at:at + size])
            if all(len(w) >= 3 and w not in _STOP and w.isalpha() for w in run):
                runs.append(run)
    return runs


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def docs_query_mix(corpus: Path, *, seed: int) -> list[Query]:
    """The mix for a corpus in the import shape (`normalise`)."""
    rng = random.Random(f"docs:{seed}")
    docs = [json.loads(line) for line in corpus.open(encoding="utf-8")]
    sample = rng.sample(docs, min(len(docs), 2000))
    frequency: Counter[str] = Counter(w for d in sample for w in set(_words(f"{d['title']} {d['body']}")))
    ranked = [w for w, _ in frequency.most_common()]
    agencies = sorted({d["agency"] for d in docs if d.get("agency")})
    countries = sorted({(d.get("dateline") or {}).get("country") for d in docs} - {None, ""})
    days = sorted(datetime.fromisoformat(d["published"].replace("Z", "+00:00")).date()
                  for d in docs if d.get("published"))

    def keywords(count: int) -> tuple[str, ...]:
        words: list[str] = []
        while len(words) < count:
            # log-uniform rank over the sample's vocabulary: common and rare words alike
            word = ranked[min(int(10 ** rng.uniform(0, 4.5)), len(ranked) - 1)]
            if word not in words:
                words.append(word)
        return tuple(words)

    def phrase() -> tuple[str, ...]:
        while True:
            doc = rng.choice(docs)
            runs = _adjacent(doc["title"] if rng.random() < 0.5 else doc["body"][:2000], rng.choice((2, 2, 3)))
            if runs:
                return rng.choice(runs)

    queries: list[Query] = []
    for _ in range(DOCS_MIX["keywords"]):
        queries.append(Query("", "keywords", keywords(rng.choice((1, 1, 2, 2, 2, 3, 3)))))
    for _ in range(DOCS_MIX["phrase"]):
        queries.append(Query("", "phrase", phrase()))
    for _ in range(DOCS_MIX["filter"]):
        words = keywords(rng.choice((1, 2)))
        if agencies and (not countries or rng.random() < 0.5):
            queries.append(Query("", "filter", words, field="agency", value=rng.choice(agencies)))
        elif countries:
            queries.append(Query("", "filter", words, field="country", value=rng.choice(countries)))
        else:  # no exact field to filter on: a word the title must hold
            queries.append(Query("", "filter", words, field="title", value=keywords(1)[0]))
    if days:
        for _ in range(DOCS_MIX["dates"]):
            start = days[rng.randrange(len(days))]
            end = min(start + timedelta(days=rng.choice((7, 30, 91, 365))), _month_end(days[-1]))
            queries.append(Query("", "dates", keywords(rng.choice((1, 2))), since=start.isoformat(),
                                 until=end.isoformat()))
    rng.shuffle(queries)
    return [Query(f"q{n:03d}", q.kind, q.words, q.field, q.value, q.since, q.until) for n, q in enumerate(queries, 1)]
