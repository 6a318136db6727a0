"""The fixed CLI contract through click's CliRunner and through the installed command.

Shapes of `ingest`, `extract`, `search`, `show`, `stats`; exit codes and one-line errors; an end-to-end
ingest-then-search of the bundled sample.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.release import RELEASE_KEYS

HIT_KEYS = {"id", "score", "title", "url", "published", "agency", "source", "dateline", "snippet"}
COUNT_KEYS = {"new", "updated", "unchanged", "skipped", "failed", "errors"}
README = Path(__file__).resolve().parents[1] / "README.md"


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def run_json(config: Path, *args: str) -> dict:
    code, out, err = run(config, *args)
    assert code == 0, err
    return json.loads(out)


def test_ingest_json_shape_and_a_second_run_adds_nothing(sample_config: Path) -> None:
    first = run_json(sample_config, "ingest", "--json")
    assert set(first) == {"indexed", "sources"}
    assert set(first["sources"]) == {"sample"}
    counts = first["sources"]["sample"]
    assert set(counts) == COUNT_KEYS
    assert first["indexed"] == counts["new"] + counts["updated"] >= 35
    assert counts["failed"] == 0 and counts["errors"] == []
    documents = run_json(sample_config, "stats", "--json")["documents"]
    assert documents == first["indexed"]

    second = run_json(sample_config, "ingest", "--json")
    assert second["indexed"] == 0
    assert second["sources"]["sample"]["unchanged"] == first["indexed"]
    assert run_json(sample_config, "stats", "--json")["documents"] == documents


def test_search_json_shape_facets_and_filters_agree(ingested_sample: Path) -> None:
    result = run_json(ingested_sample, "search", "India", "--facet", "agency", "--facet", "month", "--facet", "year", "--json")
    assert set(result) >= {"query", "total", "page", "hits", "facets", "suggestion"}
    assert result["query"] == "India" and result["page"] == 1 and result["total"] >= 15
    assert len(result["hits"]) == 10
    hit = result["hits"][0]
    assert set(hit) >= HIT_KEYS
    assert set(hit["dateline"]) >= {"city", "country"}
    assert "india" in hit["snippet"].lower()
    assert all(len(pair) == 2 and isinstance(pair[1], int) for pair in result["facets"]["agency"])
    assert all(len(value) == 7 for value, _ in result["facets"]["month"])
    assert sum(count for _, count in result["facets"]["year"]) == result["total"]
    for value, count in result["facets"]["agency"]:
        filtered = run_json(ingested_sample, "search", "India", "--filter", f"agency={value}", "--json")
        assert filtered["total"] == count, value


def test_search_paging_and_newest_first(ingested_sample: Path) -> None:
    first = run_json(ingested_sample, "search", "India", "--limit", "3", "--page", "1", "--json")
    second = run_json(ingested_sample, "search", "India", "--limit", "3", "--page", "2", "--json")
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    newest = run_json(ingested_sample, "search", "India", "--sort", "newest", "--limit", "50", "--json")
    dates = [datetime.fromisoformat(h["published"]) for h in newest["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 10


def test_search_text_output_for_people(ingested_sample: Path) -> None:
    code, out, err = run(ingested_sample, "search", "India", "--facet", "agency", "--facet", "month", "--limit", "3")
    assert code == 0, err
    assert "releases match; showing 1-3" in out
    assert "  1. " in out and "  3. " in out and "  4. " not in out
    assert "agency: " in out and "month:" in out and "█" in out
    assert "\x1b[" not in out  # no colour when the output is not a terminal


def test_search_explain_adds_up_to_the_score_shown(ingested_sample: Path) -> None:
    result = run_json(ingested_sample, "search", "SIDM exports", "--explain", "--json", "--limit", "5")
    assert result["hits"]
    for hit in result["hits"]:
        explained = hit["explain"]
        assert explained["score"] == hit["score"]
        assert abs(sum(term["score"] for term in explained["terms"]) - hit["score"]) < 1e-3
        for term in explained["terms"]:
            assert abs(sum(field["score"] for field in term["fields"].values()) - term["score"]) < 1e-3
    assert {term["kind"] for term in result["hits"][0]["explain"]["terms"]} == {"acronym", "word"}
    code, out, err = run(ingested_sample, "search", "SIDM exports", "--explain", "--limit", "1")
    assert code == 0, err
    (total,) = [line.strip() for line in out.splitlines() if line.strip().startswith("score ") and line.endswith(" =")]
    terms = [line for line in out.splitlines() if line.endswith("words)")]
    assert total == f"score {result['hits'][0]['score']:.3f} ="
    assert abs(sum(float(line.split()[0]) for line in terms) - result["hits"][0]["score"]) < 2e-3
    assert any("SIDM" in line and "acronyms" in line for line in terms)


def test_search_expand_reorders_the_same_hits(ingested_sample: Path) -> None:
    plain = run_json(ingested_sample, "search", "green hydrogen", "--json", "--limit", "100")
    expanded = run_json(ingested_sample, "search", "green hydrogen", "--expand", "--json", "--limit", "100")
    assert expanded["total"] == plain["total"]
    assert {hit["id"] for hit in expanded["hits"]} == {hit["id"] for hit in plain["hits"]}
    assert "explain" not in expanded["hits"][0]


@pytest.mark.parametrize("args,mode", [(("--batch", "-"), "--batch prints one JSON line per query of FILE"),
                                       (("solar", "--jsonl"), "--jsonl exports every hit, in order"),
                                       (("solar", "--csv"), "--csv exports every hit, in order")])
def test_explain_is_for_a_page_of_hits(ingested_sample: Path, args: tuple[str, ...], mode: str) -> None:
    code, out, err = run(ingested_sample, "search", "--explain", *args)
    assert code == 2 and out == ""
    assert err == f"Error: {mode}: --explain does not go with it\n"


def test_show_and_unknown_id(ingested_sample: Path) -> None:
    hit = run_json(ingested_sample, "search", "India", "--json")["hits"][0]
    release = run_json(ingested_sample, "show", hit["id"], "--json")
    assert set(release) >= set(RELEASE_KEYS)
    assert release["id"] == hit["id"] and release["body"]
    code, out, err = run(ingested_sample, "show", "no-such-id")
    assert code == 1 and out == "" and err.startswith("Error: ") and err.count("\n") == 1


@pytest.mark.parametrize("query", ['"unbalanced (', "title:", "AND OR NOT", "((((", "published:[2025 TO"])
def test_bad_queries_never_trace_back(ingested_sample: Path, query: str) -> None:
    code, out, err = run(ingested_sample, "search", query, "--json")
    assert code in (0, 2)
    assert "Traceback" not in out + err
    if code == 2:
        assert out == "" and err.startswith("Error: ") and err.count("\n") == 1
    else:
        json.loads(out)


def test_bad_since_is_a_usage_error(ingested_sample: Path) -> None:
    code, out, err = run(ingested_sample, "search", "India", "--since", "yesterday-ish")
    assert code == 2 and out == "" and err.startswith("Error: ")


def test_extract_lines_in_order_with_error_line_for_binary(tmp_path: Path, sample_config: Path) -> None:
    pages = sorted((Path(__file__).resolve().parents[1] / "ingest" / "sample" / "releases").rglob("*.html"))[:2]
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    code, out, err = run(sample_config, "extract", str(pages[0]), str(binary), str(pages[1]))
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert set(row) >= set(RELEASE_KEYS)
        assert set(row["dateline"]) == {"raw", "city", "country"}
    assert rows[0]["title"] and rows[0]["body"] and "error" not in rows[0]
    assert rows[1]["error"] and rows[1]["body"] == "" and rows[1]["authors"] == [] and rows[1]["acronyms"] == {}
    assert rows[2]["title"] != rows[0]["title"]


def test_extract_text_prints_only_the_story_and_the_reason_for_a_file_without_one(tmp_path: Path, sample_config: Path) -> None:
    pages = sorted((Path(__file__).resolve().parents[1] / "ingest" / "sample" / "releases").rglob("*.html"))[:2]
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    releases = [json.loads(run(sample_config, "extract", str(p))[1]) for p in pages]
    code, out, err = run(sample_config, "extract", "--text", str(pages[0]))
    assert code == 0 and out == releases[0]["body"] + "\n" and err == ""
    code, out, err = run(sample_config, "extract", "--text", str(pages[0]), str(binary), str(pages[1]))
    assert code == 0
    assert out == (f"==> {pages[0]} <==\n{releases[0]['body']}\n==> {binary} <==\n"
                   f"==> {pages[1]} <==\n{releases[1]['body']}\n")
    assert err.startswith(f"{binary}: ") and err.count("\n") == 1
    code, out, err = run(sample_config, "extract", "--text", "--json", str(pages[0]))
    assert code == 2 and out == "" and "--text" in err


def test_extract_url_with_several_files_is_a_usage_error(sample_config: Path, tmp_path: Path) -> None:
    code, out, err = run(sample_config, "extract", "--url", "https://x.example/a", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 2 and out == "" and "--url applies to a single FILE" in err


def test_no_config_anywhere_names_the_three_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 2
    assert "--config" in result.stderr and "WIREDESK_CONFIG" in result.stderr and "./config.toml" in result.stderr


def test_every_command_has_help_and_a_readme_mention() -> None:
    readme = README.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"wiredesk {name}" in readme, f"README does not show `wiredesk {name}`"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_installed_command_end_to_end(tmp_path: Path, sample_config: Path, wiredesk_bin: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "WIREDESK_CONFIG"}

    def call(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([wiredesk_bin, "--config", str(sample_config), *args], capture_output=True, text=True,
                              env=env, timeout=120, stdin=subprocess.DEVNULL)

    ingest = call("ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["indexed"] >= 35
    found = call("search", "solar energy", "--facet", "agency", "--json")
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert result["total"] > 0 and result["facets"]["agency"]
    text = call("search", "solar energy", "--facet", "country")
    assert text.returncode == 0 and "country: " in text.stdout
    bad = subprocess.run([wiredesk_bin, "--config", str(tmp_path / "missing.toml"), "stats"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: ") and "missing.toml" in bad.stderr


def test_month_facet_is_a_whole_histogram_and_facet_limit_cuts_value_facets_only(ingested_sample: Path) -> None:
    result = run_json(ingested_sample, "search", "hydrogen", "--facet", "month", "--facet", "agency", "--json")
    months = result["facets"]["month"]
    # every month from the first hit's to the last one's, in order, zeros included
    assert [m for m, _ in months] == sorted(m for m, _ in months) and len(months) > 10
    assert any(count == 0 for _, count in months)
    first, last = (datetime.strptime(m, "%Y-%m") for m in (months[0][0], months[-1][0]))
    assert len(months) == (last.year - first.year) * 12 + last.month - first.month + 1
    assert sum(count for _, count in months) == result["total"]
    cut = run_json(ingested_sample, "search", "hydrogen", "--facet", "month", "--facet", "agency", "--facet-limit", "3",
                   "--json")
    assert cut["facets"]["month"] == months and len(cut["facets"]["agency"]) == 3
    assert cut["facets_more"] == {"agency": len(result["facets"]["agency"]) - 3}
    code, out, _ = run(ingested_sample, "search", "hydrogen", "--facet", "agency", "--facet-limit", "3")
    assert code == 0 and f"and {len(result['facets']['agency']) - 3} more (--facet-limit)" in out
    code, out, err = run(ingested_sample, "search", "hydrogen", "--facet", "month", "--facet-limit", "100")
    assert code == 2 and err.startswith("Error: --facet-limit cuts value facets")
