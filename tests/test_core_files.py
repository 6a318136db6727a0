"""Replacing a file in one step: the old content or the new, never a part, and no leftovers."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.core.files import replace_file


@pytest.mark.parametrize("durable", [False, True])
def test_a_file_is_replaced_whole(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "CURRENT"
    target.write_text("v-1\n")
    replace_file(target, b"v-2\n", durable=durable)
    assert target.read_text() == "v-2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["CURRENT"]


def test_a_failed_write_keeps_the_old_content_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    target.write_text("[storage]\n")
    with pytest.raises(TypeError):
        replace_file(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text() == "[storage]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_a_missing_folder_is_an_os_error_for_the_caller_to_name(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        replace_file(tmp_path / "absent" / "file", b"x")
