"""Issue 17, the command line: a well-behaved Unix tool (version, help, pipes, JSON times,
tables that fit, edits that say what changed, key names that suggest instead of guessing)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
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


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"ia-licensing {version('ia-licensing')}\n"


@pytest.mark.parametrize(
    ("group", "actions"),
    [
        ("station", ("add", "set", "delete", "list")),
        ("user", ("add", "set", "delete", "list")),
        ("workgroup", ("add", "set", "delete", "member", "list")),
        ("license", ("load", "show", "history", "keygen", "issue")),
    ],
)
def test_group_help_lists_every_action(
    group: str, actions: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([group, "--help"])
    listed = {
        line.split()[0]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("    ") and line.split()
    }
    assert listed >= set(actions)


def test_a_closed_pipe_ends_quietly(demo: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "ia_licensing.cli", "--db", demo, "audit", "--limit", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.close()  # `| head` gone before the first line is written
        err = reader.stderr.read().decode()
        assert reader.wait(timeout=60) == 0, err
    assert err == ""
