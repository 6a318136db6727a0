"""Extraction as one list of steps: the order, the contract (the draft back, or `Skip`), and a step's bug
reported against its page and step while the other pages go on."""

import json
import pytest
from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.errors import Skip
from wiredesk.ingest import extract as extraction
from wiredesk.ingest.extract import STEPS, Draft
from wiredesk.ingest.page import RawPage
from wiredesk.ingest.pipeline import StepError, run_steps

STORY = b"""<html><head><title>Mill reopens | Wire</title></head><body><h1>Mill reopens</h1>
<p>LEEDS, March 3 (Reuters) - The textile mill closed in 2019 reopened on Monday with 120 workers, the owners
said, after a buyer from Bradford agreed to take the looms and the brand.</p>
<p>The new owners plan to double the staff by the end of the year.</p></body></html>"""


def test_steps_run_in_the_documented_order():
    assert [step.__name__ for step in STEPS] == [
        "decode", "clean", "metadata", "language", "dateline", "listing", "agency", "length", "dates", "entities"]
    assert "(decode, clean, metadata, language, dateline, listing, agency, length, dates, entities)" in extraction.__doc__


def test_each_step_fills_its_fields():
    draft = Draft(page=RawPage(url="https://wire.example/a", body=STORY))
    seen = []
    for step in STEPS:
        draft = step(draft)
        seen.append((step.__name__, draft.release.title, draft.release.dateline.city, draft.release.agency))
    assert seen[1] == ("clean", "Mill reopens", None, "")
    assert seen[4] == ("dateline", "Mill reopens", "Leeds", "")
    assert seen[6] == ("agency", "Mill reopens", "Leeds", "Reuters")
    assert draft.release.language == "en" and draft.release.published is not None


def test_skip_ends_the_run_with_its_reason():
    def refuse(draft: Draft) -> Draft:
        raise Skip("not wanted")

    with pytest.raises(Skip, match="not wanted"):
        run_steps(Draft(page=RawPage(url="u", body=STORY)), (STEPS[0], refuse, STEPS[1]))


def test_a_failing_step_is_named():
    def broken(draft: Draft) -> Draft:
        return {}["missing"]

    def forgetful(draft: Draft) -> Draft:
        draft.release  # returns nothing: a bug the runner names

    start = Draft(page=RawPage(url="u", body=STORY))
    with pytest.raises(StepError, match=r"^step broken: KeyError: 'missing'$"):
        run_steps(start, (STEPS[0], broken))
    with pytest.raises(StepError, match=r"^step forgetful: returned NoneType, not Draft$"):
        run_steps(start, (forgetful,))


def test_a_step_bug_fails_one_file_of_extract_and_the_next_goes_on(tmp_path, monkeypatch):
    def broken_on_leeds(draft: Draft) -> Draft:
        if draft.release.dateline.city == "Leeds":
            raise ValueError("no Leeds")
        return draft

    steps = list(STEPS)
    steps.insert(steps.index(extraction.agency), broken_on_leeds)
    monkeypatch.setattr(extraction, "STEPS", tuple(steps))
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    first.write_bytes(STORY)
    second.write_bytes(STORY.replace(b"LEEDS", b"YORK"))
    result = CliRunner().invoke(cli, ["extract", str(first), str(second)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows[0]["error"] == "extraction error: step broken_on_leeds: ValueError: no Leeds" and rows[0]["body"] == ""
    assert rows[1]["dateline"]["city"] == "York" and rows[1]["agency"] == "Reuters" and "error" not in rows[1]

