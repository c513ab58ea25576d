"""The status bar's note count, counted off the GUI thread: the newest count only, and a
database failure shown as such rather than raised on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from ia_licensing.models import Database
from ia_licensing.services import compliance, stations
from ia_licensing.views.notes_counter import UNAVAILABLE, NotesCounter
from tests.helpers.console import api_of


def test_only_the_newest_count_is_delivered(qtbot: QtBot, licensed_db: Database) -> None:
    counter = NotesCounter(api_of(licensed_db))
    with qtbot.waitSignal(counter.counted) as first:
        counter.request()
    assert first.args == [len(compliance.notes(licensed_db))]
    stations.add_station(licensed_db, "no-basic")  # R9: one note more
    received: list[int] = []
    counter.counted.connect(received.append)
    counter.request()
    counter.request()
    counter.wait()
    QCoreApplication.processEvents()
    assert received == [len(compliance.notes(licensed_db))] == [first.args[0] + 1]


def test_a_database_failure_is_reported_as_unavailable(qtbot: QtBot, tmp_path: Path) -> None:
    broken = Database(str(tmp_path / "not-an-allocation-database.sqlite"), migrate=False)
    counter = NotesCounter(api_of(broken))
    with qtbot.waitSignal(counter.counted) as blocker:
        counter.request()
    assert blocker.args == [UNAVAILABLE]
    broken.close()
