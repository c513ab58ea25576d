"""The Users container: table model, Insert (name and method), Delete, double-click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.dialogs.user_configuration import AddUserDialog, UserConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, users, workgroups
from ia_licensing.views.users_table_model import UsersTableModel, users_feed
from ia_licensing.views.users_view import UsersView
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from tests.helpers.console import api_of
from tests.helpers.database import add_users
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import press_key, press_shortcut, status_notes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

Model = UsersTableModel
CLIENT = catalog.CLIENT_ACCESS


def users_view(window: MainWindow) -> UsersView:
    window.show_container(Container.USERS)
    page = window.page(Container.USERS)
    assert isinstance(page, UsersView)
    page.refresh()
    return page


def test_model_passes_qtmodeltester(qtmodeltester, qapp, db: Database) -> None:  # type: ignore[no-untyped-def]
    add_users(db, "ann", "bob")
    users.add_user(db, "cy", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    workgroups.add_workgroup(db, "Support", ["call"])
    workgroups.add_member(db, "Support", "ann")  # an R18 note: no ACD Access
    feed = users_feed(api_of(db))
    feed.reload()
    model = feed.model
    qtmodeltester.check(model)
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.LICENSE_ALLOCATION_METHOD)
    qtmodeltester.check(proxy)


def test_columns_and_rows_match_the_database(qapp: object, db: Database) -> None:
    users.add_user(
        db,
        "cy",
        Pool.CONCURRENT,
        keys=frozenset({CLIENT, catalog.ACD_MEDIA_2, "MSCRM_INTEGRATION"}),
    )
    users.add_user(db, "dee", licenses_enabled=False)
    workgroups.add_workgroup(db, "Support", ["call", "chat", "email"])
    workgroups.add_member(db, "Support", "cy")
    feed = users_feed(api_of(db))
    feed.reload()
    model = feed.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Name",
        "License Allocation Method",
        "Enable Licenses",
        "Client Access",
        "ACD Level",
        "Additional Licenses",
    ]
    cy = [str(model.index(0, c).data()) for c in range(model.columnCount())]
    assert cy == ["cy", "Concurrent", "Yes", "Yes", "Media 2", "Arbitrary: MSCRM_INTEGRATION"]
    assert model.index(1, Model.ENABLE_LICENSES).data() == "No"
    tooltip = model.index(0, Model.NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "ACD Media 2 allows 2 interaction types" in tooltip  # R18


def test_insert_asks_for_name_and_method_then_opens_user_configuration(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    view = users_view(window)
    view.table.setFocus()
    press_key(qtbot, view.table, Qt.Key.Key_Insert)
    dialog = view.add_dialog
    assert isinstance(dialog, AddUserDialog)
    qtbot.keyClicks(dialog.name_edit, "newcomer")
    dialog.concurrent_radio.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert users.get_user(licensed_db, "newcomer").method is Pool.CONCURRENT
    assert view.model.names() == ["newcomer"]
    configuration = view.configuration_dialog
    assert isinstance(configuration, UserConfigurationDialog)
    assert configuration.windowTitle() == "User Configuration - newcomer"
    assert configuration.licensing.concurrent_radio.isChecked()
    configuration.cancel()


def test_insert_refuses_a_name_in_use(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann")
    view = users_view(window)
    press_key(qtbot, view.table, Qt.Key.Key_Insert)
    dialog = view.add_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "ANN")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problem.text() == "A user named 'ANN' already exists."
    dialog.reject()


def test_double_click_opens_user_configuration(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann", "bob")
    view = users_view(window)
    view.select_name("bob")
    rect = view.table.visualRect(view.table.currentIndex())
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.configuration_dialog is not None
    assert view.configuration_dialog.windowTitle() == "User Configuration - bob"
    view.configuration_dialog.cancel()


def test_delete_asks_then_removes_and_releases(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    add_users(licensed_db, "ann", "bob")
    allocation.allocate(licensed_db, CLIENT, users=["ann", "bob"])
    view = users_view(window)
    view.select_names(["ann", "bob"])
    prompts.confirm_answers = [True]
    view.table.setFocus()
    press_key(qtbot, view.table, Qt.Key.Key_Delete)
    assert prompts.confirmed[0].startswith("Delete 2 users?")
    assert users.list_users(licensed_db) == []
    assert view.count_label.text() == "0 users"
    row = next(r for r in allocation.allocations(licensed_db) if r.key == CLIENT)
    assert row.assignable_configured == 0  # R15


def test_a_commit_in_user_configuration_repaints_the_row_and_the_status_bar(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann")
    workgroups.add_workgroup(licensed_db, "Sales", ["call"])
    workgroups.add_member(licensed_db, "Sales", "ann")
    window.refresh()
    before = status_notes(window)
    view = users_view(window)
    view.open_configuration("ann")
    dialog = view.configuration_dialog
    assert dialog is not None
    dialog.licensing.acd_check.setChecked(True)  # Media 1 covers one type: the note goes
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert view.model.index(0, Model.ACD_LEVEL).data() == "Media 1"
    assert status_notes(window) != before


def test_user_configuration_saves_are_undone_and_redone_from_the_edit_menu(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann")
    view = users_view(window)
    view.open_configuration("ann")
    dialog = view.configuration_dialog
    assert dialog is not None
    dialog.licensing.acd_check.setChecked(True)
    dialog.licensing.concurrent_radio.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    ann = users.get_user(licensed_db, "ann")
    assert (ann.keys, ann.method) == ((catalog.ACD_MEDIA_1,), Pool.CONCURRENT)
    assert window.undo_action.isEnabled()
    assert window.undo_stack.undoText() == "User Configuration - ann"
    press_shortcut(qtbot, window, window.undo_action.shortcut())
    ann = users.get_user(licensed_db, "ann")
    assert (ann.keys, ann.method) == ((), Pool.ASSIGNABLE)
    assert view.model.index(view.model.row_of("ann"), Model.ACD_LEVEL).data() == ""
    press_shortcut(qtbot, window, window.redo_action.shortcut())
    ann = users.get_user(licensed_db, "ann")
    assert (ann.keys, ann.method) == ((catalog.ACD_MEDIA_1,), Pool.CONCURRENT)
    assert view.model.index(view.model.row_of("ann"), Model.ACD_LEVEL).data() == "Media 1"
