"""The Workgroups container and Workgroup Configuration: interaction types, members, and
R18 notes that follow every edit at once (R19)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.catalog import InteractionType
from ia_licensing.containers import Container
from ia_licensing.dialogs.workgroup_editor import WorkgroupEditor
from ia_licensing.models import Database
from ia_licensing.services import compliance, read_models, users, workgroups
from ia_licensing.views.workgroups_table_model import WorkgroupsTableModel
from ia_licensing.views.workgroups_view import WorkgroupsView
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from tests.helpers.console import api_of
from tests.helpers.database import add_users
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click, press_key, press_shortcut, status_notes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

Model = WorkgroupsTableModel
CALL, CHAT, EMAIL = InteractionType.CALL, InteractionType.CHAT, InteractionType.EMAIL


def agents(db: Database) -> None:
    """ann: Media 1; bob: Media 3 Plus; cy: no ACD Access."""
    users.add_user(db, "ann", keys=frozenset({catalog.ACD_MEDIA_1}))
    users.add_user(db, "bob", keys=frozenset({catalog.ACD_MEDIA_3}))
    add_users(db, "cy")


def editor_for(qtbot: QtBot, db: Database, name: str | None) -> WorkgroupEditor:
    editor = WorkgroupEditor(api_of(db), name)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def r18_subjects(db: Database) -> list[str]:
    return [n.subject for n in compliance.notes(db) if n.rule == "R18"]


def test_model_passes_qtmodeltester(qtmodeltester, qapp, db: Database) -> None:  # type: ignore[no-untyped-def]
    agents(db)
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    workgroups.add_workgroup(db, "Sales", ["call"])
    model = Model()
    model.set_rows(read_models.workgroup_rows(db))
    qtmodeltester.check(model)
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.MEMBERS)
    qtmodeltester.check(proxy)
    row = [str(model.index(model.row_of("Support"), c).data()) for c in range(4)]
    assert row == [
        "Support",
        "Call/Callback, Chat",
        "1",
        "1 member needs more ACD media (R18)",
    ]
    align = Qt.ItemDataRole.TextAlignmentRole
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, Model.MEMBERS).data(align) == right  # a count, as in IA
    assert model.index(0, Model.NAME).data(align) is None


def test_a_new_workgroup_with_types_and_members(qtbot: QtBot, db: Database) -> None:
    agents(db)
    editor = editor_for(qtbot, db, None)
    assert editor.windowTitle() == "Workgroup Configuration - New Workgroup"
    qtbot.keyClicks(editor.name_edit, "Support")
    click(qtbot, editor.type_checks[CALL])
    click(qtbot, editor.type_checks[EMAIL])
    for name in ("bob", "ann"):
        editor.member_edit.setText(name)  # typing would pop up the completer
        click(qtbot, editor.add_button)
    assert editor.members() == ["ann", "bob"]
    # R19: ann (Media 1) cannot take two types; the note is there before OK.
    assert editor.member_notes() == [
        "ann: ACD Media 1 allows 1 interaction type but the user's workgroups route 2 "
        "(Call/Callback, Email); ACD interaction types are limited (R18)"
    ]
    assert editor.notes_label.isVisible()
    click(qtbot, editor.ok_button)
    [saved] = workgroups.list_workgroups(db)
    assert (saved.name, saved.interaction_types, saved.members) == (
        "Support",
        (CALL, EMAIL),
        ("ann", "bob"),
    )
    assert r18_subjects(db) == ["ann"]


def test_unticking_a_type_clears_the_note_at_once(qtbot: QtBot, db: Database) -> None:
    agents(db)
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    editor = editor_for(qtbot, db, "Support")
    assert editor.notes_label.isVisible()
    click(qtbot, editor.type_checks[CHAT])
    assert editor.member_notes() == [] and not editor.notes_label.isVisible()
    click(qtbot, editor.apply_button)
    assert r18_subjects(db) == []


def test_other_workgroups_count_for_a_member(qtbot: QtBot, db: Database) -> None:
    agents(db)
    workgroups.add_workgroup(db, "Chat", ["chat"])
    workgroups.add_member(db, "Chat", "ann")
    workgroups.add_workgroup(db, "Calls", ["call"])
    editor = editor_for(qtbot, db, "Calls")
    editor.member_edit.setText("ann")  # typing would pop up the completer
    click(qtbot, editor.add_button)
    assert "route 2 (Call/Callback, Chat)" in editor.member_notes()[0]


def test_a_member_without_acd_access_gets_a_note(qtbot: QtBot, db: Database) -> None:
    agents(db)
    workgroups.add_workgroup(db, "Sales", ["call"])
    editor = editor_for(qtbot, db, "Sales")
    editor.member_edit.setText("cy")  # typing would pop up the completer
    click(qtbot, editor.add_button)
    assert editor.member_notes() == [
        "cy: member of workgroups routing Call/Callback but has no ACD Access (R18)"
    ]


def test_removing_a_member_saves_and_clears_the_note(qtbot: QtBot, db: Database) -> None:
    agents(db)
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    workgroups.add_member(db, "Support", "bob")
    editor = editor_for(qtbot, db, "Support")
    editor.members_list.item(0).setSelected(True)
    click(qtbot, editor.remove_button)
    assert editor.members() == ["bob"] and editor.member_notes() == []
    click(qtbot, editor.ok_button)
    assert workgroups.list_workgroups(db)[0].members == ("bob",)
    assert r18_subjects(db) == []


def test_refusals_are_shown(qtbot: QtBot, db: Database) -> None:
    agents(db)
    editor = editor_for(qtbot, db, None)
    editor.member_edit.setText("nobody")  # typing would pop up the completer
    click(qtbot, editor.add_button)
    assert editor.problem.text() == "There is no user named 'nobody'"
    qtbot.keyClicks(editor.name_edit, "Empty")
    click(qtbot, editor.ok_button)
    assert editor.isVisible()
    assert editor.problem.text() == "A workgroup queue routes at least one interaction type."
    assert workgroups.list_workgroups(db) == []


def test_the_container_shows_notes_and_the_status_bar_follows(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    agents(licensed_db)
    workgroups.add_workgroup(licensed_db, "Support", ["call", "chat"])
    workgroups.add_member(licensed_db, "Support", "ann")
    window.show_container(Container.WORKGROUPS)
    view = window.page(Container.WORKGROUPS)
    assert isinstance(view, WorkgroupsView)
    window.refresh()
    view.select_name("Support")
    assert view.notes_label.isVisible() and "ann:" in view.notes_label.text()
    before = status_notes(window)
    press_key(qtbot, view.table, Qt.Key.Key_Return)
    editor = view.editor
    assert editor is not None
    click(qtbot, editor.type_checks[CHAT])
    click(qtbot, editor.ok_button)
    assert not view.notes_label.isVisible()
    assert view.model.index(0, Model.NOTES).data() == ""
    assert status_notes(window) != before  # one R18 note fewer


def test_insert_and_delete_in_the_container(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    workgroups.add_workgroup(licensed_db, "Sales", ["call"])
    window.show_container(Container.WORKGROUPS)
    view = window.page(Container.WORKGROUPS)
    assert isinstance(view, WorkgroupsView)
    window.refresh()
    view.table.setFocus()
    press_key(qtbot, view.table, Qt.Key.Key_Insert)
    assert view.editor is not None and view.editor.windowTitle().endswith("New Workgroup")
    view.editor.reject()
    view.select_name("Sales")
    prompts.confirm_answers = [True]
    view.table.setFocus()
    press_key(qtbot, view.table, Qt.Key.Key_Delete)
    assert prompts.confirmed == [
        "Delete workgroup Sales? Its members stay; their R18 notes are re-evaluated."
    ]
    assert workgroups.list_workgroups(licensed_db) == []
    assert view.model.rowCount() == 0


def test_every_button_is_named(qtbot: QtBot, db: Database) -> None:
    editor = editor_for(qtbot, db, None)
    for button in editor.findChildren(QAbstractButton):
        assert button.objectName() and button.accessibleName(), button.text()


def test_workgroup_saves_are_undone_and_redone_from_the_edit_menu(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    agents(licensed_db)
    window.show_container(Container.WORKGROUPS)
    view = window.page(Container.WORKGROUPS)
    assert isinstance(view, WorkgroupsView)

    def stored() -> list[tuple[str, tuple[InteractionType, ...], tuple[str, ...]]]:
        return [
            (w.name, w.interaction_types, w.members)
            for w in workgroups.list_workgroups(licensed_db)
        ]

    press_key(qtbot, view.table, Qt.Key.Key_Insert)
    editor = view.editor
    assert editor is not None
    qtbot.keyClicks(editor.name_edit, "Support")
    click(qtbot, editor.type_checks[CALL])
    editor.member_edit.setText("ann")
    click(qtbot, editor.add_button)
    click(qtbot, editor.ok_button)
    view.open_editor("Support")
    editor = view.editor
    assert editor is not None
    click(qtbot, editor.type_checks[EMAIL])
    editor.member_edit.setText("bob")
    click(qtbot, editor.add_button)
    click(qtbot, editor.ok_button)
    assert stored() == [("Support", (CALL, EMAIL), ("ann", "bob"))]
    assert window.undo_stack.undoText() == "Workgroup Configuration - Support"
    press_shortcut(qtbot, window, window.undo_action.shortcut())  # the edit
    assert stored() == [("Support", (CALL,), ("ann",))]
    press_shortcut(qtbot, window, window.undo_action.shortcut())  # the creation
    assert stored() == []
    assert view.model.rowCount() == 0
    press_shortcut(qtbot, window, window.redo_action.shortcut())
    press_shortcut(qtbot, window, window.redo_action.shortcut())
    assert stored() == [("Support", (CALL, EMAIL), ("ann", "bob"))]
    assert view.model.names() == ["Support"]
