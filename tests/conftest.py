"""Shared fixtures: a config with its storage in a temporary folder, the installed command, ../shared."""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import pytest

# Tests send Ctrl-C (SIGINT) to the commands they start. A shell starts a background job with SIGINT ignored,
# and an ignored signal stays ignored through fork and exec: a suite run with `&` would hand that on, and
# every command it starts would ignore its Ctrl-C. A handler (Python's own) is reset to the default at exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

CHECKOUT = Path(__file__).resolve().parents[1]
SHARED = CHECKOUT.parent / "shared"
SAMPLE_FEED = CHECKOUT / "ingest" / "sample" / "feed.xml"


def write_config(folder: Path, text: str = "") -> Path:
    """A config in `folder` that reads the bundled sample and keeps its storage under `folder/data`."""
    path = folder / "config.toml"
    path.write_text(
        '[storage]\nhome = "data"\n\n[[sources]]\nname = "sample"\nkind = "files"\n'
        f'path = "{SAMPLE_FEED.as_posix()}"\nurl = "https://newsroom.wiredesk.example/"\n' + text,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def sample_config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture(scope="session")
def ingested_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config whose home already holds the ingested sample (built once per test session)."""
    from click.testing import CliRunner

    from wiredesk.cli import cli

    config = write_config(tmp_path_factory.mktemp("sample"))
    result = CliRunner().invoke(cli, ["--config", str(config), "ingest", "--json"])
    assert result.exit_code == 0, result.output
    return config


@pytest.fixture(scope="session")
def wiredesk_bin() -> str:
    """The installed `wiredesk` command of the Python running the tests."""
    beside = Path(sys.executable).parent / "wiredesk"
    found = str(beside) if beside.exists() else shutil.which("wiredesk")
    if not found:
        pytest.fail("the wiredesk command is not installed: pip install '.[test]'")
    return found


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


# an imported release made of what a hostile page could hold: markup in every text, a script URL
HOSTILE_RELEASE = {
    "id": "hostile-1", "url": "javascript:alert(3)", "source": "hostile", "agency": "<b>Wire</b>",
    "title": "<script>alert(1)</script>", "published": "2025-04-16T10:00:00+00:00",
    "body": "<img src=x onerror=alert(2)> hydrogen <script>alert(4)</script>\n\nA second paragraph.",
    "people": ["<i>Mallory</i>"],
}


@pytest.fixture(scope="session")
def web_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config whose home holds the ingested sample and the hostile release beside it (built once per session)."""
    from wiredesk import Desk

    config = write_config(tmp_path_factory.mktemp("web"))
    with Desk.open(config) as desk:
        assert desk.ingest().indexed == 40
        assert desk.import_records([HOSTILE_RELEASE]).imported == 1
    return config
