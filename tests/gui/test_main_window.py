"""The console's main window: create_main_window, containers, status bar, undo and redo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMainWindow,
    QTableView,
    QTabWidget,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from ia_licensing import catalog
from ia_licensing.app import LAST_CONTAINER, MainWindow, create_main_window
from ia_licensing.containers import Container
from ia_licensing.dialogs.license_configuration import LicenseConfigurationDialog
from ia_licensing.models import Database, Entitlement
from ia_licensing.services import allocation, compliance
from ia_licensing.services import license_configuration as lc
from ia_licensing.views.licenses_allocation_table_model import LicensesAllocationTableModel
from ia_licensing.views.stations_view import StationsView
from tests.helpers.database import add_stations, add_users
from tests.helpers.fakes import ScriptedChooser, ScriptedPrompts
from tests.helpers.gui import press_shortcut, status_notes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

Model = LicensesAllocationTableModel
CLIENT = catalog.CLIENT_ACCESS
LEFT = Qt.MouseButton.LeftButton


def shown_row(window: MainWindow, key: str) -> list[str]:
    model = window.licenses_allocation.model
    row = model.row_of(key)
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def open_dialog(qtbot: QtBot, window: MainWindow, key: str = CLIENT) -> LicenseConfigurationDialog:
    window.licenses_allocation.select_key(key)
    window.licenses_allocation.table.setFocus()
    qtbot.keyClick(window.licenses_allocation.table, Qt.Key.Key_Return)
    dialog = window.license_configuration_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the holders are read on a worker thread
    return dialog


def test_create_main_window_opens_on_the_database(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    assert isinstance(window, QMainWindow) and window.isVisible()
    assert QApplication.instance() is not None
    assert window.windowTitle() == "IA Licensing console - ic-test"
    assert window.current_container is Container.LICENSES_ALLOCATION
    assert window.stack.currentWidget() is window.licenses_allocation
    table = window.findChild(QTableView, "licensesAllocationTable")
    assert table is not None and table.isVisible()
    rows = allocation.allocations(licensed_db)
    assert table.model().rowCount() == len(rows)
    assert shown_row(window, CLIENT) == ["Client Access", "3", "0", "2", "0", "0", ""]
    assert "ic-test" in window.server_label.text()
    assert "HOST-1" in window.server_label.text()
    assert window.license_label.text().startswith("License: Production (serial 1)")
    notes = len(compliance.notes(licensed_db))
    assert status_notes(window) == f"Compliance notes: {notes}"


def test_every_widget_that_matters_has_names(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    for top in (window, dialog):
        views = [*top.findChildren(QTableView), *top.findChildren(QTreeWidget)]
        for widget in [top, *views, *top.findChildren(QTabWidget)]:
            assert widget.objectName() and widget.accessibleName(), widget
    for button in dialog.findChildren(QAbstractButton):
        if button.parent() is not None and button.isVisibleTo(dialog) and button.text():
            assert button.objectName() and button.accessibleName(), button.text()
    dialog.cancel()


def test_start_up_rewrites_forged_allowed_counts(
    qtbot: QtBot, licensed_db: Database, db_path: Path, settings: QSettings
) -> None:
    with licensed_db.write() as session:
        session.execute(update(Entitlement).where(Entitlement.key == CLIENT).values(assigned=999))
    window = create_main_window(str(db_path), settings=settings)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert shown_row(window, CLIENT)[Model.ASSIGNABLE_ALLOWED] == "3"
    assert "rewritten" in window.statusBar().currentMessage()
    assert allocation.key_counts(licensed_db, CLIENT).assignable_allowed == 3
    window.close()
    window.db.close()


def test_enter_opens_license_configuration_and_apply_refreshes_the_row(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, chooser: ScriptedChooser
) -> None:
    add_users(licensed_db, "alice")
    add_stations(licensed_db, "s1")
    dialog = open_dialog(qtbot, window)
    assert dialog.windowTitle() == "License Configuration - Client Access"
    chooser.next = ["alice"]
    qtbot.mouseClick(dialog.assignable_users.add_button, LEFT)
    chooser.next = ["s1"]
    qtbot.mouseClick(dialog.stations.add_button, LEFT)
    changed: list[int] = []
    window.licenses_allocation.model.dataChanged.connect(lambda top, *_: changed.append(top.row()))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: window.license_configuration_dialog is None)
    assert shown_row(window, CLIENT)[Model.ASSIGNABLE_CONFIGURED] == "2"
    assert changed == [window.licenses_allocation.model.row_of(CLIENT)]  # one row repainted
    assert allocation.key_counts(licensed_db, CLIENT).assignable_configured == 2
    assert window.undo_action.isEnabled()
    assert "Client Access" in window.undo_action.text()


def test_undo_and_redo_go_through_the_services(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, chooser: ScriptedChooser
) -> None:
    add_users(licensed_db, "alice", "bob")
    allocation.allocate(licensed_db, CLIENT, users=["alice"])
    window.refresh()
    dialog = open_dialog(qtbot, window)
    dialog.assignable_users.select_names(["alice"])
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    chooser.next = ["bob"]
    qtbot.mouseClick(dialog.assignable_users.add_button, LEFT)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: window.license_configuration_dialog is None)

    def holders() -> list[str]:
        return [h.name for h in lc.holders_of(licensed_db, CLIENT).assignable_users]

    assert holders() == ["bob"]
    press_shortcut(qtbot, window, window.undo_action.shortcut())
    assert holders() == ["alice"]
    assert shown_row(window, CLIENT)[Model.ASSIGNABLE_CONFIGURED] == "1"
    assert window.redo_action.isEnabled()
    press_shortcut(qtbot, window, window.redo_action.shortcut())
    assert holders() == ["bob"]
    assert window.undo_stack.count() == 1


def test_undo_refused_now_is_reported_and_leaves_the_stack(
    qtbot: QtBot,
    window: MainWindow,
    licensed_db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
) -> None:
    add_users(licensed_db, "a", "b", "c", "d")
    allocation.allocate(licensed_db, CLIENT, users=["a", "b", "c"])
    dialog = open_dialog(qtbot, window)
    dialog.assignable_users.select_names(["a"])
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: window.license_configuration_dialog is None)
    allocation.allocate(licensed_db, CLIENT, users=["d"])  # another administrator fills it
    press_shortcut(qtbot, window, window.undo_action.shortcut())
    assert prompts.errors and "R4" in prompts.errors[0]
    assert window.undo_stack.count() == 0
    assert [h.name for h in lc.holders_of(licensed_db, CLIENT).assignable_users] == ["b", "c", "d"]


def test_the_last_container_is_remembered(
    qtbot: QtBot, window: MainWindow, db_path: Path, settings: QSettings
) -> None:
    window.show_container(Container.STATIONS)
    assert isinstance(window.stack.currentWidget(), StationsView)
    window.resize(700, 500)  # within the offscreen screen, which restoreGeometry respects
    window.close()
    assert settings.value(LAST_CONTAINER) == "Stations"
    again = create_main_window(str(db_path), settings=settings)
    assert isinstance(again, MainWindow)
    qtbot.addWidget(again)
    assert again.current_container is Container.STATIONS
    assert (again.width(), again.height()) == (700, 500)
    again.close()
    again.db.close()


def test_f5_refreshes_counts_changed_elsewhere(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "s1")
    allocation.allocate(licensed_db, catalog.BASIC_STATION, stations=["s1"])
    assert shown_row(window, catalog.BASIC_STATION)[Model.ASSIGNABLE_CONFIGURED] == "0"
    window.licenses_allocation.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert shown_row(window, catalog.BASIC_STATION)[Model.ASSIGNABLE_CONFIGURED] == "1"
    assert status_notes(window) == f"Compliance notes: {len(compliance.notes(licensed_db))}"
