"""Running the command line in-process: a fresh demo database, and one command's output."""

from __future__ import annotations

from pathlib import Path

import pytest

from ia_licensing import cli


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "demo.sqlite")
    assert cli.main(["--db", path, "init", "--demo"]) == 0
    capsys.readouterr()
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
