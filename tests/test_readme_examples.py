"""Every command example of the README (a block of `$ wiredesk ...` lines, each followed by what it prints)
is run on the bundled sample and prints what the README shows, so the examples cannot drift.

How a block is run: with the shipped config.toml (the sample's path made absolute, storage in a temporary
folder) and `ingest` beside it, so paths such as `ingest/sample/...` read as in a checkout. A block whose
first command is a plain `wiredesk ingest` or an `alerts add` starts from an empty home; any other block runs on its own copy
of a home where the sample is ingested once per session. The files a block names (`bad.toml`,
`broken.jsonl`, ...) are written by `FILES` below.

How output is compared: times of the run, durations, sizes and process ids are masked on both sides
(`VOLATILE`); in the README, a line `...` stands for any number of lines and `...` inside a line for any
text; a JSON object wrapped over several lines (for the page's width) is joined back into one. A block
preceded by `<!-- not run: REASON -->` is not run (a server, a lock held by another run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CHECKOUT

README = CHECKOUT / "README.md"

# the files the examples name, as the README's outputs describe them
FILES = {
    "bad.toml": '[storage]\nhome = "data"\n[fetch]\ntimeout = "soon"\n',
    "bad-delay.toml": '[storage]\nhome = "data"\n\n[fetch]\ndelay = inf\n',
    "bad-port.toml": '[storage]\nhome = "data"\n\n[[sources]]\nname = "wire"\nkind = "feed"\n'
                     'url = "https://wire.example:99999/feed.xml"\n',
    "wiredesk.toml": '[storage]\nhome = "data"\n[[sources]]\nname = "site"\nkind = "listing"\n'
                     'url = "https://site.example/news/"\nlinks = "h2 a"\n[sources.extract]\nbody = "article >> p"\n',
    "broken.jsonl": '{"title": "Wind farm opens", "body": "A wind farm opened on the coast."}\n{not json\n'
                    '{"title": "Solar park approved", "body": "The council approved a solar park."}\n',
}

# what changes from run to run: masked on both sides before they are compared
VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"), "<time>"),
    (re.compile(r'"(time|fetched|created|started|finished|last_fired|last_run|last_success|next_due)": '
                r'"[^"]+"'), r'"\1": "<time>"'),
    (re.compile(r'"took_ms": [\d.]+'), '"took_ms": <ms>'),
    (re.compile(r'"index_bytes": \d+'), '"index_bytes": <bytes>'),
    (re.compile(r"index \d+\.\d MB"), "index <size> MB"),
    (re.compile(r"pid \d+"), "pid <pid>"),
]
NOT_RUN = re.compile(r"<!--\s*not run:[^>]*-->\s*$")
FRESH_HOME = re.compile(r"wiredesk ingest$|wiredesk alerts add ")  # a block that starts a home from nothing


@dataclass
class Example:
    line: int  # of the block in README.md
    commands: list[tuple[str, str]]  # (command, the output shown)

    @property
    def fresh(self) -> bool:
        return bool(FRESH_HOME.match(self.commands[0][0]))


def examples() -> list[Example]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```\n(\$ .*?)^```$", text, flags=re.S | re.M):
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        body = match.group(1)
        commands = re.split(r"^\$ ", body, flags=re.M)[1:]
        # (command, its output without the blank line that parts it from the next command)
        parsed = [(command, output.rstrip("\n") + "\n" if output.strip() else "")
                  for command, _, output in (part.partition("\n") for part in commands)]
        if NOT_RUN.search(before) or not all("wiredesk " in command for command, _ in parsed):
            continue
        found.append(Example(text[:match.start()].count("\n") + 1, parsed))
    return found


def _masked(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _joined(shown: str) -> list[str]:
    """The README's lines, a JSON object wrapped for the page's width joined back into one line."""
    lines: list[str] = []
    for line in shown.splitlines():
        if lines and lines[-1].startswith("{") and _open(lines[-1]):
            lines[-1] += line
        else:
            lines.append(line)
    return lines


def _open(text: str) -> bool:
    # brackets still open outside strings (the line goes on in the next one)
    depth, quoted, escaped = 0, False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char in "{[":
            depth += 1
        elif not quoted and char in "}]":
            depth -= 1
    return depth > 0


def _pattern(shown: str) -> re.Pattern[str]:
    parts = []
    for line in _joined(_masked(shown)):
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    return re.compile("".join(parts))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the shipped config, `ingest` (the sample's pages) beside it, the example files, and in
    `ingested/` a home holding the sample."""
    folder = tmp_path_factory.mktemp("readme")
    config = (CHECKOUT / "config.toml").read_text(encoding="utf-8")
    config = config.replace('path = "ingest/sample/feed.xml"', f'path = "{(CHECKOUT / "ingest/sample/feed.xml").as_posix()}"')
    assert str(CHECKOUT) in config
    (folder / "config.toml").write_text(config, encoding="utf-8")
    (folder / "ingest").symlink_to(CHECKOUT / "ingest")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    done = _shell("wiredesk ingest", folder)
    assert done.returncode == 0, done.stderr
    shutil.move(folder / "data", folder / "ingested")
    return folder


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bin_folder = str(Path(sys.executable).parent)  # the wiredesk installed beside the Python running the tests
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1",
           "COLUMNS": "200"}
    env.pop("WIREDESK_CONFIG", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("example", examples(), ids=lambda example: f"README.md:{example.line}")
def test_the_readme_example_prints_what_the_readme_shows(example: Example, workspace: Path) -> None:
    shutil.rmtree(workspace / "data", ignore_errors=True)
    if not example.fresh:
        shutil.copytree(workspace / "ingested", workspace / "data")
    for command, shown in example.commands:
        done = _shell(command, workspace)
        printed = _masked(done.stdout + done.stderr)
        assert _pattern(shown).fullmatch(printed), (
            f"README.md:{example.line}: `{command}` printed\n{done.stdout}{done.stderr}\nwhere the README shows\n{shown}")


def test_the_examples_are_found_and_few_are_left_out() -> None:
    found = examples()
    assert len(found) >= 12
    text = README.read_text(encoding="utf-8")
    # each mark stands right above an example, and only a few are not run
    assert len(re.findall(r"<!--\s*not run:[^>]*-->\n```\n\$ ", text)) == len(re.findall(r"<!--", text)) <= 4
