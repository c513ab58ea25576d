"""Workgroup grants in the console (R32), by real clicks: License Configuration's Workgroup
Name lists, Workgroup Configuration's Licensing tab, the User Licensing tab's inherited
licenses, and undo and redo of a grant."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QTabWidget
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.dialogs.holder_picker import HolderPickerDialog, PickerRequest
from ia_licensing.dialogs.license_configuration import (
    CONCURRENT_TAB,
    LicenseConfigurationDialog,
)
from ia_licensing.dialogs.user_configuration import UserConfigurationDialog
from ia_licensing.dialogs.workgroup_editor import KEY_ROLE, WorkgroupEditor
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import allocation, license_configuration, users, workgroups
from tests.helpers.console import api_of
from tests.helpers.database import add_users, row, snapshot
from tests.helpers.fakes import ScriptedChooser, ScriptedPrompts
from tests.helpers.gui import click

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT = catalog.CLIENT_ACCESS  # Assignable Allowed 3, Concurrent Allowed 2
SOCIAL = catalog.ACD_SOCIAL_MEDIA  # no Concurrent licenses
LEFT = Qt.MouseButton.LeftButton


def configured(db: Database, key: str = CLIENT) -> tuple[int, int]:
    found = row(db, key)
    return found.assignable_configured, found.concurrent_configured


def support(db: Database, *members: str) -> None:
    workgroups.save_workgroup(db, "Support", ["call"], members, create=True)


def click_tab(qtbot: QtBot, tabs: QTabWidget, index: int) -> None:
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def click_name(qtbot: QtBot, view: QListView, name: str) -> None:
    model = view.model()
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        if index.data() == name:
            qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
            return
    raise AssertionError(f"{name} not listed")


def tick(qtbot: QtBot, widget: QListWidget, item: QListWidgetItem) -> None:
    """Click an item's check box, where an administrator would."""
    rect = widget.visualItemRect(item)
    where = QPoint(rect.left() + 10, rect.center().y())
    qtbot.mouseClick(widget.viewport(), LEFT, pos=where)


@pytest.fixture
def stack() -> QUndoStack:
    return QUndoStack()


def license_dialog(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    stack: QUndoStack | None = None,
    reports: list[str] | None = None,
) -> LicenseConfigurationDialog:
    dialog = LicenseConfigurationDialog(
        api_of(db),
        [CLIENT],
        CLIENT,
        prompts=prompts,
        choose_holders=chooser,
        undo_stack=stack,
        report=(reports if reports is not None else []).append,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the holders are read on a worker thread
    return dialog


def editor(qtbot: QtBot, db: Database, stack: QUndoStack | None = None) -> WorkgroupEditor:
    dialog = WorkgroupEditor(api_of(db), "Support", undo_stack=stack, report=lambda _m: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


# --- License Configuration ----------------------------------------------------------------


def test_grant_counts_each_pool_live_commits_and_undoes(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    stack: QUndoStack,
) -> None:
    add_users(db, "ann", "bob")
    add_users(db, "zed", method=Pool.CONCURRENT)
    support(db, "ann", "bob", "zed")
    dialog = license_dialog(qtbot, db, chooser, prompts, stack)
    chooser.next = ["Support"]
    qtbot.mouseClick(dialog.assignable_workgroups.add_button, LEFT)
    assert chooser.requests[-1].workgroups
    assert dialog.assignable_workgroups.names() == ["Support"]
    assert dialog.concurrent_workgroups.names() == ["Support"]  # one list on both tabs
    assert dialog.total_label.text() == "Total configured: 2"  # ann and bob
    click_tab(qtbot, dialog.tabs, CONCURRENT_TAB)
    assert dialog.total_label.text() == "Total configured: 1"  # zed
    with qtbot.waitSignal(dialog.committed):
        qtbot.mouseClick(dialog.apply_button, LEFT)
    assert configured(db) == (2, 1)
    assert users.get_user(db, "zed").inherited == {CLIENT: ("Support",)}
    assert stack.undoText() == "License Configuration - Client Access (add 1)"
    stack.undo()
    assert configured(db) == (0, 0)
    assert license_configuration.holders_of(db, CLIENT).workgroups == ()
    stack.redo()
    assert configured(db) == (2, 1)


def test_a_user_holding_it_both_ways_counts_once_in_the_dialog(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, prompts: ScriptedPrompts
) -> None:
    add_users(db, "ann", "bob")
    support(db, "ann", "bob")
    allocation.allocate(db, CLIENT, users=["ann"], workgroups=["Support"])
    dialog = license_dialog(qtbot, db, chooser, prompts)
    assert dialog.total_label.text() == "Total configured: 2"
    click_name(qtbot, dialog.assignable_users.view, "ann")
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    assert dialog.total_label.text() == "Total configured: 2"  # ann still holds it via Support
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert configured(db) == (2, 0)


def test_removing_the_grant_keeps_direct_holdings(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, prompts: ScriptedPrompts
) -> None:
    add_users(db, "ann", "bob")
    support(db, "ann", "bob")
    allocation.allocate(db, CLIENT, users=["ann"], workgroups=["Support"])
    dialog = license_dialog(qtbot, db, chooser, prompts)
    click_name(qtbot, dialog.assignable_workgroups.view, "Support")
    qtbot.mouseClick(dialog.assignable_workgroups.delete_button, LEFT)
    assert dialog.concurrent_workgroups.names() == []
    assert dialog.total_label.text() == "Total configured: 1"  # bob held it through Support alone
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert users.get_user(db, "ann").keys == (CLIENT,)
    assert configured(db) == (1, 0)


def test_a_grant_past_the_threshold_is_greyed_out_in_the_picker_naming_the_rule(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, prompts: ScriptedPrompts
) -> None:
    add_users(db, "ann", "bob", "cy", "dee")
    support(db, "ann", "bob")
    workgroups.save_workgroup(db, "Sales", ["call"], ["ann"], create=True)
    allocation.allocate(db, CLIENT, users=["cy", "dee"])  # 2 of 3
    before = snapshot(db)
    dialog = license_dialog(qtbot, db, chooser, prompts)
    request = PickerRequest(
        api_of(db),
        CLIENT,
        "Client Access",
        HolderKind.USER,
        Pool.ASSIGNABLE,
        dialog.change(),
        dialog.pending_configured(Pool.ASSIGNABLE),
        workgroups=True,
    )
    picker = HolderPickerDialog(request)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    assert picker.windowTitle() == "Add Workgroups - Client Access"
    assert picker.names() == ["Sales", "Support"]
    # Support's two members would make 4 of 3: greyed out, the rule in the tooltip.
    assert "(R4)" in picker.refused_names()["Support"]
    assert "Sales" not in picker.refused_names()
    click_name(qtbot, picker.list_view, "Support")
    assert picker.selected() == [] and not picker.ok_button.isEnabled()
    click_name(qtbot, picker.list_view, "Sales")
    assert [c.name for c in picker.selected()] == ["Sales"]
    assert snapshot(db) == before


# --- Workgroup Configuration ---------------------------------------------------------------


def test_licensing_tab_grants_by_a_click_and_undo_takes_it_back(
    qtbot: QtBot, db: Database, stack: QUndoStack
) -> None:
    add_users(db, "ann")
    support(db, "ann")
    dialog = editor(qtbot, db, stack)
    click_tab(qtbot, dialog.tabs, 1)
    found = next(
        dialog.licenses_list.item(i)
        for i in range(dialog.licenses_list.count())
        if dialog.licenses_list.item(i).data(KEY_ROLE) == CLIENT
    )
    tick(qtbot, dialog.licenses_list, found)
    assert dialog.licenses() == {CLIENT}
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert users.get_user(db, "ann").inherited == {CLIENT: ("Support",)}
    assert configured(db) == (1, 0)
    stack.undo()
    assert configured(db) == (0, 0) and workgroups.list_workgroups(db)[0].licenses == ()
    stack.redo()
    assert configured(db) == (1, 0)


def test_a_level_ticked_greys_out_the_other_levels(qtbot: QtBot, db: Database) -> None:
    support(db)
    dialog = editor(qtbot, db)
    click_tab(qtbot, dialog.tabs, 1)
    items = {
        dialog.licenses_list.item(i).data(KEY_ROLE): dialog.licenses_list.item(i)
        for i in range(dialog.licenses_list.count())
    }
    tick(qtbot, dialog.licenses_list, items[catalog.ACD_MEDIA_1])
    media_2 = items[catalog.ACD_MEDIA_2]
    assert not media_2.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "(R11)" in media_2.toolTip()


def test_a_new_member_over_the_threshold_is_refused_whole(qtbot: QtBot, db: Database) -> None:
    add_users(db, "ann", "bob", "cy", "dee")
    support(db, "ann", "bob", "cy")
    allocation.allocate(db, CLIENT, workgroups=["Support"])  # 3 of 3
    before = snapshot(db)
    dialog = editor(qtbot, db)
    dialog.member_edit.setText("dee")  # typing would pop up the completer
    qtbot.mouseClick(dialog.add_button, LEFT)
    assert dialog.members() == ["ann", "bob", "cy", "dee"]
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert dialog.problem.isVisible()
    assert "(R4)" in dialog.problem.text()
    assert dialog.problem.text().startswith("Adding dee to workgroup Support")
    assert snapshot(db) == before


def test_a_new_member_inherits_and_a_removed_member_releases(qtbot: QtBot, db: Database) -> None:
    add_users(db, "ann", "bob")
    support(db, "ann")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    dialog = editor(qtbot, db)
    dialog.member_edit.setText("bob")  # typing would pop up the completer
    qtbot.keyClick(dialog.member_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert users.get_user(db, "bob").inherited == {CLIENT: ("Support",)}
    assert configured(db) == (2, 0)
    item = dialog.members_list.findItems("ann", Qt.MatchFlag.MatchExactly)[0]
    rect = dialog.members_list.visualItemRect(item)
    qtbot.mouseClick(dialog.members_list.viewport(), LEFT, pos=rect.center())
    qtbot.mouseClick(dialog.remove_button, LEFT)
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert users.get_user(db, "ann").inherited == {}
    assert configured(db) == (1, 0)


# --- User Configuration's Licensing tab ----------------------------------------------------


def user_dialog(qtbot: QtBot, db: Database, name: str) -> UserConfigurationDialog:
    dialog = UserConfigurationDialog(api_of(db), [name], name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_an_inherited_license_is_ticked_greyed_and_says_which_workgroup(
    qtbot: QtBot, db: Database
) -> None:
    add_users(db, "ann")
    support(db, "ann")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    allocation.allocate(db, catalog.ACD_MEDIA_2, workgroups=["Support"])
    tab = user_dialog(qtbot, db, "ann").licensing
    check = tab.client_access_check
    assert check.isChecked() and not check.isEnabled()
    assert check.text().replace("&", "") == "Client Access License (from workgroup Support)"
    media_2 = tab.acd_radios[catalog.ACD_MEDIA_2]
    assert media_2.isChecked() and not media_2.isEnabled()
    assert not tab.acd_radios[catalog.ACD_MEDIA_1].isEnabled()  # one level per holder
    assert tab.settings().keys == frozenset()  # not the user's own: nothing to save
    assert not tab.is_dirty


def test_method_switch_with_grants(qtbot: QtBot, db: Database) -> None:
    add_users(db, "ann")
    support(db, "ann")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    dialog = user_dialog(qtbot, db, "ann")
    click(qtbot, dialog.licensing.concurrent_radio)
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert configured(db) == (0, 1)  # the inherited key moved with the method
    click(qtbot, dialog.licensing.assignable_radio)
    qtbot.mouseClick(dialog.apply_button, LEFT)
    allocation.allocate(db, SOCIAL, workgroups=["Support"])  # no Concurrent licenses
    dialog.load("ann")
    radio = dialog.licensing.concurrent_radio
    assert not radio.isEnabled() and "(R16)" in radio.toolTip()
