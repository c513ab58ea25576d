"""`make run`: the console entry point on a machine without a display."""

from __future__ import annotations

from pathlib import Path

import pytest

from ia_licensing import __main__ as start
from ia_licensing.models import Database
from ia_licensing.services import allocation


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


def test_with_a_display_it_opens_the_console_on_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ia_licensing import app

    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(start, "has_display", lambda: True)
    monkeypatch.setattr(start, "missing_system_libraries", lambda: [])
    monkeypatch.setattr(app, "run", lambda path, trust: opened.append((path, trust)) or 0)
    path = str(tmp_path / "demo.sqlite")
    assert start.main(["--db", path, "--demo"]) == 0
    assert opened == [(path, None)]
    db = Database(path)
    assert any(r.name == "Basic Station" for r in allocation.allocations(db))
    db.close()


def test_on_x11_without_qt_libraries_it_names_the_packages_instead_of_aborting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ia_licensing import app

    monkeypatch.setattr(start.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    monkeypatch.setattr(start, "_loads", lambda library: library not in absent)
    monkeypatch.setattr(app, "run", lambda path, trust: pytest.fail("Qt would abort here"))
    path = tmp_path / "demo.sqlite"
    assert start.main(["--db", str(path), "--demo"]) == 1
    err = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in err
    assert "ia-licensing --db" in err and path.exists()
    absent.clear()
    assert start.missing_system_libraries() == []
    absent.add("libxcb-cursor.so.0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")  # another window plugin: not needed
    assert start.missing_system_libraries() == []
