"""Small hand-made releases and an on-disk index of them, for the index and search tests."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from index import Index, open_index
from wiredesk.release import Dateline, Release

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
            people=("Rajesh Kumar Singh",), organizations=("NTPC",), categories=("energy",), language="en"),
    release("t2", "A long report mentions solar power in passing among many other topics of energy policy today.",
            title="Quarterly review", agency="PTI", source="pti-feed", published=at("2025-04-20"),
            dateline=Dateline("MUMBAI", "Mumbai", "India"), people=("rajesh kumar singh", "Anita Rao"),
            categories=("Energy",), language="en"),
    release("t3", "Wind turbines and solar panels and battery storage were shown at the fair.", title="Energy fair",
            agency="ani", source="ani-feed", published=at("2024-11-05"), dateline=Dateline("ROME", "Rome", "Italy"),
            organizations=("Enel",), categories=("energy", "events"), language="it"),
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
