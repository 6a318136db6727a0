"""Entities against a collection's own codes: Reuters-21578 stories (`fixtures/reuters-dev` of the shared
material) carry the places (countries) and people their editors coded by hand.

Each story is rendered as a plain article page (headline, the dateline opening the first paragraph, as the
wire printed it) and goes through `extract`, as a fetched page would. Then:

- countries: the release's `countries` against the story's `places` codes, counted over (story, country)
  pairs: precision, recall, F1. Stories without a place code are left out. A code names a country of
  1987 (`west-germany`, `ussr`): it is read as the country that holds that land today.
- people: the share of `people` codes (`james-baker`, `de-clercq`) whose surname, the code's last part, is
  a word of one of the release's people (surname recall). The codes cover only the era's newsmakers, so
  there is no precision to take.
- speed: `extract` pages per second on one core, and the share of that time spent finding entities.

    python -m bench entities                      all 13,585 stories of ../shared (about a minute)
    python -m bench entities --limit 2000 --json out.json

Skips, saying so, when the stories file is absent.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import sys
import time
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

__all__ = ["DEFAULT_STORIES", "entity_scores", "main"]

DEFAULT_STORIES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "reuters-dev" / "stories.jsonl.gz"

# 1987 codes whose country is known today under another name (or joined another)
_SUCCESSORS = {
    "usa": "United States", "uk": "United Kingdom", "ussr": "Russia", "west-germany": "Germany",
    "east-germany": "Germany", "czechoslovakia": "Czechia", "yugoslavia": "Serbia", "burma": "Myanmar",
    "kampuchea": "Cambodia", "zaire": "Democratic Republic of the Congo", "uae": "United Arab Emirates",
    "yemen-arab-republic": "Yemen", "yemen-demo-republic": "Yemen", "trinidad-tobago": "Trinidad and Tobago",
    "congo": "Republic of the Congo", "ivory-coast": "Ivory Coast", "us-virgin-islands": "U.S. Virgin Islands",
    "antigua": "Antigua and Barbuda",
}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def _paragraphs(body: str) -> list[str]:
    """The wire's text wraps at about 70 columns; an indented line starts a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in body.splitlines():
        if line.startswith("    ") and current:
            paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _page(story: dict[str, Any]) -> bytes:
    paragraphs = _paragraphs(story["body"]) or [""]
    if story["dateline"]:
        paragraphs[0] = f"{story['dateline'].rstrip(' -')} - {paragraphs[0]}"
    title = html.escape(story["title"].title())
    text = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{story["published"]}"></head>'
            f"<body><article><h1>{title}</h1>\n{text}\n</article></body></html>").encode("utf-8")


def _stories(path: Path, limit: int) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit and number >= limit:
                return
            yield json.loads(line)


def _code_country(code: str) -> str:
    from wiredesk.ingest.gazetteer import country_name

    name = _SUCCESSORS.get(code) or country_name(code.replace("-", " "))
    if not name:
        raise ValueError(f"no country for the place code {code!r}")
    return country_name(name) or name


def _countries(release: Any) -> set[str]:
    from wiredesk.ingest.gazetteer import country_name

    # a release made before the `countries` field knows its countries through its dateline only
    found = getattr(release, "countries", None)
    names = found if found is not None else ([release.dateline.country] if release.dateline.country else [])
    return {country_name(n) or n for n in names}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def entity_scores(path: Path = DEFAULT_STORIES, *, limit: int = 0) -> dict[str, Any] | None:
    """The figures, or None when the stories file is absent."""
    if not path.exists():
        return None
    from wiredesk.core.errors import Skip
    from wiredesk.ingest import RawPage
    from wiredesk.ingest import extract as extract_module
    from wiredesk.ingest.extract import extract

    fetched = datetime(1987, 12, 31, tzinfo=timezone.utc)
    entity_seconds = 0.0
    real_find = extract_module.find_entities

    def timed_find(*args: Any, **kwargs: Any) -> Any:
        nonlocal entity_seconds
        started = time.perf_counter()
        try:
            return real_find(*args, **kwargs)
        finally:
            entity_seconds += time.perf_counter() - started

    country_counts = Counter[str]()  # tp, predicted, coded
    missed, spurious = Counter[str](), Counter[str]()
    people_coded = people_found = stories = skipped = 0
    extract_seconds = 0.0
    extract_module.find_entities = timed_find
    try:
        for story in _stories(path, limit):
            page = RawPage(url=f"http://wire.test/{story['id']}.html", body=_page(story), fetched=fetched,
                           source="reuters-dev", headers={"content-type": "text/html; charset=utf-8"})
            stories += 1
            started = time.perf_counter()
            try:
                release = extract(page)
            except Skip:
                release = None
            extract_seconds += time.perf_counter() - started
            if release is None:
                skipped += 1
            coded = {_code_country(code) for code in story["places"]}
            found = _countries(release) if release else set()
            if coded:
                country_counts["tp"] += len(coded & found)
                country_counts["predicted"] += len(found)
                country_counts["coded"] += len(coded)
                missed.update(coded - found)
                spurious.update(found - coded)
            words = {w for name in (release.people if release else ()) for w in _fold(name).replace("-", " ").split()}
            for code in story["people"]:
                people_coded += 1
                people_found += code.split("-")[-1] in words
    finally:
        extract_module.find_entities = real_find
    precision = _ratio(country_counts["tp"], country_counts["predicted"])
    recall = _ratio(country_counts["tp"], country_counts["coded"])
    return {
        "stories": stories,
        "skipped": skipped,
        "countries": {
            "precision": precision, "recall": recall,
            "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
            "missed": dict(missed.most_common(10)), "spurious": dict(spurious.most_common(10)),
        },
        "people": {"codes": people_coded, "surname_recall": _ratio(people_found, people_coded)},
        "extract_pages_per_s_1_core": round(stories / extract_seconds, 1) if extract_seconds else 0.0,
        "entities_share_of_extract": _ratio(round(entity_seconds * 1000), round(extract_seconds * 1000)),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench entities", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES, help=f"default: {DEFAULT_STORIES}")
    parser.add_argument("--limit", type=int, default=0, help="the first N stories only (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    found = entity_scores(args.stories, limit=args.limit)
    if found is None:
        print(f"skipped: no stories file at {args.stories}", file=sys.stderr)
        return
    countries, people = found["countries"], found["people"]
    rows = [
        ("stories (skipped by extraction)", f"{found['stories']:,} ({found['skipped']})"),
        ("countries vs places codes: precision / recall / F1",
         f"{countries['precision']:.3f} / {countries['recall']:.3f} / {countries['f1']:.3f}"),
        ("people vs people codes: surname recall", f"{people['surname_recall']:.3f} of {people['codes']}"),
        ("extract pages/s on one core (entities' share of the time)",
         f"{found['extract_pages_per_s_1_core']:g} ({found['entities_share_of_extract']:.0%})"),
        ("countries most often missed", ", ".join(f"{k} {v}" for k, v in countries["missed"].items())),
        ("countries most often given though not coded", ", ".join(f"{k} {v}" for k, v in countries["spurious"].items())),
    ]
    width = max(len(label) for label, _ in rows)
    print("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
