"""The shipped operations files run the real command line, from the checkout, with JSON-lines logs."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from wiredesk.cli import cli

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
HOME = "/opt/wiredesk"


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / name, encoding="utf-8")
    return unit


def _parses(argv: list[str]) -> list[str]:
    """The wiredesk arguments of a command line, after checking click accepts them (nothing runs)."""
    assert argv[0].endswith("/.venv/bin/wiredesk") or argv[0] == ".venv/bin/wiredesk", argv
    args = argv[1:]
    name = next(arg for arg in args if arg in cli.commands)
    split = args.index(name)
    with cli.make_context("wiredesk", args[:split]) as ctx:
        cli.commands[name].make_context(name, args[split + 1:], parent=ctx)
    return args


@pytest.mark.parametrize("name, mode", [("wiredesk-ingest.service", "oneshot"), ("wiredesk-watch.service", "simple")])
def test_services_run_from_the_checkout_with_json_logs(name: str, mode: str) -> None:
    service = _unit(name)["Service"]
    assert service["Type"] == mode and service["WorkingDirectory"] == HOME
    args = _parses(shlex.split(service["ExecStart"]))
    assert args[:2] == ["--config", f"{HOME}/config.toml"] and args[2] == "ingest" and "--log-json" in args
    if mode == "oneshot":
        assert service["SuccessExitStatus"] == "1"  # the lock was held: the next tick tries again
    else:
        assert "--watch" in args and service["KillMode"] == "mixed" and service["RestartPreventExitStatus"] == "2"


def test_timer_and_cron_line() -> None:
    timer = _unit("wiredesk-ingest.timer")["Timer"]
    assert timer["OnCalendar"] == "*:0/15" and timer["Persistent"] == "true"
    lines = [line for line in (DEPLOY / "crontab").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1
    schedule, command = lines[0].split(" ", 5)[:5], lines[0].split(" ", 5)[5]
    assert schedule == ["*/15", "*", "*", "*", "*"]
    assert command.startswith(f"cd {HOME} && ")
    wiredesk = next(part for part in command.split(" && ") if "wiredesk " in part)
    args = _parses(shlex.split(wiredesk.split(">>")[0]))
    assert args == ["--config", "config.toml", "ingest", "--log-json"] and wiredesk.endswith("2>&1")
    assert "--wait" in (DEPLOY / "crontab").read_text(encoding="utf-8")
