"""Driving the console in GUI tests: clicks, list items, the status bar, the review dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QWidget,
)
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


# --- real input for menus, context menus and table rows --------------------------------


def choose_from_menu(qtbot: QtBot, window: QMainWindow, action: QAction) -> None:
    """Click the menu bar's title of the menu holding `action`, then the action in the menu
    that pops up, as an administrator would."""
    bar = window.menuBar()
    menu = next(
        m.menu()
        for m in bar.actions()
        if isinstance(m.menu(), QMenu) and action in m.menu().actions()  # type: ignore[union-attr]
    )
    assert isinstance(menu, QMenu)
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center()
    )
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def press_shortcut(qtbot: QtBot, window: QWidget, keys: QKeySequence) -> None:
    """Type a key sequence (Ctrl+Z, F5 …) on the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    combination = keys[0]
    qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())


def double_click_row(qtbot: QtBot, table: QAbstractItemView, row: int, column: int = 0) -> None:
    index = table.model().index(row, column)
    table.scrollTo(index)
    where = table.visualRect(index).center()
    # A double-click is a click and then a second press that the system reports as the
    # double-click (QTest's mouseDClick sends only that second half).
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)


def choose_from_context_menu(
    qtbot: QtBot, table: QAbstractItemView, row: int, action: QAction
) -> None:
    """Right-click a row (a selected row keeps the selection, another is selected), then
    click `action` in the menu that pops up."""
    index = table.model().index(row, 0)
    table.scrollTo(index)
    where = table.visualRect(index).center()
    clicked: list[bool] = []

    def click_in_menu() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu) and action in menu.actions():
            qtbot.mouseClick(
                menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
            )
            clicked.append(True)
        else:
            QTimer.singleShot(10, click_in_menu)

    QTimer.singleShot(0, click_in_menu)  # the menu's exec() blocks until it is answered
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.RightButton, pos=where)
    menu_event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, table.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(table.viewport(), menu_event)
    assert clicked, "the context menu did not offer the action"


def press_key(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    """Press a key with `widget` focused in the active window, so that the shortcuts of
    its container (Insert, Delete …) see it as a user's key press would be seen."""
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, key)
