"""Small hand-made releases and an on-disk index of them, for the index and search tests."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from wiredesk.index import Index, open_index
from wiredesk.core.release import Dateline, Release

WIRE_STORY = (
    "The Ministry of Defence on Tuesday signed a contract worth 2,000 crore rupees with Bharat Electronics for "
    "radar systems to be delivered to the Indian Air Force over the next four years. Officials said the radars "
    "would be built in Bengaluru and would replace equipment in service since the 1980s. The deal is part of a "
    "drive to buy more weapons from Indian manufacturers, the ministry said in a statement issued in the capital."
)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def release(id: str, body: str, **fields) -> Release:
    return Release(id=id, body=body, **fields)


SAMPLE = (
    release("t1", "The council met to discuss budgets and other matters of the day.", title="Solar power plan approved",
            agency="ANI", source="ani-feed", published=at("2025-04-02"), dateline=Dateline("NEW DELHI", "New Delhi", "India"),
            people=("Rajesh Kumar Singh",), organizations=("NTPC",), countries=("India",), categories=("energy",),
            language="en"),
    release("t2", "A long report mentions solar power in passing among many other topics of energy policy today.",
            title="Quarterly review", agency="PTI", source="pti-feed", published=at("2025-04-20"),
            dateline=Dateline("MUMBAI", "Mumbai", "India"), people=("rajesh kumar singh", "Anita Rao"),
            categories=("Energy",), language="en"),
    release("t3", "Wind turbines and solar panels and battery storage were shown at the fair.", title="Energy fair",
            agency="ani", source="ani-feed", published=at("2024-11-05"), dateline=Dateline("ROME", "Rome", "Italy"),
            organizations=("Enel",), countries=("Italy", "India"), categories=("energy", "events"), language="it"),
    release("t4", "The Society of Indian Defence Manufacturers (SIDM) met the minister.", title="Industry meets minister",
            agency="PIB", source="pib", published=at("2025-03-15"), dateline=Dateline("NEW DELHI", "New Delhi", "India"),
            acronyms={"SIDM": "Society of Indian Defence Manufacturers"}, categories=("defence",)),
    release("t5", "SIDM members asked for faster approvals of export licences.", title="Exporters ask for speed",
            agency="PIB", source="pib", published=at("2025-05-01")),
    release("t6", "Budget talks: the finance ministry announced a review of tax rules and customs duties.",
            title="Tax review", agency="Reuters", source="reuters", published=None),
)


def make_index(root: Path, releases=SAMPLE) -> Index:
    index = open_index(root / "index")
    with index.writer() as writer:
        writer.add(releases)
    return index


_WORDS = ("minister defence budget port harbour solar wind turbine grid export licence tariff rupee bank "
          "election council river flood drought wheat rice farmer vaccine hospital rail metro airport "
          "satellite launch orbit court verdict appeal strike union wage steel coal refinery").split()
_AGENCIES = ("ANI", "PTI", "Reuters", "PIB", "IANS")
_PLACES = (("NEW DELHI", "New Delhi", "India"), ("MUMBAI", "Mumbai", "India"), ("ROME", "Rome", "Italy"),
           ("PARIS", "Paris", "France"))


def generated(count: int, *, seed: int = 1, start: int = 0) -> list[Release]:
    """`count` varied releases with ids g{start}..: random sentences over a small vocabulary, so that terms
    have long and short posting lists, with agencies, places, people and dates to facet on."""
    import random

    rng = random.Random(seed)
    out = []
    for n in range(start, start + count):
        sentences = [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 14))).capitalize() + "."
                     for _ in range(rng.randint(2, 6))]
        raw, city, country = rng.choice(_PLACES)
        out.append(release(
            f"g{n}", "\n\n".join(sentences), title=" ".join(rng.choice(_WORDS) for _ in range(4)).title(),
            agency=rng.choice(_AGENCIES), source=f"src{n % 7}", dateline=Dateline(raw, city, country),
            published=at(f"2025-0{1 + n % 9}-{1 + n % 28:02d}"), people=(f"Person {n % 13}",),
            categories=(rng.choice(("energy", "trade", "health")),), language="en"))
    return out
