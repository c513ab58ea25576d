"""Load License in the console: choose a file, review the dry run, load or cancel; bad
files show their refusal and change nothing; dropping an .I3Lic file starts the same flow.

The console trusts only this module's own test key (create_main_window(trust=...)).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.dialogs.load_license import LoadLicenseReviewDialog, start_load_license
from ia_licensing.licensefile import (
    LicenseCount,
    LicenseType,
    ServerInfo,
    TrustStore,
    issue_license,
)
from ia_licensing.models import Database
from ia_licensing.services import allocation, compliance, licensing, users
from ia_licensing.views.licenses_allocation_table_model import LicensesAllocationTableModel
from ia_licensing.widgets.file_chooser import Chosen
from tests.helpers.database import snapshot
from tests.helpers.fakes import LicensePrompts
from tests.helpers.gui import choose_from_menu, load_and_wait, review, status_notes
from tests.helpers.license_files import (
    PUBLIC,
    STRANGER_PRIVATE,
    TODAY,
    make,
    signed,
    tampered,
    write,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT = catalog.CLIENT_ACCESS
LEFT = Qt.MouseButton.LeftButton
Model = LicensesAllocationTableModel


def choose_and_review(
    qtbot: QtBot, window: MainWindow, prompts: LicensePrompts, path: str
) -> LoadLicenseReviewDialog:
    prompts.files = [path]
    choose_from_menu(qtbot, window, window.load_license_action)
    return review(qtbot, window)


def change_row(dialog: LoadLicenseReviewDialog, name: str) -> list[str]:
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def shown(window: MainWindow, key: str) -> list[str]:
    model = window.licenses_allocation.model
    row = model.row_of(key)
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def test_a_good_file_is_reviewed_then_loaded_and_the_containers_follow(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    larger = signed(serial=11, licenses=(LicenseCount(CLIENT, 50, 5),))
    dialog = choose_and_review(qtbot, console, license_prompts, write(tmp_path, "l.I3Lic", larger))
    assert dialog.objectName() == "loadLicenseReviewDialog"
    assert not dialog.refused and dialog.load_button.isVisible()
    assert change_row(dialog, "Client Access") == [
        "Client Access",
        "3 → 50",
        "2 → 5",
        "2",
        "0",
        "more",
    ]
    assert change_row(dialog, "Basic Station")[1:3] == ["5 → 0", "0"]
    assert "serial 11" in dialog.summary.text() and "perpetual" in dialog.summary.text()
    assert licensing.history(loaded_db)[0].serial == 10  # the review wrote nothing
    load_and_wait(qtbot, dialog)
    assert license_prompts.informed == ["License loaded."]
    assert shown(console, CLIENT)[Model.ASSIGNABLE_ALLOWED] == "50"
    assert shown(console, CLIENT)[Model.CONCURRENT_ALLOWED] == "5"
    counts = allocation.key_counts(loaded_db, CLIENT)
    assert (counts.assignable_allowed, counts.concurrent_allowed) == (50, 5)
    assert [(h.serial, h.in_force) for h in licensing.history(loaded_db)] == [
        (11, True),
        (10, False),
    ]
    assert "serial 11" in console.license_label.text()


def test_a_smaller_then_a_larger_license_the_notes_follow(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    smaller = write(tmp_path, "s.I3Lic", signed(serial=11, licenses=(LicenseCount(CLIENT, 1, 0),)))
    dialog = choose_and_review(qtbot, console, license_prompts, smaller)
    over = "Client Access: Assignable over-allocated by 1 — remove 1"
    assert over in dialog.notes_label.text()
    assert change_row(dialog, "Client Access")[1:6] == ["3 → 1", "2 → 0", "2", "0", "fewer"]
    load_and_wait(qtbot, dialog)
    row = shown(console, CLIENT)
    assert row[Model.ASSIGNABLE_ALLOWED] == "1" and row[Model.ASSIGNABLE_CONFIGURED] == "2"
    assert row[Model.NOTES] == "Assignable over-allocated by 1 — remove 1"
    assert any(n.subject == "Client Access" for n in compliance.notes(loaded_db))
    notes = len(compliance.notes(loaded_db))
    assert status_notes(console) == f"Compliance notes: {notes}"
    assert len(users.list_users(loaded_db)) == 2  # nothing deleted (R27)

    larger = write(tmp_path, "b.I3Lic", signed(serial=12, licenses=(LicenseCount(CLIENT, 9, 0),)))
    dialog = choose_and_review(qtbot, console, license_prompts, larger)
    assert "creates no compliance notes" in dialog.notes_label.text()
    load_and_wait(qtbot, dialog)
    assert shown(console, CLIENT)[Model.NOTES] == ""
    assert not [n for n in compliance.notes(loaded_db) if n.subject == "Client Access"]


BAD_FILES = {
    "untrusted key": (
        lambda: issue_license(make(serial=11), STRANGER_PRIVATE, "stranger-1"),
        "R26",
        "not signed by a trusted key",
    ),
    "tampered": (lambda: tampered("assigned-count"), "R26", "altered after signing"),
    "wrong host": (
        lambda: signed(server=ServerInfo("HOST-9", "elsewhere"), switchover=None, serial=11),
        "R26",
        "HOST-9",
    ),
    "expired": (
        lambda: signed(
            license_type=LicenseType.TRIAL,
            serial=11,
            generated=TODAY - dt.timedelta(days=70),
            expires=TODAY - dt.timedelta(days=10),
        ),
        "R26",
        "expired on",
    ),
    "rollback": (lambda: signed(serial=9), "R27", "icense serial 9"),
    "garbage": (lambda: bytes(range(256)) * 4, "R26", "non-ASCII"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_each_bad_file_shows_its_refusal_and_changes_nothing(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
    kind: str,
) -> None:
    make_bytes, rule, fragment = BAD_FILES[kind]
    before = snapshot(loaded_db)
    dialog = choose_and_review(
        qtbot, console, license_prompts, write(tmp_path, "x.I3Lic", make_bytes())
    )
    assert dialog.refused
    text = dialog.refusal_label.text()
    assert text.endswith(f". ({rule})") and fragment in text and text[0].isupper(), text
    assert dialog.refusal_label.isVisible()
    assert not dialog.load_button.isVisible() and dialog.cancel_button.text() == "Close"
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert not dialog.isVisible()
    assert snapshot(loaded_db) == before
    assert license_prompts.informed == []


def test_cancel_at_the_review_changes_nothing(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    before = snapshot(loaded_db)
    path = write(tmp_path, "l.I3Lic", signed(serial=11))
    dialog = choose_and_review(qtbot, console, license_prompts, path)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert snapshot(loaded_db) == before
    assert license_prompts.informed == []
    license_prompts.files = []  # the file chooser cancelled: nothing opens
    choose_from_menu(qtbot, console, console.load_license_action)
    assert not any(d.isVisible() for d in console.findChildren(LoadLicenseReviewDialog))


def test_a_file_refused_between_the_review_and_load_shows_why(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "l.I3Lic", signed(serial=11))
    dialog = choose_and_review(qtbot, console, license_prompts, path)
    # Another administrator loads serial 12 meanwhile: serial 11 is now a rollback.
    licensing.load_license(loaded_db, signed(serial=12), TrustStore.from_public_key_files(PUBLIC))
    qtbot.mouseClick(dialog.load_button, LEFT)
    assert dialog.isVisible() and dialog.refused
    assert dialog.refusal_label.text().startswith("License serial 11")
    assert dialog.refusal_label.text().endswith("(R27)")
    assert licensing.history(loaded_db)[0].serial == 12
    assert license_prompts.informed == []


def drag_events(path: Path, mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    """The events Qt sends while a file is dragged from a file manager onto the window;
    the caller keeps `mime` alive, as Qt's drag does."""
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(300, 300), action, mime, buttons, modifiers)
    drop = QDropEvent(QPointF(300, 300), action, mime, buttons, modifiers)
    return enter, drop


# PySide6 marks QDragEnterEvent's only constructor deprecated (Qt deprecates the QPoint
# overload of QDropEvent's family in favour of QPointF, which QDragEnterEvent lacks).
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_dropping_a_license_file_on_the_window_starts_the_review(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    assert console.acceptDrops()
    other = tmp_path / "notes.txt"
    other.write_text("not a license")
    mime = QMimeData()
    enter, _ = drag_events(other, mime)
    QApplication.sendEvent(console, enter)
    assert not enter.isAccepted()

    path = tmp_path / "dropped.i3lic"  # any case of the extension
    path.write_bytes(signed(serial=11, licenses=(LicenseCount(CLIENT, 7, 0),)))
    mime = QMimeData()
    enter, drop = drag_events(path, mime)
    QApplication.sendEvent(console, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(console, drop)
    assert drop.isAccepted()
    dialog = review(qtbot, console)
    assert dialog.path == path
    load_and_wait(qtbot, dialog)
    assert license_prompts.informed == ["License loaded."]
    assert shown(console, CLIENT)[Model.ASSIGNABLE_ALLOWED] == "7"


class ScriptedFiles:
    """The console's FileChooser seam (dialogs/data_menu.py), scripted."""

    def __init__(self, *paths: str | None) -> None:
        self.paths = list(paths)
        self.asked: list[tuple[str, str]] = []

    def open_file(self, parent: object, title: str, file_filter: str) -> str | None:
        self.asked.append((title, file_filter))
        return self.paths.pop(0)

    def save_file(
        self, parent: object, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        path = self.open_file(parent, title, file_filter)
        return None if path is None else Chosen(path)


def test_the_file_chooser_seam_offers_license_files_then_all_files(
    qtbot: QtBot, console: MainWindow, loaded_db: Database, tmp_path: Path
) -> None:
    files = ScriptedFiles(None, write(tmp_path, "l.I3Lic", signed(serial=11)))
    assert start_load_license(console, chooser=files) is None  # cancelled: nothing opens
    dialog = start_load_license(console, chooser=files)
    assert dialog is not None and dialog is review(qtbot, console)
    title, file_filter = files.asked[0]
    assert title == "Load License"
    assert file_filter.startswith("License files (*.I3Lic") and "All files (*)" in file_filter
    dialog.reject()


def test_enter_at_the_review_cancels_and_changes_nothing(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    before = snapshot(loaded_db)
    path = write(tmp_path, "l.I3Lic", signed(serial=11))
    dialog = choose_and_review(qtbot, console, license_prompts, path)
    assert dialog.cancel_button.isDefault() and not dialog.load_button.isDefault()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert snapshot(loaded_db) == before
