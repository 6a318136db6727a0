"""`wiredesk init` and `wiredesk sources ...`: the commands that write the config file, on the Desk API.

Kept beside `cli.py` (which registers them) because they are a family of their own: each changes the config
file through `wiredesk.sourcebook`, keeping its comments.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .cli import State, emit, emit_json, json_option, pass_state

__all__ = ["init", "sources"]


@click.command()
@json_option()
@pass_state
def init(state: State, as_json: bool) -> None:
    """Write a commented starter config: ./config.toml, or the file given with --config.

    An existing file is never overwritten (exit 1).

    \b
    wiredesk init
    wiredesk --config ~/wire/config.toml init
    """
    from .configfile import write_starter

    path = write_starter(Path(state.config_path or "config.toml"))
    if as_json:
        emit_json({"written": str(path)})
    else:
        click.echo(f"wrote {path}: add a source with `wiredesk sources add URL`, then run `wiredesk ingest`")


@click.group(invoke_without_command=True)
@json_option()
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """Each configured source: kind, enabled, last run and success, new items, failures, next due, last error.

    The subcommands change the config file, keeping its comments: add, remove, enable, disable, import
    (OPML), export (OPML).

    \b
    wiredesk sources
    wiredesk sources --json
    wiredesk sources add https://newsroom.example.com/
    """
    if ctx.invoked_subcommand is not None:
        return
    from .render import sources_lines

    state: State = ctx.find_object(State)
    emit([source.to_dict() for source in state.desk.sources()], as_json, sources_lines)


@sources.command("add")
@click.argument("url")
@click.option("--name", default="", help="The source's name (default: from the feed's or the site's title).")
@click.option("--agency", default="", help="The credit for releases whose page names none.")
@click.option("--every", default="", metavar="DURATION", help="How often it is due: 30m, 2h, 1d (default: every run).")
@click.option("--dry-run", is_flag=True, help="Show what was found; change nothing.")
@json_option()
@pass_state
def sources_add(state: State, url: str, name: str, agency: str, every: str, dry_run: bool, as_json: bool) -> None:
    """Find the feed or sitemap behind a site's address and add it as a source.

    Looks at the page's announced feeds (<link rel="alternate">), the Sitemap lines of robots.txt, then
    common paths (/feed, /rss.xml, /sitemap.xml ...), reading each as ingest would; a feed is preferred
    to a sitemap. Requests follow the [fetch] rules (robots.txt, user agent, limits, deadlines).

    \b
    wiredesk sources add https://newsroom.example.com/ --agency "Example Wire" --every 30m
    wiredesk sources add example.com --dry-run
    """
    added = state.desk.add_source(url, name=name, agency=agency, every=every, dry_run=dry_run)
    if as_json:
        emit_json(added.to_dict())
        return
    from .render import printable

    for found in added.discovery.found:
        title = f" \"{printable(found.title)}\"" if found.title else ""
        entries = f"{found.entries} entr{'y' if found.entries == 1 else 'ies'}"
        click.echo(f"found {found.kind} {printable(found.url)}{title} ({entries}, from {found.how})")
    source = added.source
    verb = "would add" if dry_run else "added"
    click.echo(f"{verb} source {printable(source['name'])} [{source['kind']}] {printable(source['url'])}")


@sources.command("remove")
@click.argument("name")
@json_option()
@pass_state
def sources_remove(state: State, name: str, as_json: bool) -> None:
    """Remove the source NAME from the config (what it indexed stays searchable).

    \b
    wiredesk sources remove newsroom
    """
    state.desk.remove_source(name)
    emit({"removed": name}, as_json, lambda value: [f"removed source {name}"])


def _switch(state: State, name: str, enabled: bool, as_json: bool) -> None:
    changed = state.desk.enable_source(name, enabled)
    word = "enabled" if enabled else "disabled"
    emit({"name": name, "enabled": enabled, "changed": changed}, as_json,
         lambda value: [f"{word} source {name}" if changed else f"source {name} was {word} already"])


@sources.command("enable")
@click.argument("name")
@json_option()
@pass_state
def sources_enable(state: State, name: str, as_json: bool) -> None:
    """Enable the source NAME: ingest runs it when it is due.

    \b
    wiredesk sources enable ani
    """
    _switch(state, name, True, as_json)


@sources.command("disable")
@click.argument("name")
@json_option()
@pass_state
def sources_disable(state: State, name: str, as_json: bool) -> None:
    """Disable the source NAME: kept in the config, not run (`ingest --source NAME` still runs it once).

    \b
    wiredesk sources disable ani
    """
    _switch(state, name, False, as_json)


@sources.command("import")
@click.argument("file", type=click.File("rb"))
@json_option()
@pass_state
def sources_import(state: State, file: Any, as_json: bool) -> None:
    """Add a feed source for each subscription of an OPML file (FILE, or - for stdin), as feed readers
    export them; feeds followed already are skipped.

    \b
    wiredesk sources import subscriptions.opml
    """
    from .opml import MAX_BYTES

    imported = state.desk.import_opml(file.read(MAX_BYTES + 1)).to_dict()
    if as_json:
        emit_json(imported)
        return
    from .render import printable

    for skipped in imported["skipped"]:
        click.echo(f"skipped {printable(skipped['url'])}: {skipped['reason']}", err=True)
    for source in imported["added"]:
        click.echo(f"added source {printable(source['name'])} [feed] {printable(source['url'])}")
    click.echo(f"{len(imported['added'])} added, {len(imported['skipped'])} skipped")


@sources.command("export")
@json_option("Print {\"opml\": DOCUMENT, \"left_out\": [NAMES]} instead of the OPML document.")
@pass_state
def sources_export(state: State, as_json: bool) -> None:
    """Print the feed sources as OPML, for a feed reader (sitemaps, listings and files are left out).

    \b
    wiredesk sources export > wiredesk.opml
    """
    document, left_out = state.desk.export_opml()
    if as_json:
        emit_json({"opml": document, "left_out": left_out})
        return
    sys.stdout.write(document)
    if left_out:
        click.echo(f"left out (not feeds): {', '.join(left_out)}", err=True)
