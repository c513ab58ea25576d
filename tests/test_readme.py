"""Every command-line example in the README runs as written on a fresh demo database.

Each `$ia …` line of the README's fenced blocks runs, in order, as a process in a temp
folder (so `demo.sqlite`, `new.I3Lic` and `staff.csv` are where the README says), and exits
0 — or the code its comment announces (`# exit 1: …`) for an example that shows a refusal.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
_FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"#\s*exit (\d)\b")

pytestmark = pytest.mark.slow


def examples(text: str) -> list[tuple[list[str], int]]:
    """(arguments after `ia-licensing`, expected exit code) for each README example, in
    order; a `mkdir -p DIR` line comes as (["mkdir", DIR], 0). A line ending in a backslash
    goes on on the next, as in a shell."""
    found = []
    for block in _FENCE.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] in (["$ia"], ["ia-licensing"]):
                expected = _EXIT.search(line)
                found.append((words[1:], int(expected.group(1)) if expected else 0))
            elif words[:2] == ["mkdir", "-p"]:
                found.extend((["mkdir", folder], 0) for folder in words[2:])
    return found


def test_examples_are_found() -> None:
    found = examples(README.read_text(encoding="utf-8"))
    assert len(found) >= 15
    assert found[0][0] == ["--db", "demo.sqlite", "init", "--demo"]
    assert sum(args[:2] == ["--db", "demo.sqlite"] for args, _ in found) >= 15
    assert examples('```\n$ia --db d x "a b"   # exit 1: no\nls\n```\n') == [
        (["--db", "d", "x", "a b"], 1)
    ]
    assert examples("```\nmkdir -p t\n$ia a \\\n    b\n```\n") == [
        (["mkdir", "t"], 0),
        (["a", "b"], 0),
    ]


def test_every_readme_example_runs_as_written(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(README.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    for args, expected in examples(README.read_text(encoding="utf-8")):
        if args[0] == "mkdir":
            (tmp_path / args[1]).mkdir(parents=True, exist_ok=True)
            continue
        done = subprocess.run(
            [sys.executable, "-m", "ia_licensing.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == expected, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        if expected == 1:
            assert len(done.stderr.splitlines()) == 1 and "refused (R" in done.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
