"""License Configuration - <name>: the real dialog, its pending edits and what reaches the db."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.dialogs.holder_picker import HolderPickerDialog, PickerRequest
from ia_licensing.dialogs.license_configuration import (
    CONCURRENT_TAB,
    LicenseConfigurationDialog,
)
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import allocation
from ia_licensing.services import license_configuration as lc
from ia_licensing.widgets.prompts import SaveAnswer
from tests.helpers.console import api_of
from tests.helpers.database import add_stations, add_users, snapshot
from tests.helpers.fakes import ScriptedChooser, ScriptedPrompts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT = catalog.CLIENT_ACCESS
BASIC = catalog.BASIC_STATION
LEFT = Qt.MouseButton.LeftButton
Opener = Callable[..., LicenseConfigurationDialog]


@pytest.fixture
def open_dialog(
    qtbot: QtBot, db: Database, prompts: ScriptedPrompts, chooser: ScriptedChooser
) -> Opener:
    def opener(key: str = CLIENT, keys: list[str] | None = None) -> LicenseConfigurationDialog:
        order = keys if keys is not None else [r.key for r in allocation.allocations(db)]
        dialog = LicenseConfigurationDialog(
            api_of(db), order, key, prompts=prompts, choose_holders=chooser
        )
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.is_loaded)  # the holders are read on a worker thread
        return dialog

    return opener


def add_via_button(qtbot: QtBot, chooser: ScriptedChooser, button: object, *names: str) -> None:
    chooser.next = list(names)
    qtbot.mouseClick(button, LEFT)  # type: ignore[arg-type]


def stored(db: Database, key: str = CLIENT) -> lc.KeyHolders:
    return lc.holders_of(db, key)


def names(holders: tuple[lc.Holder, ...]) -> list[str]:
    return [h.name for h in holders]


def test_adding_users_and_stations_updates_total_configured_live(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "alice", "bob")
    add_stations(db, "s1")
    dialog = open_dialog()
    assert dialog.windowTitle() == "License Configuration - Client Access"
    assert dialog.number_label.text() == "Number of licenses: 3"
    assert dialog.total_label.text() == "Total configured: 0"
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice", "bob")
    assert dialog.assignable_users.names() == ["alice", "bob"]
    assert dialog.total_label.text() == "Total configured: 2"
    add_via_button(qtbot, chooser, dialog.stations.add_button, "s1")
    assert dialog.stations.names() == ["s1"]
    assert dialog.total_label.text() == "Total configured: 3"
    # Pending only: nothing is written before Apply.
    assert stored(db).assignable_users == ()
    dialog.assignable_users.select_names(["bob"])
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    assert dialog.assignable_users.names() == ["alice"]
    assert dialog.total_label.text() == "Total configured: 2"


def test_apply_commits_and_keeps_the_dialog_open(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "alice")
    add_stations(db, "s1")
    dialog = open_dialog()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    add_via_button(qtbot, chooser, dialog.stations.add_button, "s1")
    with qtbot.waitSignals([dialog.committed, dialog.holders_loaded]):  # read again
        qtbot.mouseClick(dialog.apply_button, LEFT)
    assert dialog.isVisible()
    assert not dialog.apply_button.isEnabled()
    assert not dialog.is_dirty
    assert dialog.total_label.text() == "Total configured: 2"
    assert names(stored(db).assignable_users) == ["alice"]
    assert names(stored(db).stations) == ["s1"]
    assert stored(db).counts.assignable_configured == 2


def test_reaching_the_threshold_is_refused_in_the_dialog_and_writes_nothing(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "a", "b", "c", "d")
    before = snapshot(db)
    dialog = open_dialog()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "a", "b", "c", "d")
    assert dialog.total_label.text() == "Total configured: 4"
    assert "b00020" in dialog.total_label.styleSheet()  # over Number of licenses: red
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()  # OK refused: the dialog stays
    assert dialog.refusal_label.isVisible()
    assert dialog.refusal_label.objectName() == "refusalLabel"
    assert "(R4)" in dialog.refusal_label.text()
    assert "Assignable Allowed is 3" in dialog.refusal_label.text()
    assert dialog.assignable_users.names() == ["a", "b", "c", "d"]  # still pending
    assert snapshot(db) == before


def test_picker_greys_out_holders_over_the_threshold(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "a", "b", "c", "d")
    dialog = open_dialog()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "a", "b", "c")
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "d")
    request = chooser.requests[-1]
    assert request.pending_configured == 3
    [d] = lc.eligible(
        db,
        CLIENT,
        HolderKind.USER,
        Pool.ASSIGNABLE,
        pending=request.pending,
        pending_configured=request.pending_configured,
    )
    assert d.refusal is not None and d.refusal.rule == "R4"
    assert dialog.assignable_users.names() == ["a", "b", "c"]
    assert stored(db).assignable_users == ()


def test_basic_station_cannot_go_to_users(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "alice")
    add_stations(db, "s1")
    dialog = open_dialog(BASIC)
    assert dialog.windowTitle() == "License Configuration - Basic Station"
    assert not dialog.assignable_users.isEnabled()
    assert not dialog.assignable_users.add_button.isEnabled()
    assert "(R7)" not in dialog.assignable_users.add_button.toolTip()
    assert dialog.assignable_users.add_button.toolTip() == (
        "Basic Station can only be allocated to stations"
    )
    assert not dialog.tabs.isTabEnabled(CONCURRENT_TAB)
    assert "R8" in dialog.tabs.tabToolTip(CONCURRENT_TAB)
    assert dialog.number_label.text() == "Number of licenses: 4"
    add_via_button(qtbot, chooser, dialog.stations.add_button, "s1")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert names(stored(db, BASIC).stations) == ["s1"]
    assert stored(db, BASIC).assignable_users == ()


def test_the_real_picker_lists_only_eligible_holders(qtbot: QtBot, db: Database) -> None:
    add_users(db, "alice", "bob", "carol")
    add_users(db, "dave", method=Pool.CONCURRENT)
    allocation.allocate(db, catalog.ACD_MEDIA_1, users=["alice"])
    allocation.allocate(db, catalog.ACD_MEDIA_2, users=["carol"])
    request = PickerRequest(
        api_of(db),
        catalog.ACD_MEDIA_2,
        "ACD Media 2",
        HolderKind.USER,
        Pool.ASSIGNABLE,
        lc.Change(),
        0,
    )
    picker = HolderPickerDialog(request)
    qtbot.addWidget(picker)
    assert picker.windowTitle() == "Add Users - ACD Media 2"
    assert picker.names() == ["alice", "bob"]  # carol holds it; dave is Concurrent
    assert picker.refused_names() == {
        "alice": "only one ACD media level per holder: ACD Media 1 is already allocated, "
        "so ACD Media 2 cannot be added (R11)"
    }
    picker.select_names(["alice", "bob"])  # alice is greyed out and cannot be selected
    assert [e.name for e in picker.selected()] == ["bob"]
    qtbot.keyClicks(picker.filter_edit, "AL")
    assert picker.names() == ["alice"]
    assert not picker.ok_button.isEnabled()


def test_add_opens_the_picker_and_adds_what_is_chosen(
    qtbot: QtBot, db: Database, prompts: ScriptedPrompts
) -> None:
    add_users(db, "alice", "bob")
    dialog = LicenseConfigurationDialog(api_of(db), [CLIENT], CLIENT, prompts=prompts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.is_loaded)

    def choose() -> None:
        picker = QApplication.activeModalWidget()
        assert isinstance(picker, HolderPickerDialog)
        picker.select_names(["bob"])
        qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(dialog.assignable_users.add_button, LEFT)
    assert dialog.assignable_users.names() == ["bob"]
    assert dialog.total_label.text() == "Total configured: 1"
    assert stored(db).assignable_users == ()


def test_concurrent_tab_lists_concurrent_users_only(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "alice")
    add_users(db, "carol", "dan", method=Pool.CONCURRENT)
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(CONCURRENT_TAB)
    assert dialog.number_label.text() == "Number of licenses: 2"
    add_via_button(qtbot, chooser, dialog.concurrent_users.add_button, "alice", "carol", "dan")
    assert dialog.concurrent_users.names() == ["carol", "dan"]  # alice is Assignable (R16)
    assert dialog.total_label.text() == "Total configured: 2"
    qtbot.mouseClick(dialog.apply_button, LEFT)
    assert names(stored(db).concurrent_users) == ["carol", "dan"]
    assert stored(db).counts.concurrent_configured == 2
    assert stored(db).assignable_users == ()


def test_previous_and_next_follow_the_container_order(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    order = [catalog.ACD_MEDIA_1, BASIC, CLIENT]
    dialog = open_dialog(BASIC, order)
    assert dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    qtbot.mouseClick(dialog.next_button, LEFT)
    assert dialog.windowTitle() == "License Configuration - Client Access"
    assert not dialog.next_button.isEnabled()
    qtbot.mouseClick(dialog.previous_button, LEFT)
    qtbot.mouseClick(dialog.previous_button, LEFT)
    assert dialog.windowTitle() == "License Configuration - ACD Media 1"
    assert not dialog.previous_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the last key's holders, not an earlier one's
    assert dialog.number_label.text() == "Number of licenses: 5"


def test_cancel_discards(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    open_dialog: Opener,
) -> None:
    add_users(db, "alice")
    before = snapshot(db)
    dialog = open_dialog()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert not dialog.isVisible()
    assert prompts.asked == []  # Cancel never asks
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("answer", "moved", "saved"),
    [
        (SaveAnswer.SAVE, True, True),
        (SaveAnswer.DISCARD, True, False),
        (SaveAnswer.CANCEL, False, False),
    ],
)
def test_confirm_auto_save_asks_before_leaving(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    open_dialog: Opener,
    answer: SaveAnswer,
    moved: bool,
    saved: bool,
) -> None:
    add_users(db, "alice")
    dialog = open_dialog(CLIENT, [CLIENT, catalog.ACD_MEDIA_1])
    assert dialog.confirm_auto_save.isChecked()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    prompts.answers = [answer]
    qtbot.mouseClick(dialog.next_button, LEFT)
    assert prompts.asked == ["Save the changes to Client Access before leaving?"]
    assert (dialog.key == catalog.ACD_MEDIA_1) is moved
    assert dialog.is_dirty is (not moved)
    assert names(stored(db).assignable_users) == (["alice"] if saved else [])


def test_without_confirm_auto_save_moving_saves_silently(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    open_dialog: Opener,
) -> None:
    add_users(db, "alice")
    dialog = open_dialog(CLIENT, [CLIENT, catalog.ACD_MEDIA_1])
    qtbot.mouseClick(dialog.confirm_auto_save, LEFT)
    assert not dialog.confirm_auto_save.isChecked()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    qtbot.mouseClick(dialog.next_button, LEFT)
    assert prompts.asked == []
    assert dialog.key == catalog.ACD_MEDIA_1
    assert names(stored(db).assignable_users) == ["alice"]


def test_closing_with_changes_asks_to_save(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    open_dialog: Opener,
) -> None:
    add_users(db, "alice")
    dialog = open_dialog()
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    prompts.answers = [SaveAnswer.SAVE]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(prompts.asked) == 1
    assert not dialog.isVisible()
    assert names(stored(db).assignable_users) == ["alice"]


def test_removing_a_holder_and_applying_deallocates(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_users(db, "alice", "bob")
    allocation.allocate(db, CLIENT, users=["alice", "bob"])
    dialog = open_dialog()
    assert dialog.total_label.text() == "Total configured: 2"
    dialog.assignable_users.select_names(["alice"])
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    assert dialog.total_label.text() == "Total configured: 1"
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert not dialog.isVisible()
    assert names(stored(db).assignable_users) == ["bob"]


def test_closing_without_confirm_auto_save_discards(
    qtbot: QtBot,
    db: Database,
    chooser: ScriptedChooser,
    prompts: ScriptedPrompts,
    open_dialog: Opener,
) -> None:
    add_users(db, "alice")
    before = snapshot(db)
    dialog = open_dialog()
    dialog.confirm_auto_save.setChecked(False)
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert prompts.asked == []
    assert snapshot(db) == before


def test_delete_needs_a_selection_and_adding_back_cancels_a_removal(
    qtbot: QtBot, db: Database, chooser: ScriptedChooser, open_dialog: Opener
) -> None:
    add_users(db, "alice")
    allocation.allocate(db, CLIENT, users=["alice"])
    dialog = open_dialog()
    assert not dialog.assignable_users.delete_button.isEnabled()
    dialog.assignable_users.select_names(["alice"])
    assert dialog.assignable_users.delete_button.isEnabled()
    qtbot.mouseClick(dialog.assignable_users.delete_button, LEFT)
    assert dialog.assignable_users.names() == []
    assert dialog.is_dirty
    # The picker offers a pending removal again; choosing it cancels the removal.
    add_via_button(qtbot, chooser, dialog.assignable_users.add_button, "alice")
    assert dialog.assignable_users.names() == ["alice"]
    assert not dialog.is_dirty
    assert dialog.total_label.text() == "Total configured: 1"
    assert names(stored(db).assignable_users) == ["alice"]


def test_holder_lists_are_in_natural_order(qtbot: QtBot, open_dialog: Opener, db: Database) -> None:
    add_users(db, "user1", "user2", "user10")
    allocation.allocate(db, CLIENT, users=["user10", "user2", "user1"])
    dialog = open_dialog()
    assert dialog.assignable_users.names() == ["user1", "user2", "user10"]
