"""`make run`: the console entry point on a machine without a display."""

from __future__ import annotations

from pathlib import Path

import pytest

from ia_licensing import __main__ as start


def test_without_a_display_it_says_so_and_points_at_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    path = tmp_path / "demo.sqlite"
    assert start.main(["--db", str(path), "--demo"]) == 0
    out = capsys.readouterr().out
    assert "No display is available" in out and "ia-licensing --db" in out
    assert path.exists()


def test_with_a_display_it_shows_the_demo_allocations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(start, "has_display", lambda: True)
    assert start.main(["--db", str(tmp_path / "demo.sqlite"), "--demo"]) == 0
    out = capsys.readouterr().out
    assert "Basic Station" in out and "Assignable Allowed" in out
