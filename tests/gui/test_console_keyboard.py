"""The console's keyboard, as Windows administration tools have it: Tab leaves a table, F6
moves between the tree and the container, Ctrl+F finds, Shift+F10 opens the context menu,
F1 helps with the screen in view, Ctrl+Y redoes. Real key presses only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.models import Database
from ia_licensing.services import allocation
from ia_licensing.services import license_configuration as lc
from ia_licensing.views.stations_view import StationsView
from tests.helpers.database import add_stations, add_users
from tests.helpers.gui import press_shortcut

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def stations(qtbot: QtBot, window: MainWindow) -> StationsView:
    window.show_container(Container.STATIONS)
    page = window.page(Container.STATIONS)
    assert isinstance(page, StationsView)
    qtbot.waitExposed(page)
    return page


def focus(qtbot: QtBot, widget: object) -> None:
    widget.window().activateWindow()  # type: ignore[attr-defined]
    widget.setFocus()  # type: ignore[attr-defined]
    qtbot.waitUntil(widget.hasFocus)  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab])
def test_tab_and_shift_tab_leave_the_table(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, key: Qt.Key
) -> None:
    add_stations(licensed_db, "s1", "s2")
    window.refresh()
    page = stations(qtbot, window)
    page.select_key("s1")
    focus(qtbot, page.table)
    qtbot.keyClick(page.table, key)
    qtbot.waitUntil(lambda: not page.table.hasFocus())


def test_f6_moves_between_the_tree_and_the_container(qtbot: QtBot, window: MainWindow) -> None:
    page = stations(qtbot, window)
    focus(qtbot, window.tree)
    qtbot.keyClick(window.tree, Qt.Key.Key_F6)
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    qtbot.waitUntil(window.tree.hasFocus)


def test_ctrl_f_goes_to_the_filter(qtbot: QtBot, window: MainWindow) -> None:
    page = stations(qtbot, window)
    focus(qtbot, page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.filter_edit.hasFocus)


def test_shift_f10_opens_the_context_menu_of_the_current_row(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "s1")
    window.refresh()
    page = stations(qtbot, window)
    page.select_key("s1")
    focus(qtbot, page.table)
    seen: list[list[str]] = []

    def close_menu() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append([a.text() for a in menu.actions() if a.text()])
            menu.close()
        else:
            QTimer.singleShot(10, close_menu)

    QTimer.singleShot(0, close_menu)
    qtbot.keyClick(page.table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][:3] == ["&Open...", "&Insert...", "&Delete"]


def help_box(qtbot: QtBot) -> QMessageBox:
    def shown() -> list[QMessageBox]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "helpBox" and w.isVisible()
        ]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    return shown()[0]


def test_f1_helps_with_the_container_in_view(qtbot: QtBot, window: MainWindow) -> None:
    page = stations(qtbot, window)
    focus(qtbot, page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_F1)
    box = help_box(qtbot)
    assert box.windowTitle() == "Help - Stations"
    assert "Add Station wizard" in box.text()
    box.close()


def test_f1_in_a_dialog_helps_with_that_dialog(qtbot: QtBot, window: MainWindow) -> None:
    window.licenses_allocation.select_key(catalog.CLIENT_ACCESS)
    focus(qtbot, window.licenses_allocation.table)
    qtbot.keyClick(window.licenses_allocation.table, Qt.Key.Key_Return)
    dialog = window.license_configuration_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_F1)
    box = help_box(qtbot)
    assert box.windowTitle() == "Help - Licenses Allocation ▸ License Configuration"
    box.close()
    dialog.reject()


def test_ctrl_y_redoes(qtbot: QtBot, window: MainWindow, licensed_db: Database) -> None:
    add_users(licensed_db, "alice")
    allocation.allocate(licensed_db, catalog.CLIENT_ACCESS, users=["alice"])
    window.refresh()
    window.licenses_allocation.select_key(catalog.CLIENT_ACCESS)
    focus(qtbot, window.licenses_allocation.table)
    qtbot.keyClick(window.licenses_allocation.table, Qt.Key.Key_Return)
    dialog = window.license_configuration_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the holders are read on a worker thread
    dialog.assignable_users.select_names(["alice"])
    qtbot.mouseClick(dialog.assignable_users.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.license_configuration_dialog is None)

    def holders() -> list[str]:
        return [h.name for h in lc.holders_of(licensed_db, catalog.CLIENT_ACCESS).assignable_users]

    press_shortcut(qtbot, window, window.undo_action.shortcut())
    assert holders() == ["alice"]
    press_shortcut(qtbot, window, QKeySequence("Ctrl+Y"))
    assert holders() == []
