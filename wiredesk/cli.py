"""The `wiredesk` command: a thin click shell over the Python API (`wiredesk.desk.Desk`).

Each command parses its options, makes one call on the desk and renders the result as text for people
(`render`) or its `to_dict()` as JSON for scripts. It imports no stage: the desk loads what a call needs,
so `wiredesk --help` and `wiredesk search` start without loading what they do not use.
`WiredeskGroup.invoke` is the one place that turns errors into a message and an exit code (see
`wiredesk.core.errors`).

A little over 400 lines because every command's options and help live here, by design: one file shows
the whole command-line contract that scripts and cron jobs depend on.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import click

from . import __version__
from .core.errors import DiskFullError, RunError, UsageError, WiredeskError, one_line
from .desk import COMMIT_EVERY, Desk

SORTS = ("relevance", "newest", "oldest")
FACET_FIELDS = ("agency", "source", "country", "city", "people", "organizations", "places", "countries", "categories",
                "language", "year", "month", "day")


class State:
    """What the root command knows: the --config given; the desk it describes is opened on first use."""

    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._desk: Desk | None = None

    @property
    def home(self) -> Path | None:
        """The home of the desk opened so far (None before one is)."""
        return self._desk.config.storage.home if self._desk is not None else None

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = Desk.open(self.config_path)
        return self._desk


pass_state = click.make_pass_decorator(State)


def json_option(help_text: str = "Print JSON for scripts instead of text for people.") -> Callable:
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def wait_option() -> Callable:
    return click.option("--wait", type=float, is_flag=False, flag_value=600.0, default=None, metavar="[SECONDS]",
                        help="If another run holds the lock, wait for it (default 600 s) instead of exiting 1.")


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


def emit(value: Any, as_json: bool, lines: Callable[[Any], Iterable[str]]) -> None:
    """A command's output: `value` as JSON for scripts, or `lines(value)` for people."""
    if as_json:
        emit_json(value)
        return
    for line in lines(value):
        click.echo(line)


def emit_results(results: Any, as_json: bool, *, limit: int) -> None:
    """Ranked results (`wiredesk.Results`): the contract's JSON, or the ranked list with facets for people."""
    if as_json:
        emit_json(results.to_dict())
        return
    from .render import search_lines

    for line in search_lines(results.to_dict(), results.hits, limit=limit):
        click.echo(line)


class WiredeskGroup(click.Group):
    """The root group; its `invoke` is the one place where errors become `Error: ...` and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WiredeskError as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # `wiredesk search ... | head`: the reader left; nothing more to say
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise self._internal(exc) from None
            # raised by any write (the archive, the index's files): the file when the call named one
            where = exc.filename or (ctx.obj.home if isinstance(ctx.obj, State) else None) or "the home"
            click.echo(f"Error: {one_line(DiskFullError(str(where)))}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            from .entry import interrupted

            interrupted()
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            raise self._internal(exc) from None

    @staticmethod
    def _internal(exc: Exception) -> BaseException:
        """A bug: still one line, with the way to see the traceback (the error itself, to raise, with
        WIREDESK_DEBUG set)."""
        if os.environ.get("WIREDESK_DEBUG"):
            return exc
        click.echo(f"Error: internal error: {type(exc).__name__}: {one_line(exc)} "
                   "(set WIREDESK_DEBUG=1 for the traceback)", err=True)
        return click.exceptions.Exit(1)


@click.group(cls=WiredeskGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wiredesk")
@click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Config file (default: $WIREDESK_CONFIG, then ./config.toml).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Ingest press releases and wire stories, and search them.

    \b
    wiredesk ingest                      fetch due sources and index what is new
    wiredesk search "green hydrogen" --facet agency --facet month
    wiredesk show ID                     a whole release
    wiredesk serve                       the desk in a browser, at http://127.0.0.1:8080/
    """
    ctx.obj = State(config_path)


# ---------------------------------------------------------------------------------------------- ingest

@cli.command()
@click.option("--source", "source_names", multiple=True, metavar="NAME",
              help="Run only this source (repeatable); runs it even if disabled or not due (with --watch: when due).")
@click.option("--all", "all_sources", is_flag=True, help="Run every enabled source, due or not.")
@wait_option()
@click.option("--watch", is_flag=True,
              help="Keep running: each source when it is due, until SIGTERM (then exit 0) or Ctrl-C (130).")
@click.option("--commit-every", type=click.IntRange(1), default=COMMIT_EVERY, show_default=True, metavar="N",
              help="Releases per index commit: fewer make new releases searchable sooner in a long run.")
@click.option("--log-json", is_flag=True,
              help="Log JSON lines on stderr: one per page, one per source, one for the run (for cron and systemd).")
@json_option("Print the run's counts as one JSON object (with --watch, one line per run).")
@pass_state
def ingest(state: State, source_names: tuple[str, ...], all_sources: bool, wait: float | None, watch: bool,
           commit_every: int, log_json: bool, as_json: bool) -> None:
    """Fetch the sources that are due, extract their releases and index what is new.

    Exit 0 when the run finished (failed pages are listed with their reasons) or --watch was stopped by
    SIGTERM; 130 after Ctrl-C (with --watch, once what was done is committed); 1 when it could not run (another run holds the lock, storage not writable); 2 for a usage or config
    error. Saved alerts (`wiredesk alerts`) are checked against the run's new releases.

    \b
    wiredesk ingest
    wiredesk ingest --source sample --json
    wiredesk ingest --wait 300 --log-json      under cron: queue behind a running job
    wiredesk ingest --watch --log-json         as a service: run each source on its schedule
    """
    from .runlog import RunLog

    desk = state.desk
    if watch and (all_sources or wait is not None):
        raise UsageError("--watch runs each source when it is due; it takes neither --all nor --wait")
    with RunLog(log_json=log_json, as_json=as_json) as log:
        if watch:
            from .watch import stop_on_signals

            with stop_on_signals() as stop:
                desk.watch(sources=source_names, stop=stop, on_report=log.report, on_busy=log.busy,
                           on_outcome=log.on_outcome, commit_every=commit_every)
            if stop.signal == signal.SIGINT:
                raise KeyboardInterrupt  # after the run's report: Ctrl-C ends every command alike
            return
        report = desk.ingest(source_names, all_sources=all_sources, wait=wait, on_outcome=log.on_outcome,
                             commit_every=commit_every)
        log.report(report)
    if not report.sources and not as_json:  # a run that did nothing says why
        from .render import nothing_due_line

        click.echo(nothing_due_line([source.to_dict() for source in desk.sources()]), err=log_json)


# --------------------------------------------------------------------------------------------- extract

@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--url", help="The page's URL (one FILE only): sets the id and resolves relative links.")
@click.option("--source", "source_name", metavar="NAME", help="Use this configured source's CSS rules and default agency.")
@click.option("--text", "as_text", is_flag=True,
              help="Print only the story text of each FILE (a '==> FILE <==' line before each when there are several); "
                   "a file without a release prints its reason on stderr.")
@json_option("Accepted for symmetry: extract prints JSON lines unless --text is given.")
@pass_state
def extract(state: State, files: tuple[str, ...], url: str | None, source_name: str | None, as_text: bool,
            as_json: bool) -> None:
    """Extract releases from saved pages and print one JSON line per FILE ('-' for stdin), in order.

    A file that holds no release (a listing page, an empty or binary file) gets a line with every field
    empty but its url (the file's, or --url) and an "error" with the reason; the command still exits 0.

    \b
    wiredesk extract page.html --url https://example.com/news/1.html
    wiredesk extract page.html --text
    curl -s https://example.com/news/1.html | wiredesk extract - --url https://example.com/news/1.html
    """
    if url and len(files) > 1:
        raise UsageError("--url applies to a single FILE; give one file or drop --url")
    if as_text and as_json:
        raise UsageError("--text prints the story text and --json the whole release: give one of them")
    if files.count("-") > 1:
        raise UsageError("stdin ('-') holds one page: give it once")
    paths = [click.open_file("-", "rb") if f == "-" else Path(f) for f in files]
    if source_name:
        extractions = state.desk.extract_files(paths, url=url, source=source_name)
    else:  # no config needed (nor read) to extract a page with the generic rules
        from .extract_files import extract_files

        extractions = extract_files(paths, url=url)
    for extraction in extractions:
        if not as_text:
            emit_json(extraction.to_dict())
            continue
        from .render import printable

        if len(paths) > 1:
            click.echo(f"==> {printable(extraction.path or '-')} <==")
        if extraction.release is None:
            click.echo(f"{printable(extraction.path or '-')}: {printable(extraction.error)}", err=True)
        else:
            click.echo(printable(extraction.release.body))


# ---------------------------------------------------------------------------------------------- search

@cli.command()
@click.argument("query", required=False, default="")
@click.option("--facet", "facets", multiple=True, type=click.Choice(FACET_FIELDS), help="Count hits per value of this field (repeatable).")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE", help="Only hits with this value (repeatable; all must hold).")
@click.option("--since", metavar="DATE", help="Published on or after: 2025-04-01, 2025-04, 2025, yesterday, last week, 3 days ago.")
@click.option("--until", metavar="DATE", help="Published on or before (same forms as --since).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--facet-limit", type=click.IntRange(1), default=10, show_default=True, metavar="N",
              help="Values shown per facet, most frequent first (raise it for a whole month histogram).")
@click.option("--collapse", is_flag=True, help="One hit per syndication cluster, with its number of copies.")
@click.option("--expand", is_flag=True,
              help="Re-rank the hits with words from the best of them (feedback): the same hits, more of the relevant "
                   "ones among the first hundred; a slower query.")
@click.option("--explain", is_flag=True, help="Show how each hit's score was made: each term's part, field by field.")
@click.option("--batch", "batch_file", type=click.File("r", encoding="utf-8"), metavar="FILE",
              help="Run every 'qid<TAB>query' line of FILE ('-' for stdin), with the other options; one JSON line "
                   "per query.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Export every hit as JSON lines.")
@click.option("--csv", "as_csv", is_flag=True, help="Export every hit as CSV.")
@click.option("--fields", metavar="A,B,...",
              help="With --jsonl or --csv: the fields to export, in order, or 'all' (body, entities, ... too); "
                   "default: those of a --json hit.")
@json_option()
@click.pass_context
def search(ctx: click.Context, query: str, facets: tuple[str, ...], filters: tuple[str, ...], since: str | None,
           until: str | None, sort: str, limit: int, page: int, facet_limit: int, collapse: bool, expand: bool,
           explain: bool, batch_file: Any, as_jsonl: bool, as_csv: bool, fields: str | None, as_json: bool) -> None:
    """Search the index: ranked words, "phrases", AND/OR/NOT, field:value, wildcards, ranges.

    \b
    wiredesk search "green hydrogen" --facet agency --facet month
    wiredesk search 'agency:ANI defence' --since 2025-01 --sort newest
    wiredesk search 'published:[2025-04-01 TO 2025-04-30] solar' --json
    wiredesk search "SIDM exports" --explain
    wiredesk search hydrogen --jsonl --fields id,title,published,body,people
    """
    _check_search_options(ctx)
    desk = ctx.find_object(State).desk
    if batch_file is not None:
        for row in desk.batch(batch_file, filters=filters, facets=facets, since=since, until=until, sort=sort,
                              limit=limit, page=page, facet_limit=facet_limit, collapse=collapse, expand=expand):
            emit_json(row)
        return
    if not query.strip() and not (filters or since or until):
        raise UsageError("give a QUERY (or --filter/--since/--until, or --batch FILE)")
    if as_jsonl or as_csv:
        from .export import csv_lines, jsonl_lines, parse_fields

        chosen = parse_fields(fields)
        hits = desk.export(query, filters=filters, since=since, until=until, sort=sort, expand=expand)
        for line in (jsonl_lines if as_jsonl else csv_lines)(hits, chosen):
            click.echo(line)
        return
    emit_results(desk.search(query, filters=filters, facets=facets, since=since, until=until, sort=sort, limit=limit,
                             page=page, facet_limit=facet_limit, collapse=collapse, expand=expand, explain=explain),
                 as_json, limit=limit)


_PERIOD_FACETS = ("year", "month", "day")  # histograms: every period listed, whatever --facet-limit says
_SEARCH_FLAGS = {"query": "QUERY", "facets": "--facet", "filters": "--filter", "facet_limit": "--facet-limit",
                 "limit": "--limit", "page": "--page", "collapse": "--collapse", "explain": "--explain",
                 "fields": "--fields", "as_json": "--json", "as_jsonl": "--jsonl", "as_csv": "--csv",
                 "batch_file": "--batch"}
# which options each way of searching leaves without effect: given there, they are refused
_EXPORT_IGNORES = ("facets", "facet_limit", "limit", "page", "collapse", "explain")
_BATCH_IGNORES = ("query", "explain", "fields")


def _check_search_options(ctx: click.Context) -> None:
    """Refuse, with one line, the options that would do nothing where they are given: every option given
    either works in the mode chosen or is refused."""
    given = {name for name, value in ctx.params.items()
             if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT and value not in ((), "", None)}
    flag = _SEARCH_FLAGS
    outputs = [flag[name] for name in ("as_json", "as_jsonl", "as_csv") if name in given]
    if len(outputs) > 1:
        raise UsageError(f"{' and '.join(outputs)} are ways to print the results: give one")
    if "batch_file" in given:
        for name in ("as_jsonl", "as_csv", *_BATCH_IGNORES):
            if name in given:
                raise UsageError(f"--batch prints one JSON line per query of FILE: {flag[name]} does not go with it")
    elif "as_jsonl" in given or "as_csv" in given:
        mode = flag["as_jsonl" if "as_jsonl" in given else "as_csv"]
        for name in _EXPORT_IGNORES:
            if name in given:
                raise UsageError(f"{mode} exports every hit, in order: {flag[name]} does not go with it")
    elif "fields" in given:
        raise UsageError("--fields chooses what --jsonl and --csv export: give one of them")
    if "facet_limit" in given and not any(name not in _PERIOD_FACETS for name in ctx.params["facets"]):
        raise UsageError("--facet-limit cuts value facets (agency, country, ...); year, month and day list every "
                         "period")


# ------------------------------------------------------------------------------------ show, similar, stats

@cli.command()
@click.argument("release_id", metavar="ID")
@json_option("Print the whole release, with its other copies, as JSON.")
@pass_state
def show(state: State, release_id: str, as_json: bool) -> None:
    """Show one release whole, and the other copies of its story.

    \b
    wiredesk show 3f9a0c6e2b1d4e57
    """
    story = state.desk.story(release_id)
    if as_json:
        emit_json(story.to_dict())
        return
    from .render import release_lines

    for line in release_lines(story.release.to_dict(), [copy.to_dict() for copy in story.copies]):
        click.echo(line)


@cli.command()
@click.argument("release_id", metavar="ID")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@json_option()
@pass_state
def similar(state: State, release_id: str, limit: int, as_json: bool) -> None:
    """Releases most like the one with this ID (more like this).

    \b
    wiredesk similar 3f9a0c6e2b1d4e57 --limit 5
    """
    emit_results(state.desk.similar(release_id, limit=limit), as_json, limit=limit)


@cli.command()
@json_option()
@pass_state
def stats(state: State, as_json: bool) -> None:
    """Counts of the index: releases, agencies, sources, size, date span, and the last ingest run.

    \b
    wiredesk stats --json
    """
    from .render import stats_lines

    emit(state.desk.stats().to_dict(), as_json, stats_lines)


# --------------------------------------------------------------------------------- import, reindex, index

@cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--source", "source_name", default="import", show_default=True, help="Source name for records that give none.")
@wait_option()
@json_option()
@pass_state
def import_(state: State, file: Any, source_name: str, wait: float | None, as_json: bool) -> None:
    """Bulk-load releases from JSON lines in the `extract` shape (FILE, or - for stdin).

    A line that is not UTF-8, not JSON or not a release is reported with its number and the reason, and the
    rest load; the command exits 0 when the import ran. Saved alerts fire for releases new to the index.

    \b
    wiredesk extract pages/*.html > releases.jsonl && wiredesk import releases.jsonl
    """
    with _counter("importing") as tick:
        report = state.desk.import_records(file, source=source_name, on_release=tick, wait=wait).to_dict()
    from .render import import_summary_lines

    emit(report, as_json, import_summary_lines)


@cli.command()
@click.option("--force", is_flag=True,
              help="Replace the index even when the rebuilt one holds fewer releases (an archive cut short).")
@wait_option()
@json_option()
@pass_state
def reindex(state: State, force: bool, wait: float | None, as_json: bool) -> None:
    """Rebuild the index from the raw archive, without the network; searches go on meanwhile.

    Run it after upgrading wiredesk (a new extraction or schema) or when told to. Searches read the old
    index until the new one is complete and swapped in at once; a live count shows on a terminal. A rebuild
    that would hold fewer releases than the index (the archive missing or cut short) is refused, exit 1,
    and the index kept, unless --force.

    \b
    wiredesk reindex
    wiredesk reindex --wait 900     queue behind a running ingest
    """
    with _counter("reindexing") as tick:
        documents = state.desk.reindex(progress=tick, wait=wait, force=force)
    if as_json:
        emit_json({"documents": documents})
    else:
        from .render import counted

        click.echo(f"reindexed {counted(documents, 'release')}")


@cli.group("index")
def index_group() -> None:
    """Maintenance of the search index."""


@index_group.command()
@json_option()
@pass_state
def optimize(state: State, as_json: bool) -> None:
    """Merge the index's segments into one, for faster searches."""
    result = state.desk.optimize().to_dict()
    if as_json:
        emit_json(result)
    else:
        from .render import counted

        click.echo(f"optimized: {counted(result['documents'], 'release')}, {result['index_bytes'] / 1e6:.1f} MB")


@index_group.command()
@click.option("--repair", is_flag=True, help="Repair what is damaged, by steps that cannot lose a release.")
@wait_option()
@json_option()
@pass_state
def check(state: State, repair: bool, wait: float | None, as_json: bool) -> None:
    """Verify the home: the index's files (every checksum), the state and alerts databases, the archive.

    Exit 0 when nothing damaged is left, 1 otherwise. With --repair: a lost CURRENT is pointed at the
    intact index version holding the most releases, a damaged index is rebuilt from the archive (refused
    if that would hold fewer releases), a damaged database is made anew with every row still readable
    (the damaged file is kept beside it).

    \b
    wiredesk index check
    wiredesk index check --repair --json
    """
    from .render import check_lines

    result = state.desk.check(repair=repair, wait=wait)
    emit(result.to_dict(), as_json, check_lines)
    if not result.ok:
        raise RunError("damage is left: see above" if repair else
                       "damage found: run `wiredesk index check --repair`")


def _register_config_commands() -> None:
    from .cli_sources import init, sources

    cli.add_command(init)
    cli.add_command(sources)


_register_config_commands()


# ---------------------------------------------------------------------------------------------- alerts

@cli.group()
def alerts() -> None:
    """Saved searches reported when an ingest or import run indexes a new release that matches.

    Each match is printed in the run's summary, added to `ingest --json` (and `import --json`) under "alerts", appended to
    HOME/alerts/NAME.jsonl and, when the config sets `[alerts] command`, piped to that command as JSON.
    An alert fires once per release.

    \b
    wiredesk alerts add hydrogen '"green hydrogen"' --filter country=India
    wiredesk alerts list
    wiredesk alerts remove hydrogen
    """


@alerts.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE", help="Only releases with this value (repeatable).")
@json_option("Print the saved alert as JSON (the shape of `alerts list --json`).")
@pass_state
def alerts_add(state: State, name: str, query: str, filters: tuple[str, ...], as_json: bool) -> None:
    """Save the search QUERY (as `wiredesk search` reads it; "" with --filter for filters alone) as NAME.

    \b
    wiredesk alerts add drdo 'DRDO OR "Defence Research"' --filter agency=PIB
    """
    alert = state.desk.add_alert(name, query, filters=filters)
    emit(alert.to_dict(), as_json, lambda saved: [f"saved alert {saved['name']}"])


@alerts.command("list")
@json_option()
@pass_state
def alerts_list(state: State, as_json: bool) -> None:
    """The saved alerts, with how many releases each has fired for.

    \b
    wiredesk alerts list --json
    """
    from .render import alerts_lines

    emit([alert.to_dict() for alert in state.desk.alerts()], as_json, alerts_lines)


@alerts.command("remove")
@click.argument("name")
@json_option('Print {"removed": NAME} as JSON.')
@pass_state
def alerts_remove(state: State, name: str, as_json: bool) -> None:
    """Delete the alert NAME (its HOME/alerts/NAME.jsonl file is kept).

    \b
    wiredesk alerts remove drdo
    """
    state.desk.remove_alert(name)
    emit({"removed": name}, as_json, lambda removed: [f"removed alert {removed['removed']}"])


# ----------------------------------------------------------------------------------------------- serve

@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address serves the desk to the network, unauthenticated.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port (0: any free one).")
@pass_state
def serve(state: State, host: str, port: int) -> None:
    """Serve the desk in a browser: search with facets and a timeline, releases, sources, and a JSON API.

    Read-only; stops cleanly on Ctrl-C. The API is described at /api/openapi.json.

    \b
    wiredesk serve                    then open http://127.0.0.1:8080/
    wiredesk serve --port 9000
    """
    from .web import serve as serve_app

    desk = state.desk
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: anyone who can reach it can read the desk (there is no login)", err=True)
    serve_app(desk, host=host, port=port)


class _counter:
    """A live count on a terminal for long loops; nothing when stderr is not a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.progress = None

    def __enter__(self) -> Callable[..., None] | None:
        from .render import stderr_is_terminal

        if not stderr_is_terminal():
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=None)
        self.count = 0
        return self._tick

    def _tick(self, *_: object) -> None:
        self.count += 1
        if self.count % 50 == 0:
            self.progress.update(self.task, description=f"{self.label}: {self.count}")

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


# --------------------------------------------------------------------------------------------- entry

def main() -> None:
    """The command (the console script enters through `wiredesk.entry`, which makes Ctrl-C quiet before this
    module is even loaded)."""
    cli(prog_name="wiredesk")
