"""Text for people: search results, releases, stats and run summaries.

Every string that came from a page goes through `printable` first, so a page cannot move the cursor,
change the terminal title, hide text with escape sequences or reorder it with bidirectional controls. Styles are click's: `click.echo` drops
them when the output is not a terminal, so piped output is plain.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, Sequence

import click

__all__ = ["printable", "counted", "moment", "stderr_is_terminal", "search_lines", "release_lines", "stats_lines",
           "ingest_summary_lines", "import_summary_lines", "nothing_due_line", "histogram_lines", "sources_lines", "alerts_lines",
           "check_lines"]

# C0 and C1 controls and DEL, except tab and newline which layout needs; and the bidirectional formatting
# characters (embeddings, overrides, isolates, marks), with which a page can make a terminal show its text in
# another order than it has (U+202E turns "exe.txt" round)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_HISTOGRAM_FIELDS = ("year", "month", "day")
_BAR_WIDTH = 30


def printable(text: Any) -> str:
    return _CONTROL.sub("", "" if text is None else str(text))


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """"1 release", "2 releases", "0 releases": every count a person reads goes through here."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def stderr_is_terminal() -> bool:
    """Whether progress display belongs on stderr (not under cron, systemd or a pipe)."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


def moment(text: str | None, *, never: str = "never") -> str:
    """An ISO 8601 time from the state as people read it: "2025-04-16 06:00:03 UTC" (no microseconds)."""
    if not text:
        return never
    return datetime.fromisoformat(text).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _place(dateline: Mapping[str, Any] | None) -> str:
    dateline = dateline or {}
    return ", ".join(printable(v) for v in (dateline.get("city"), dateline.get("country")) if v)


def _highlighted(snippet: str, spans: Sequence[Sequence[int]]) -> str:
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(printable(snippet[at:start]))
        out.append(click.style(printable(snippet[start:end]), fg="yellow", bold=True))
        at = end
    out.append(printable(snippet[at:]))
    return "".join(out)


def search_lines(result: Mapping[str, Any], hits: Sequence[Any], *, limit: int) -> Iterator[str]:
    """A ranked list with title, date, agency and dateline, a highlighted snippet, then the facet counts."""
    total, page = result["total"], result["page"]
    if not total:
        reason = f": {result['reason']}" if result.get("reason") else ""
        yield f"No releases match {printable(result['query'])!r}{reason}."
    else:
        first = (page - 1) * limit + 1
        shown = f"{first}-{first + len(hits) - 1}" if hits else "none"
        matched = f"{counted(total, 'release')} match{'es' if total == 1 else ''}"
        if result.get("clusters") is not None:  # --collapse: the hits are stories, each with its copies
            matched += f", {counted(result['clusters'], 'story', 'stories')}"
        yield click.style(f"{matched}; showing {shown}", dim=True)
    if result.get("suggestion"):
        yield f"Did you mean: {click.style(printable(result['suggestion']), bold=True)}?"
    for rank, hit in enumerate(hits, start=(page - 1) * limit + 1):
        yield ""
        yield f"{rank:>3}. " + click.style(printable(hit.title) or "(untitled)", bold=True)
        facts = [(hit.published.date().isoformat() if hit.published else "undated"), printable(hit.agency) or "no wire credit"]
        place = _place(hit.dateline.to_dict() if hasattr(hit.dateline, "to_dict") else hit.dateline)
        if place:
            facts.append(place)
        facts.append(printable(hit.source))
        copies = getattr(hit, "copies", 0)
        if copies and copies > 1:
            facts.append(f"{copies} copies")
        yield "     " + click.style(" · ".join(facts), fg="cyan") + click.style(f"  score {hit.score:.2f}  id {hit.id}", dim=True)
        if hit.snippet:
            yield "     " + _highlighted(hit.snippet, getattr(hit, "highlights", ()))
        if hit.url:
            yield "     " + click.style(printable(hit.url), dim=True)
        if getattr(hit, "explanation", None) is not None:
            yield from explanation_lines(hit.explanation)
    facets = result.get("facets") or {}
    if facets:
        yield ""
    more = result.get("facets_more") or {}
    for name, values in facets.items():
        if name in _HISTOGRAM_FIELDS:
            yield from histogram_lines(name, values)
        else:
            shown = ", ".join(f"{printable(v)} ({c})" for v, c in values) or "none"
            if more.get(name):
                shown += f", and {more[name]} more (--facet-limit)"
            yield click.style(f"{name}: ", bold=True) + shown


def explanation_lines(explanation: Any) -> Iterator[str]:
    """How a hit's score was made (`search --explain`): a line per term, its part of the score, from which
    fields, with the term's frequency there and the field's length."""
    yield "     " + click.style(f"score {explanation.score:.3f} =", dim=True)
    for term in explanation.terms:
        kind = term.kind if term.weight == 1 else f"{term.kind} x{term.weight:.2f}"
        fields = ", ".join(f"{f.field} {f.score:.3f} (tf {f.tf:g} in {f.length:g} words)" for f in term.fields)
        yield f"     {term.score:9.3f}  {click.style(printable(term.term), bold=True)}  [{kind}, idf {term.idf:.2f}]  {fields}"


def histogram_lines(name: str, values: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A small bar chart, in time order, for year, month and day counts; a period without a hit has no bar."""
    rows = sorted((str(v), int(c)) for v, c in values)
    yield click.style(f"{name}:", bold=True)
    if not rows:
        yield "  none"
        return
    top = max(c for _, c in rows) or 1
    for value, count in rows:
        bar = "█" * (max(1, round(count / top * _BAR_WIDTH)) if count else 0)
        yield f"  {value:>7} {click.style(bar, fg='green')}{' ' if bar else ''}{count}"


def release_lines(release: Mapping[str, Any], copies: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    yield click.style(printable(release["title"]) or "(untitled)", bold=True)
    dateline = release.get("dateline") or {}
    facts = [
        ("id", release["id"]), ("url", release["url"]), ("source", release["source"]), ("agency", release["agency"]),
        ("published", release["published"]), ("updated", release.get("updated")), ("dateline", dateline.get("raw")),
        ("place", _place(dateline)), ("authors", ", ".join(release["authors"])), ("language", release["language"]),
        ("categories", ", ".join(release["categories"])), ("people", ", ".join(release["people"])),
        ("organizations", ", ".join(release["organizations"])), ("places", ", ".join(release["places"])),
        ("countries", ", ".join(release.get("countries") or ())),
        ("acronyms", ", ".join(f"{k} = {v}" for k, v in release["acronyms"].items())),
        ("cluster", release.get("cluster")), ("words", release["word_count"]),
    ]
    for label, value in facts:
        if value:
            yield click.style(f"{label:>13}: ", dim=True) + printable(value)
    yield ""
    for paragraph in printable(release["body"]).split("\n\n"):
        yield paragraph
        yield ""
    if copies:
        yield click.style(f"Other copies of this story ({len(copies)}):", bold=True)
        for copy in copies:
            yield f"  {copy['id']}  {printable(copy.get('source'))}  {printable(copy.get('title'))}  {printable(copy.get('url'))}"


def stats_lines(stats: Mapping[str, Any]) -> Iterator[str]:
    yield f"{counted(stats['documents'], 'release')}, index {stats['index_bytes'] / 1e6:.1f} MB"
    if stats["oldest"]:
        yield f"published from {stats['oldest']} to {stats['newest']}"
    else:
        yield "published: no release yet (`wiredesk ingest`, or `wiredesk import FILE`)"
    for key in ("agencies", "sources"):
        counts = stats.get(key) or {}
        shown = ", ".join(f"{printable(k)} ({v})" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        yield f"{key}: {shown or 'none'}"
    last = stats.get("last_run")
    if last:
        ending = _RUN_ENDINGS.get(last.get("outcome"), last.get("outcome"))
        yield f"last run: {last.get('kind', 'ingest')}, finished {moment(last.get('finished'), never='-')}, {ending}"
    else:
        yield "last run: none yet"


# how `runs.outcome` in the state reads in `wiredesk stats`
_RUN_ENDINGS = {"ok": "ok", "failures": "with failing sources (see `wiredesk sources`)",
                "abandoned": "stopped before the end", "interrupted": "killed or crashed"}


def ingest_summary_lines(report: Mapping[str, Any], *, stopped: bool = False) -> Iterator[str]:
    """One line per source, then the alerts that fired, for stderr after a run."""
    for name, s in report["sources"].items():
        yield (f"{printable(name)}: {s['new']} new, {s['updated']} updated, {s['unchanged']} unchanged, "
               f"{s['skipped']} skipped, {s['failed']} failed")
        for error in s["errors"][:5]:
            yield f"  {printable(error['reason'])}: {printable(error['url'])}"
        if len(s["errors"]) > 5:
            yield f"  ... and {len(s['errors']) - 5} more (see --json)"
    yield from _alert_lines(report.get("alerts"))
    ending = " (stopped early; the rest is fetched next time)" if stopped else ""
    yield f"indexed {counted(report['indexed'], 'release')}{ending}"


_LISTED_LINES = 10  # rejected lines an import's summary lists before it points to --json


def import_summary_lines(report: Mapping[str, Any]) -> Iterator[str]:
    """The lines an import left out, with their reasons, the alerts that fired, then the count."""
    errors = report["errors"]
    for error in errors[:_LISTED_LINES]:
        yield f"line {error['line']}: {printable(error['reason'])}"
    if len(errors) > _LISTED_LINES:
        yield f"... and {len(errors) - _LISTED_LINES} more (see --json)"
    yield from _alert_lines(report.get("alerts"))
    rejected = f", rejected {counted(report['failed'], 'line')}" if report["failed"] else ""
    yield f"imported {counted(report['imported'], 'release')}{rejected}"


def _alert_lines(alerts: Mapping[str, Sequence[str]] | None) -> Iterator[str]:
    for name, ids in (alerts or {}).items():
        if ids:
            yield f"alert {printable(name)}: {counted(len(ids), 'new release')}: {', '.join(ids)}"


def nothing_due_line(rows: Sequence[Mapping[str, Any]]) -> str:
    """Why an ingest ran no source: none configured, all disabled, or none due yet (with the next one)."""
    enabled = [row for row in rows if row["enabled"]]
    if not rows:
        return "no source is configured: add a [[sources]] table to the config"
    if not enabled:
        return "every source is disabled: `wiredesk ingest --source NAME` runs one anyway"
    first = min(enabled, key=lambda row: row["next_due"] or "")
    backed_off = f", backed off after {counted(first['failures'], 'failure')}" if first["failures"] else ""
    return (f"no source is due: the next is {printable(first['name'])} at {moment(first['next_due'])}{backed_off}; "
            "`wiredesk ingest --all` runs every enabled source now")


def sources_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """`wiredesk sources` for people: a heading per source, then its last run, schedule and last error."""
    rows = list(rows)
    if not rows:
        yield "No sources configured (add a [[sources]] table to the config)."
    for row in rows:
        flag = "" if row["enabled"] else " (disabled)"
        yield click.style(printable(row["name"]), bold=True) + f" [{row['kind']}]{flag}"
        if not row["enabled"]:
            due = "disabled"
        elif not row["next_due"] or datetime.fromisoformat(row["next_due"]) <= datetime.now(timezone.utc):
            due = "due now"
        else:
            due = f"next due {moment(row['next_due'])}"
        failures = row["failures"]
        yield (f"  last run {moment(row['last_run'])}, last success {moment(row['last_success'])}, "
               f"{row['new_last_run']} new, {counted(failures, 'failure')} in a row, {due}")
        if row["last_error"]:
            yield f"  last error: {printable(row['last_error'])}"


def alerts_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """`wiredesk alerts list` for people."""
    shown = False
    for row in rows:
        shown = True
        filters = "".join(f" --filter {printable(f)}" for f in row["filters"])
        yield click.style(printable(row["name"]), bold=True) + f": {printable(row['query'])!r}{filters}"
        yield f"  fired for {counted(row['fired'], 'release')}, last {moment(row['last_fired'])}"
    if not shown:
        yield "No alerts saved (add one with `wiredesk alerts add NAME QUERY`)."


def check_lines(result: Mapping[str, Any]) -> Iterator[str]:
    """`wiredesk index check` for people: a line per part, its status and what was found or done."""
    for part in result["parts"]:
        yield f"{part['part']:<16} {part['status']:<10} {printable(part['detail'])}"
