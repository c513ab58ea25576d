"""The Usage container (R33): the chart's series are the stored peaks, denials marked, the
key and period chosen with the keyboard, the chart and the rows exported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow
from ia_licensing.catalog import CLIENT_ACCESS as CLIENT
from ia_licensing.containers import Container
from ia_licensing.licensefile import LicenseCount
from ia_licensing.models import Database
from ia_licensing.models.schema import utcnow
from ia_licensing.services import logon, usage_history
from ia_licensing.services.errors import Refused
from ia_licensing.views.usage_view import UsageView, msecs
from ia_licensing.widgets.file_chooser import Chosen
from tests.helpers.database import DIALER, concurrent_user, station
from tests.helpers.fakes import LicensePrompts
from tests.helpers.gui import choose_from_menu, review
from tests.helpers.license_files import signed, write

DAY0 = usage_history.hour_of(utcnow()).replace(hour=0) - dt.timedelta(days=2)


def t(hours: float) -> dt.datetime:
    return DAY0 + dt.timedelta(hours=hours)


class ScriptedFiles:
    def __init__(self, *paths: str) -> None:
        self.paths = list(paths)

    def save_file(
        self, parent: object, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        return Chosen(self.paths.pop(0), file_filter)

    def open_file(self, parent: object, title: str, file_filter: str) -> str | None:
        return self.paths.pop(0)


def choose_and_review(qtbot: QtBot, window: MainWindow, prompts: LicensePrompts, path: str):  # type: ignore[no-untyped-def]
    prompts.files = [path]
    choose_from_menu(qtbot, window, window.load_license_action)
    return review(qtbot, window)


def points(series: object) -> list[tuple[float, float]]:
    return [(p.x(), p.y()) for p in series.points()]  # type: ignore[attr-defined]


def test_usage_chart_shows_the_stored_peaks_and_denials(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    db = window.db
    concurrent_user(db, "amy", CLIENT, DIALER)
    concurrent_user(db, "bob", CLIENT)
    concurrent_user(db, "cat", CLIENT)
    for name in ("s1", "s2", "s3"):
        station(db, name)
    with usage_history.at(t(10.5)):
        logon.logon(db, "amy", station="s1")
    with usage_history.at(t(11.25)):
        logon.logon(db, "bob", station="s2")
    with usage_history.at(t(11.5)), pytest.raises(Refused):
        logon.logon(db, "cat", station="s3")  # R23: both Client Access licenses in use
    with usage_history.at(t(12.75)):
        logon.logoff(db, "bob")

    tree = window.tree
    [item] = tree.findItems("Usage", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    view = window.page(Container.USAGE)
    assert isinstance(view, UsageView)
    qtbot.waitUntil(view.isVisible)

    stored = usage_history.usage_rows(db, CLIENT)
    assert view.key_combo.currentText() == "Client Access"
    assert [(r.period_start, r.peak_in_use, r.denials) for r in stored[:4]] == [
        (t(10), 1, 0),
        (t(11), 2, 1),
        (t(12), 2, 0),
        (t(13), 1, 0),
    ]
    assert points(view.in_use) == [(msecs(r.period_start), r.peak_in_use) for r in stored]
    assert points(view.allowed) == [(msecs(r.period_start), 2) for r in stored]
    assert points(view.denials) == [(msecs(t(11)), 2)]  # the refused logon, marked
    assert view.x_axis.min() == QDateTime.fromMSecsSinceEpoch(int(msecs(t(10))))

    view.key_combo.setFocus()
    qtbot.keyClick(view.key_combo, Qt.Key.Key_Down)  # the next key with a history
    assert view.key == DIALER
    dialer = usage_history.usage_rows(db, DIALER)
    assert points(view.in_use) == [(msecs(r.period_start), r.peak_in_use) for r in dialer]
    assert points(view.denials) == []

    qtbot.keyClick(view.key_combo, Qt.Key.Key_Up)
    view.period_combo.setFocus()
    qtbot.keyClick(view.period_combo, Qt.Key.Key_Down)  # Day
    days = usage_history.usage_rows(db, CLIENT, by="day")
    assert points(view.in_use)[0] == (msecs(t(0)), 2)  # the day's peak: its highest hour
    assert points(view.in_use) == [(msecs(r.period_start), r.peak_in_use) for r in days]
    assert view.model.rowCount() == len(days)

    png, csv = tmp_path / "usage.png", tmp_path / "usage.csv"
    window.file_chooser = ScriptedFiles(str(png), str(csv))
    qtbot.mouseClick(view.export_chart_button, Qt.MouseButton.LeftButton)
    assert not QImage(str(png)).isNull()
    qtbot.mouseClick(view.export_rows_button, Qt.MouseButton.LeftButton)
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "License,Period Start (UTC),Peak In Use,Allowed,Denials"
    assert lines[1] == f"Client Access,{t(0).isoformat(timespec='minutes')},2,2,1"


def test_the_load_review_shows_the_recorded_usage_under_the_new_counts(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    """Client Access 2 Concurrent in force; the history peaks at 2 (hour 10) then 1 until
    now. A file with 1 Concurrent: peak 2, new allowed 1, hour 10 one over: 1."""
    smaller = write(tmp_path, "s.I3Lic", signed(serial=11, licenses=(LicenseCount(CLIENT, 3, 1),)))
    dialog = choose_and_review(qtbot, console, license_prompts, smaller)
    assert dialog.usage_table.isHidden()  # no history yet: no such columns
    dialog.reject()
    concurrent_user(loaded_db, "amy", CLIENT)
    concurrent_user(loaded_db, "bob", CLIENT)
    station(loaded_db, "s1")
    station(loaded_db, "s2")
    with usage_history.at(t(10)):
        logon.logon(loaded_db, "amy", station="s1")
        logon.logon(loaded_db, "bob", station="s2")
    with usage_history.at(t(10.5)):
        logon.logoff(loaded_db, "bob")
    dialog = choose_and_review(qtbot, console, license_prompts, smaller)
    assert not dialog.usage_table.isHidden()
    model = dialog.usage_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["License", "Peak In Use", "New Allowed", "Would Have Been Refused"]
    rows = [[str(model.index(r, c).data()) for c in range(4)] for r in range(model.rowCount())]
    assert ["Client Access", "2", "1", "1"] in rows
