"""Driving the console in GUI tests: clicks, list items, the status bar, the review dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QListWidgetItem, QPushButton
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow
from ia_licensing.dialogs.licensing_tab import KEY_ROLE, LicensingTab
from ia_licensing.dialogs.load_license import LoadLicenseReviewDialog


def status_notes(window: MainWindow) -> str:
    """The status bar's note count once every count requested so far has arrived (they
    are counted off the GUI thread: views/notes_counter.py)."""
    window.notes_counter.wait()
    QCoreApplication.processEvents()  # delivers the queued result
    return window.notes_label.text()


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a button where a user would: a check box or radio button only takes clicks on
    its indicator and text, not on the empty rest of a wide row."""
    where = button.rect().center()
    if not isinstance(button, QPushButton):
        where = QPoint(8, button.height() // 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=where)


def item(tab: LicensingTab, key: str) -> QListWidgetItem:
    for i in range(tab.additional_list.count()):
        found = tab.additional_list.item(i)
        if found.data(KEY_ROLE) == key:
            return found
    raise AssertionError(f"{key} not listed")


def listed(tab: LicensingTab) -> set[str]:
    return {tab.additional_list.item(i).data(KEY_ROLE) for i in range(tab.additional_list.count())}


# --- License Management and Load License: reaching the review dialog ----------------------


def review(qtbot: QtBot, window: MainWindow) -> LoadLicenseReviewDialog:
    """The review dialog now open (a closed one may linger until Qt deletes it)."""

    def open_reviews() -> list[LoadLicenseReviewDialog]:
        return [d for d in window.findChildren(LoadLicenseReviewDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(open_reviews()) == 1)
    dialog = open_reviews()[0]
    qtbot.waitExposed(dialog)
    return dialog


def load_and_wait(qtbot: QtBot, dialog: LoadLicenseReviewDialog) -> None:
    with qtbot.waitSignal(dialog.loaded):
        qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
