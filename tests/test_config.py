"""Config: look-up order, relative paths, defaults, and one clear line for each kind of mistake."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiredesk.cli import cli
from wiredesk.core.config import FetchConfig, find_config, load_config, parse_config, parse_duration
from wiredesk.core.errors import ConfigError

BAD = {
    "syntax": ('[storage\nhome = "data"\n', "bad.toml:1: TOML syntax error"),
    "unknown kind": ('[storage]\nhome = "d"\n[[sources]]\nname = "a"\nkind = "carrier-pigeon"\nurl = "http://127.0.0.1:9/"\n',
                     "bad.toml:5: sources.a.kind: unknown kind 'carrier-pigeon'"),
    "missing url": ('[storage]\nhome = "d"\n[[sources]]\nname = "a"\nkind = "feed"\n', "sources.a.url: a feed source needs a url"),
    "wrong type": ('[storage]\nhome = "d"\n[fetch]\ntimeout = "soon"\n', "bad.toml:4: fetch.timeout: expected a number, got 'soon'"),
    "duplicate name": ('[storage]\nhome = "d"\n' + 2 * '[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://h/f.xml"\n',
                       "bad.toml:8: sources[1].name: duplicate source name 'a'"),
    "unknown key": ('[fetch]\ntimout = 3\n', "bad.toml:2: fetch.timout: unknown key"),
    "bad duration": ('[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://h/"\nevery = "often"\n',
                     "bad.toml:5: sources.a.every: expected a duration"),
    "bool for number": ('[fetch]\nconcurrency = true\n', "fetch.concurrency: expected a whole number, got True"),
    "listing without links": ('[[sources]]\nname = "l"\nkind = "listing"\nurl = "http://h/"\n', "sources.l.links: a listing source needs"),
    "bad css selector": ('[storage]\nhome = "d"\n[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://127.0.0.1:9/f"\n'
                         '[[sources]]\nname = "b"\nkind = "feed"\nurl = "http://127.0.0.1:9/g"\nagency = "AP"\n\n'
                         '[sources.extract]\ntitle = "h1"\nbody = "div..story"\n',
                         "bad.toml:15: sources.b.extract.body: invalid CSS selector 'div..story': Malformed class selector at position 3"),
    "bad links selector": ('[[sources]]\nname = "l"\nkind = "listing"\nurl = "http://127.0.0.1:9/"\nlinks = "a["\n',
                           "bad.toml:5: sources.l.links: invalid CSS selector 'a[': Malformed attribute selector at position 1"),
    "ftp url": ('[[sources]]\nname = "f"\nkind = "feed"\nurl = "ftp://h/f.xml"\n', "sources.f.url: must be an http(s) URL"),
    # values that used to hang a run or end it with an internal error
    "infinite delay": ('[fetch]\ndelay = inf\n', "bad.toml:2: fetch.delay: must be a finite number, got inf"),
    "nan timeout": ('[fetch]\ntimeout = nan\n', "bad.toml:2: fetch.timeout: must be a finite number, got nan"),
    "delay of a day": ('[fetch]\ndelay = 86400\n', "bad.toml:2: fetch.delay: must be at most 3600, got 86400"),
    "zero deadline": ('[fetch]\ndeadline = 0\n', "bad.toml:2: fetch.deadline: must be more than 0, got 0"),
    "a thousand retries": ('[fetch]\nretries = 1000\n', "bad.toml:2: fetch.retries: must be at most 10, got 1000"),
    "non-ASCII user agent": ('[fetch]\nuser_agent = "wiredesk (Zoë)"\n', "bad.toml:2: fetch.user_agent: must be printable ASCII"),
    "endless every": ('[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://h/"\nevery = "99999999999w"\n',
                      "bad.toml:5: sources.a.every: must be at most 365d, got '99999999999w'"),
    "port 99999": ('[[sources]]\nname = "p"\nkind = "feed"\nurl = "http://h.example:99999/f.xml"\n',
                   "bad.toml:4: sources.p.url: malformed URL (Port out of range 0-65535)"),
    "bad allow entry": ('[[sources]]\nname = "a"\nkind = "feed"\nurl = "http://h/"\nallow = ["h.example:http"]\n',
                        "bad.toml:5: sources.a.allow: malformed URL"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_config_is_one_line_naming_file_line_and_key(tmp_path: Path, case: str) -> None:
    text, expected = BAD[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "ingest"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_relative_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "wiredesk.toml"
    path.write_text('[storage]\nhome = "../store"\n[[sources]]\nname = "s"\nkind = "files"\npath = "pages"\n', encoding="utf-8")
    config = load_config(path)
    assert config.storage.home == (tmp_path / "store").resolve()
    assert config.sources[0].path == (tmp_path / "conf" / "pages").resolve()


def test_defaults_fill_what_the_file_leaves_out(tmp_path: Path) -> None:
    config = parse_config("", path=tmp_path / "c.toml")
    assert config.fetch == FetchConfig()
    assert config.sources == ()
    assert config.storage.home == (tmp_path / "data").resolve()


def test_source_values_are_typed() -> None:
    config = parse_config('[[sources]]\nname = "a"\nkind = "feed"\nurl = "https://Wire.Example/rss"\nevery = "2h"\n'
                          'allow = ["cdn.example"]\nsince = 2025-01-01\nmax_items = 5\n', path=Path("c.toml"))
    source = config.sources[0]
    assert source.every == timedelta(hours=2)
    assert source.allowed_hosts == ("cdn.example",)
    assert source.since is not None and source.since.isoformat() == "2025-01-01T00:00:00+00:00"
    assert source.max_items == 5
    default_scope = parse_config('[[sources]]\nname = "a"\nkind = "feed"\nurl = "https://Wire.Example/rss"\n', path=Path("c.toml"))
    assert default_scope.sources[0].allowed_hosts == ("wire.example",)


@pytest.mark.parametrize("text,seconds", [("30m", 1800), ("2h", 7200), ("1d", 86400), ("45s", 45), ("1.5h", 5400)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given, env, cwd = tmp_path / "given.toml", tmp_path / "env.toml", tmp_path / "config.toml"
    for path in (given, env, cwd):
        path.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIREDESK_CONFIG", str(env))
    assert find_config(given) == given
    assert find_config(None) == env
    monkeypatch.delenv("WIREDESK_CONFIG")
    assert find_config(None) == Path("config.toml")
    cwd.unlink()
    with pytest.raises(ConfigError, match="give --config FILE, set WIREDESK_CONFIG, or run where ./config.toml is"):
        find_config(None)


def test_the_shipped_config_is_valid() -> None:
    config = load_config(Path(__file__).resolve().parents[1] / "config.toml")
    assert config.sources[0].name == "sample" and config.sources[0].kind == "files" and config.sources[0].enabled
    assert config.sources[0].path is not None and config.sources[0].path.is_file()
    assert all(not s.enabled for s in config.sources[1:]) and len(config.sources) >= 5
