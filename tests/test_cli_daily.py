"""The command line a desk uses every day, as a new user meets it: each test is one thing that once
surprised or misled, held to the rule that fixed it (an option works in every mode it is offered in or is
refused there; bad input is refused in one line or handled as documented; an empty result says why; results
on stdout; `--json` on every command)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_FEED, write_config

from wiredesk.cli import cli
from wiredesk.core.release import RELEASE_KEYS

SAMPLE = SAMPLE_FEED.parent


def run(config: Path, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def run_json(config: Path, *args: str, input: str | bytes | None = None) -> dict:
    code, out, err = run(config, *args, input=input)
    assert code == 0, err
    return json.loads(out)


def refused(config: Path, *args: str, input: str | None = None) -> str:
    """The one line a refused command prints (exit 2, nothing on stdout)."""
    code, out, err = run(config, *args, input=input)
    assert (code, out) == (2, ""), (code, out, err)
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    return err[len("Error: "):].strip()


def record(title: str, body: str, **fields: object) -> str:
    return json.dumps({"title": title, "body": body, **fields})


# ------------------------------------------------------------------------------------------ 1. import

def test_import_keeps_every_good_line_and_names_each_bad_one_with_its_reason(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    lines = [record("Wind farm opens", "A wind farm opened on the coast."),
             b"\xff\xfe not UTF-8 at all",
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"title": "Bad people", "body": "text", "people": "Ann Lee"}),
             record("Solar park approved", "The council approved a solar park.")]
    data = b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines) + b"\n"
    (tmp_path / "mixed.jsonl").write_bytes(data)

    code, out, err = run(config, "import", str(tmp_path / "mixed.jsonl"))
    assert code == 0 and err == ""
    assert out == ("line 2: not UTF-8: byte 0xff at column 1\n"
                   "line 3: not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"
                   "line 4: not a release: a line must hold one JSON object, not an array\n"
                   "line 5: 'people' must be a list of strings\n"
                   "imported 2 releases, rejected 4 lines\n")
    assert run_json(config, "stats", "--json")["documents"] == 2

    # the same from stdin, as JSON: the rejected lines listed with their numbers
    report = run_json(config, "import", "-", "--json", input=data)
    assert report["imported"] == 2 and report["failed"] == 4
    assert [e["line"] for e in report["errors"]] == [2, 3, 4, 5]
    assert all(e["reason"] for e in report["errors"])


def test_import_of_one_release_says_so_in_the_singular_and_stats_knows_it_ran(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    (tmp_path / "one.jsonl").write_text(record("Wind farm opens", "A wind farm opened.") + "\n", encoding="utf-8")
    code, out, _ = run(config, "import", str(tmp_path / "one.jsonl"))
    assert (code, out) == (0, "imported 1 release\n")
    stats = run_json(config, "stats", "--json")
    assert stats["last_run"]["kind"] == "import" and stats["last_run"]["outcome"] == "ok"
    code, out, _ = run(config, "stats")
    assert out.splitlines()[0].startswith("1 release, index ")
    assert out.splitlines()[-1].startswith("last run: import, finished ") and out.endswith(", ok\n")


def test_stats_of_an_empty_home_says_there_is_nothing_yet(tmp_path: Path) -> None:
    code, out, _ = run(write_config(tmp_path), "stats")
    assert code == 0
    assert out.splitlines()[:2] == ["0 releases, index 0.0 MB",
                                    "published: no release yet (`wiredesk ingest`, or `wiredesk import FILE`)"]
    assert "from - to -" not in out


# -------------------------------------------------------------------------------- 2. --batch options

def test_batch_searches_each_line_with_the_filters_dates_sort_and_facets_given(ingested_sample: Path) -> None:
    lines = "q1\tsolar\nq2\thydrogen\n"
    plain = [json.loads(line) for line in run(ingested_sample, "search", "--batch", "-", input=lines)[1].splitlines()]
    dated = [json.loads(line) for line in
             run(ingested_sample, "search", "--batch", "-", "--since", "2025", "--sort", "newest", "--facet", "agency",
                 "--filter", "country=India", input=lines)[1].splitlines()]
    for query, row, unfiltered in zip(("solar", "hydrogen"), dated, plain):
        single = run_json(ingested_sample, "search", query, "--since", "2025", "--sort", "newest", "--facet", "agency",
                          "--filter", "country=India", "--json")
        assert row["total"] == single["total"] < unfiltered["total"]
        assert [hit["id"] for hit in row["hits"]] == [hit["id"] for hit in single["hits"]]
        assert row["facets"] == single["facets"] and row["facets_more"] == single["facets_more"]


def test_batch_refuses_what_it_cannot_use_and_an_empty_line_matches_nothing(ingested_sample: Path) -> None:
    assert refused(ingested_sample, "search", "solar", "--batch", "-", input="q1\twind\n") == \
        "--batch prints one JSON line per query of FILE: QUERY does not go with it"
    assert refused(ingested_sample, "search", "--batch", "-", "--csv", input="q1\twind\n") == \
        "--batch prints one JSON line per query of FILE: --csv does not go with it"
    assert refused(ingested_sample, "search", "--batch", "-", "--filter", "colour=red", input="q1\twind\n") \
        .startswith("cannot filter on 'colour'")
    rows = [json.loads(line) for line in run(ingested_sample, "search", "--batch", "-", input="q1\t\nq2\t.\n")[1]
            .splitlines()]
    assert [(row["qid"], row["total"], bool(row.get("error"))) for row in rows] == [("q1", 0, True), ("q2", 0, True)]


# ------------------------------------------------------------------------- 3. fuzzy, punctuation only

def test_fuzzy_goes_to_two_edits_and_further_is_refused(ingested_sample: Path) -> None:
    assert run_json(ingested_sample, "search", "solar~2", "--json")["total"] > 0
    assert run_json(ingested_sample, "search", "solar~0", "--json")["total"] == \
        run_json(ingested_sample, "search", "solar", "--json")["total"]
    assert refused(ingested_sample, "search", "solar~3") == \
        "'solar~3': a fuzzy word may differ by at most 2 edits (write solar~2)"


@pytest.mark.parametrize("query", ['""', ".", "-", "\\", "the", "NOT ."])
def test_a_query_with_nothing_to_search_for_is_refused_as_the_empty_one_is(ingested_sample: Path, query: str) -> None:
    assert refused(ingested_sample, "search", query).startswith(f"the query {query!r} holds no word to search for")
    assert refused(ingested_sample, "search", "") == "give a QUERY (or --filter/--since/--until, or --batch FILE)"


# ------------------------------------------------------------------ 4. suggestions, fields over groups

def test_did_you_mean_never_turns_a_name_into_a_common_word(ingested_sample: Path) -> None:
    named = run_json(ingested_sample, "search", "Arrow Exploration", "--json")
    assert named["suggestion"] is None
    assert run_json(ingested_sample, "search", "hydrogne", "--json")["suggestion"] == "hydrogen"


def test_a_field_applies_to_a_group_in_parentheses(ingested_sample: Path) -> None:
    grouped = run_json(ingested_sample, "search", "title:(solar OR wind)", "--limit", "100", "--json")
    spelled = run_json(ingested_sample, "search", "title:solar OR title:wind", "--limit", "100", "--json")
    assert grouped["total"] == spelled["total"] > 0
    assert {h["id"] for h in grouped["hits"]} == {h["id"] for h in spelled["hits"]}
    assert grouped["total"] < run_json(ingested_sample, "search", "solar OR wind", "--json")["total"]
    assert refused(ingested_sample, "search", "title:(solar OR wind") == \
        "unbalanced parenthesis: '(' at character 7 is never closed"


# ------------------------------------------------------------------------- 5. field names and values

@pytest.mark.parametrize("typed,stored", [('organization:"Society of Indian Defence Manufacturers"',
                                           'organizations:"Society of Indian Defence Manufacturers"'),
                                          ('org:"society of indian defence manufacturers"',
                                           'organizations:"Society of Indian Defence Manufacturers"'),
                                          ("agency:PRNewswire", 'agency:"PR Newswire"'),
                                          ("agency:prnewswire", 'agency:"PR Newswire"'),
                                          ("country:USA", 'country:"United States"'),
                                          ("countries:UK", 'countries:"United Kingdom"')])
def test_field_names_and_values_as_people_type_them(ingested_sample: Path, typed: str, stored: str) -> None:
    expected = run_json(ingested_sample, "search", stored, "--json")["total"]
    assert expected > 0
    assert run_json(ingested_sample, "search", typed, "--json")["total"] == expected
    field, _, value = typed.partition(":")
    if field in ("agency", "country"):
        assert run_json(ingested_sample, "search", "--filter", f"{field}={value}", "--json")["total"] == expected


# ------------------------------------------------------------------------------ 6. empty results say why

def test_a_reversed_range_is_refused(ingested_sample: Path) -> None:
    assert refused(ingested_sample, "search", "india", "--since", "2026-04-01", "--until", "2025-01-01") == \
        "--since 2026-04-01 is after --until 2025-01-01: no release can match"
    assert refused(ingested_sample, "search", "published:[2025-06 TO 2025-01]") == \
        "the range published:[2025-06 TO 2025-01] ends before it begins: no release can match"


def test_filters_that_leave_nothing_say_so(ingested_sample: Path) -> None:
    total = run_json(ingested_sample, "search", "india", "--json")["total"]
    result = run_json(ingested_sample, "search", "india", "--since", "yesterday", "--json")
    assert result["total"] == 0
    assert result["reason"] == f"{total} releases match the query, but none passes the filters and dates given"
    code, out, _ = run(ingested_sample, "search", "india", "--since", "yesterday")
    assert out == f"No releases match 'india': {result['reason']}.\n"
    assert run_json(ingested_sample, "search", "zeppelinx", "--json")["reason"] is None


def test_a_search_before_any_ingest_says_the_index_is_empty(tmp_path: Path) -> None:
    code, out, _ = run(write_config(tmp_path), "search", "india")
    assert (code, out) == (0, "No releases match 'india': the index holds no releases yet: run `wiredesk ingest` "
                              "or `wiredesk import FILE` first.\n")


# ------------------------------------------------------------------------------- 8. output options

@pytest.mark.parametrize("options", [("--jsonl", "--json"), ("--csv", "--jsonl"), ("--json", "--csv")])
def test_output_options_exclude_each_other(ingested_sample: Path, options: tuple[str, str]) -> None:
    assert refused(ingested_sample, "search", "india", *options).endswith("are ways to print the results: give one")


@pytest.mark.parametrize("option", [("--facet", "agency"), ("--page", "2"), ("--limit", "5"), ("--collapse",)])
def test_an_export_refuses_what_only_a_page_of_hits_uses(ingested_sample: Path, option: tuple[str, ...]) -> None:
    assert refused(ingested_sample, "search", "india", "--jsonl", *option) == \
        f"--jsonl exports every hit, in order: {option[0]} does not go with it"


def test_fields_are_for_exports_only(ingested_sample: Path) -> None:
    assert refused(ingested_sample, "search", "india", "--fields", "id") == \
        "--fields chooses what --jsonl and --csv export: give one of them"
    assert refused(ingested_sample, "search", "india", "--jsonl", "--fields", "id,colour").startswith(
        "--fields: unknown field 'colour'")


def test_jsonl_hits_have_the_shape_of_json_hits(ingested_sample: Path) -> None:
    page = run_json(ingested_sample, "search", "hydrogen", "--limit", "100", "--json")
    lines = run(ingested_sample, "search", "hydrogen", "--jsonl")[1].splitlines()
    assert [json.loads(line) for line in lines] == page["hits"]


def test_jsonl_and_csv_export_whole_records(ingested_sample: Path) -> None:
    lines = run(ingested_sample, "search", "hydrogen", "--jsonl", "--fields", "all")[1].splitlines()
    first = json.loads(lines[0])
    assert set(first) >= set(RELEASE_KEYS) and first["body"] and first["people"]
    shown = run_json(ingested_sample, "show", first["id"], "--json")
    assert {key: first[key] for key in RELEASE_KEYS if key != "dateline"} == \
        {key: shown[key] for key in RELEASE_KEYS if key != "dateline"}

    chosen = [json.loads(line) for line in
              run(ingested_sample, "search", "hydrogen", "--jsonl", "--fields", "id,body,people")[1].splitlines()]
    assert list(chosen[0]) == ["id", "body", "people"] and chosen[0]["body"] == first["body"]

    text = run(ingested_sample, "search", "hydrogen", "--csv", "--fields", "id,dateline,people,acronyms,body")[1]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["id", "city", "country", "people", "acronyms", "body"] and len(rows) == len(lines)
    assert rows[0]["people"] == "; ".join(first["people"]) and rows[0]["body"] == " ".join(first["body"].split())


# ----------------------------------------------------------------------------- 9. stdout and --json

def test_ingest_prints_its_summary_on_stdout(sample_config: Path, wiredesk_bin: str) -> None:
    import subprocess

    done = subprocess.run([wiredesk_bin, "--config", str(sample_config), "ingest"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines()[-1] == "indexed 40 releases"


def test_alerts_add_and_remove_take_json_and_print_on_stdout(ingested_sample: Path, tmp_path: Path) -> None:
    saved = run_json(ingested_sample, "alerts", "add", "daily-json", "solar", "--filter", "agency=PIB", "--json")
    assert (saved["name"], saved["query"], saved["filters"], saved["fired"]) == ("daily-json", "solar",
                                                                                 ["agency=PIB"], 0)
    assert run_json(ingested_sample, "alerts", "remove", "daily-json", "--json") == {"removed": "daily-json"}
    assert run(ingested_sample, "alerts", "add", "daily-text", "solar") == (0, "saved alert daily-text\n", "")
    assert run(ingested_sample, "alerts", "remove", "daily-text") == (0, "removed alert daily-text\n", "")


# ------------------------------------------------------------------------ 10. runs that did nothing

def test_a_run_with_no_source_due_says_why(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'every = "1d"\n')
    assert run(config, "ingest")[0] == 0
    code, out, _ = run(config, "ingest")
    assert code == 0 and out.startswith("indexed 0 releases\nno source is due: the next is sample at ")
    assert out.endswith("; `wiredesk ingest --all` runs every enabled source now\n")


def test_sources_with_none_configured_says_so(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nhome = "data"\n', encoding="utf-8")
    assert run(config, "sources") == (0, "No sources configured (add a [[sources]] table to the config).\n", "")
    assert run(config, "sources", "--json") == (0, "[]\n", "")


# ------------------------------------------------------------------------------------- 11. extract

def test_extract_lines_without_a_release_name_their_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    page = SAMPLE / "news" / "2025" / "04" / "india-italy-defence-industrial-roadmap-rome.html"
    result = CliRunner().invoke(cli, ["extract", str(page), str(empty), str(tmp_path / "missing.html")])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and len(rows) == 3 and not rows[0].get("error")
    assert [row["url"] for row in rows[1:]] == [empty.resolve().as_uri(), (tmp_path / "missing.html").resolve().as_uri()]
    assert all(row["error"] for row in rows[1:])


def test_extract_reads_a_page_on_stdin(tmp_path: Path) -> None:
    page = SAMPLE / "news" / "2025" / "04" / "india-italy-defence-industrial-roadmap-rome.html"
    from_file = CliRunner().invoke(cli, ["extract", str(page), "--url", "https://wire.example/a.html"])
    from_stdin = CliRunner().invoke(cli, ["extract", "-", "--url", "https://wire.example/a.html"],
                                    input=page.read_bytes())
    assert from_stdin.exit_code == 0
    strip = lambda row: {k: v for k, v in json.loads(row).items() if k != "fetched"}  # noqa: E731
    assert strip(from_stdin.stdout) == strip(from_file.stdout) and json.loads(from_stdin.stdout)["title"]


# -------------------------------------------------------------------------------------- 12. config

@pytest.mark.parametrize("text,message", [
    ('[storage]\nhome = ""\n', 'config.toml:2: storage.home: must name a folder ("data" is the default), got an empty string'),
    ('[storage]\nhome = "taken"\n', "config.toml:2: storage.home: {home} is a file, not a folder"),
    ('[[sources]]\nname = "a"\nkind = "feed"\nurl = "https://wire.example/rss"\nevery = "0m"\n',
     "config.toml:5: sources.a.every: must be more than 0, got '0m' (leave it out for a source due at every run)"),
])
def test_a_storage_home_or_schedule_that_cannot_work_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 text: str, message: str) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--config", "config.toml", "ingest"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(home=tmp_path / 'taken')}\n"


# -------------------------------------------------------------------------------------- 13. alerts

RECEIVER = "import sys; open(sys.argv[1], 'a', encoding='utf-8').write(sys.stdin.read())"


def test_alerts_fire_on_import_and_the_command_gets_whole_lines(tmp_path: Path) -> None:
    (tmp_path / "receiver.py").write_text(RECEIVER, encoding="utf-8")
    received = tmp_path / "received.jsonl"
    config = write_config(tmp_path, f'\n[alerts]\ncommand = "{sys.executable} {tmp_path / "receiver.py"} {received}"\n')
    (tmp_path / "first.jsonl").write_text(record("Wind farm opens", "A wind farm opened.") + "\n", encoding="utf-8")
    assert run(config, "import", str(tmp_path / "first.jsonl"))[0] == 0  # the index exists, the alert can be checked
    assert run(config, "alerts", "add", "wind", "wind")[0] == 0
    (tmp_path / "more.jsonl").write_text("\n".join([
        record("Wind farm opens", "A wind farm opened."),  # not new: it does not fire
        record("Second wind farm", "Another wind farm opened."),
        record("Offshore wind auction", "An offshore wind auction closed."),
        record("Solar park", "A solar park opened."),
    ]) + "\n", encoding="utf-8")
    report = run_json(config, "import", str(tmp_path / "more.jsonl"), "--json")
    fired = report["alerts"]["wind"]
    assert len(fired) == 2
    lines = received.read_text(encoding="utf-8").splitlines()  # `cat >> log`: one release per line
    assert [json.loads(line)["id"] for line in lines] == fired
    assert received.read_text(encoding="utf-8").endswith("}\n")
    # and in the text summary
    (tmp_path / "last.jsonl").write_text(record("Third wind farm", "Yet another wind farm.") + "\n", encoding="utf-8")
    code, out, _ = run(config, "import", str(tmp_path / "last.jsonl"))
    assert out.startswith("alert wind: 1 new release: ") and out.endswith("imported 1 release\n")


# --------------------------------------------------------------------------------------- 14. grammar

def test_counts_read_as_english(ingested_sample: Path) -> None:
    one = run_json(ingested_sample, "search", 'countries:"United Kingdom"', "--json")
    assert one["total"] == 1
    assert run(ingested_sample, "search", 'countries:"United Kingdom"')[1].startswith("1 release matches; showing 1-1\n")
    assert run(ingested_sample, "search", "india")[1].startswith("34 releases match; showing 1-10\n")


def test_collapse_counts_releases_and_the_stories_shown(ingested_sample: Path) -> None:
    result = run_json(ingested_sample, "search", "defence industrial roadmap", "--collapse", "--limit", "50", "--json")
    assert result["clusters"] == len(result["hits"]) < result["total"]
    first = run(ingested_sample, "search", "defence industrial roadmap", "--collapse", "--limit", "50")[1].splitlines()[0]
    assert first == f"{result['total']} releases match, {result['clusters']} stories; showing 1-{result['clusters']}"


def test_every_command_takes_json() -> None:
    """`--json` everywhere: every command but `serve` (a server, answering JSON itself) has it."""
    import click

    def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
        found = []
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found += commands(command, f"{prefix}{name} ")
            else:
                found.append((f"{prefix}{name}", command))
        return found

    lacking = [name for name, command in commands(cli) if name != "serve"
               and not any("--json" in param.opts for param in command.params)]
    assert lacking == []
