"""Import from CSV runs on a worker thread: the window answers while it runs, and Cancel,
clicked while rows are being written, writes nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from ia_licensing.console_api import (
    ConsoleApi,
    ImportCheck,
    ImportProgress,
    ImportReport,
    IsCancelled,
)
from ia_licensing.dialogs.import_csv import ImportDialog
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import csv_import_write, users
from ia_licensing.services.csv_import import ImportKind
from tests.helpers.database import snapshot

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
LEFT = Qt.MouseButton.LeftButton


class HeldImport(ConsoleApi):
    """The import stops after its first batch of rows is written (in its transaction) and
    waits there: until `release` is set, or until the dialog asks it to stop."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, TrustStore.default())
        self.writing = threading.Event()  # the first batch is written, not committed
        self.release = threading.Event()

    def run_import(
        self,
        checked: ImportCheck,
        *,
        progress: ImportProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ImportReport:
        assert progress is not None and cancelled is not None

        def held(phase: str, done: int, total: int) -> None:
            progress(phase, done, total)
            if phase == "writing" and done > 0 and not self.writing.is_set():
                self.writing.set()
                deadline = time.monotonic() + 10  # on the worker thread, never the test's
                while not (self.release.is_set() or cancelled()):
                    assert time.monotonic() < deadline, "the test neither released nor stopped"
                    self.release.wait(0.005)

        return super().run_import(checked, progress=held, cancelled=cancelled)


@pytest.fixture
def held(
    qtbot: QtBot, licensed_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[HeldImport, ImportDialog]:
    monkeypatch.setattr(csv_import_write, "BATCH", 10)  # several batches from a small file
    path = tmp_path / "users.csv"
    path.write_text(
        "name,method\n" + "".join(f"agent{i},concurrent\n" for i in range(45)), encoding="utf-8"
    )
    api = HeldImport(licensed_db)
    dialog = ImportDialog(api, ImportKind.USERS, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())  # the dry run is done
    return api, dialog


def test_cancel_during_an_import_writes_nothing(
    qtbot: QtBot, licensed_db: Database, held: tuple[HeldImport, ImportDialog]
) -> None:
    api, dialog = held
    before = snapshot(licensed_db)
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(api.writing.is_set)  # ten users written in the import's transaction
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.verdict.text().endswith("Stopped: nothing was imported.</b>")
    assert not dialog.imported and dialog.isVisible()
    assert snapshot(licensed_db) == before
    assert users.user_count(licensed_db) == 0
    assert dialog.import_button.isEnabled()  # the checked file can still be imported


def test_the_window_answers_while_an_import_runs(
    qtbot: QtBot, licensed_db: Database, held: tuple[HeldImport, ImportDialog]
) -> None:
    api, dialog = held
    beats: list[float] = []
    heartbeat = QTimer(dialog)
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start()
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(api.writing.is_set)
    beats.clear()
    qtbot.waitUntil(lambda: len(beats) >= 10)  # the GUI thread keeps running its timers
    assert dialog.progress.isVisible() and dialog.progress.value() == 10
    assert dialog.progress.text() == "Writing 10 of 45 rows"
    api.release.set()
    qtbot.waitUntil(lambda: dialog.imported)
    assert users.user_count(licensed_db) == 45
    assert dialog.problems.rowCount() == 45  # the result lists what was imported
