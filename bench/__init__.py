"""bench: wiredesk's speed and memory, measured beside what users would pick instead (SQLite FTS5).

Run on demand, never in CI or the test suite: `python -m bench all` (see `python -m bench --help`).
Everything it builds (corpora, indexes, the FTS5 baseline, temporary homes) goes under `bench/out/`.

    corpus.py     a seeded, deterministic press-release corpus in the `extract` JSON shape
    queries.py    the fixed mix of 300 queries, as wiredesk query strings and as FTS5 MATCH expressions
    fts5.py       the SQLite FTS5 baseline: build, search, facet counts with GROUP BY
    measure.py    child processes timed, with their peak RSS (the whole process tree)
    importing.py  `wiredesk import` of a corpus into a fresh home
    latency.py    search latency in-process and through `wiredesk search --batch`, beside FTS5
    server.py     a loopback site (robots.txt, an RSS feed, ~60 KB article pages) that stops itself
    ingestion.py  end-to-end `wiredesk ingest`, and the fetch, extraction and index stages alone
    startup.py    wall time of `wiredesk search` and `wiredesk --help`
    report.py     the table, the JSON file and the figures block of RESULTS.md
    entities.py   people and countries against the codes of real Reuters stories (`python -m bench entities`)
"""
