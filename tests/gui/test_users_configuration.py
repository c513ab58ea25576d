"""User Configuration - <name>: every field of the user's Licensing tab, the rules as the
administrator sees them, and the database afterwards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.dialogs.user_configuration import UserConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, users, workgroups
from tests.helpers.console import api_of
from tests.helpers.database import add_users, snapshot
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click, item, listed

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT = catalog.CLIENT_ACCESS
Opener = Callable[..., UserConfigurationDialog]


@pytest.fixture
def open_dialog(qtbot: QtBot, db: Database, prompts: ScriptedPrompts) -> Opener:
    def opener(name: str = "ann", names: list[str] | None = None) -> UserConfigurationDialog:
        order = names if names is not None else [u.name for u in users.list_users(db)]
        dialog = UserConfigurationDialog(api_of(db), order, name, prompts=prompts)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return opener


def keys_of(db: Database, name: str = "ann") -> set[str]:
    return set(users.get_user(db, name).keys)


def test_every_field_is_saved_in_one_apply(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    add_users(db, "ann")
    dialog = open_dialog()
    tab = dialog.licensing
    assert dialog.windowTitle() == "User Configuration - ann"
    assert tab.assignable_radio.isChecked()
    assert not tab.basic_station_check.isVisible()  # R7: no Basic Station for a user
    assert not tab.machine_name_check.isVisible()
    click(qtbot, tab.client_access_check)
    click(qtbot, tab.acd_check)
    click(qtbot, tab.acd_radios[catalog.ACD_MEDIA_2])
    click(qtbot, tab.social_media_check)
    click(qtbot, tab.ipa_check)
    click(qtbot, tab.ipa_radios[catalog.IPA_MONITOR])
    click(qtbot, tab.analytics_check)
    click(qtbot, tab.analytics_radios[catalog.ANALYTICS_DESIGNER])
    item(tab, "I3_ACCESS_RECORDER").setCheckState(Qt.CheckState.Checked)
    click(qtbot, dialog.apply_button)
    assert not dialog.refusal_label.isVisible()
    assert keys_of(db) == {
        CLIENT,
        catalog.ACD_MEDIA_2,
        catalog.ACD_SOCIAL_MEDIA,
        catalog.IPA_MONITOR,
        catalog.ANALYTICS_DESIGNER,
        "I3_ACCESS_RECORDER",
    }


def test_a_user_has_the_four_ipa_types_and_three_analytics_tiers(
    db: Database, open_dialog: Opener
) -> None:
    add_users(db, "ann")
    tab = open_dialog().licensing
    assert [r.text().replace("&", "") for r in tab.ipa_radios.values()] == [
        "Direct Routing Work Items",
        "Group Routed Work Item",
        "Process Monitor",
        "Process Designer",
    ]
    assert [r.text().replace("&", "") for r in tab.analytics_radios.values()] == [
        "Core",
        "Designer",
        "Enterprise",
    ]
    assert tab.analytics_check.isVisible()
    assert catalog.ANALYTICS_CORE not in listed(tab)  # has its own field


def test_one_tier_one_type_one_level(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    users.add_user(db, "ann", keys=frozenset({catalog.ANALYTICS_CORE, catalog.ACD_MEDIA_1}))
    dialog = open_dialog()
    tab = dialog.licensing
    click(qtbot, tab.analytics_radios[catalog.ANALYTICS_ENTERPRISE])
    click(qtbot, tab.acd_radios[catalog.ACD_MEDIA_3])
    assert not tab.analytics_radios[catalog.ANALYTICS_CORE].isChecked()  # R13
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert keys_of(db) == {catalog.ANALYTICS_ENTERPRISE, catalog.ACD_MEDIA_3}  # R11, R13


def test_switching_method_moves_every_license(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    users.add_user(db, "ann", keys=frozenset({CLIENT, catalog.ACD_MEDIA_1}))
    dialog = open_dialog()
    click(qtbot, dialog.licensing.concurrent_radio)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert users.get_user(db, "ann").method is Pool.CONCURRENT
    rows = {r.key: r for r in allocation.allocations(db)}
    assert (rows[CLIENT].assignable_configured, rows[CLIENT].concurrent_configured) == (0, 1)


def test_a_method_switch_that_does_not_fit_is_disabled_with_r16(
    db: Database, open_dialog: Opener
) -> None:
    # ACD Social Media has no Concurrent licenses: the user cannot become Concurrent.
    users.add_user(db, "ann", keys=frozenset({catalog.ACD_SOCIAL_MEDIA}))
    tab = open_dialog().licensing
    assert not tab.concurrent_radio.isEnabled()
    assert "Switching ann to Concurrent moves all of the user's licenses" in (
        tab.concurrent_radio.toolTip()
    )
    assert tab.concurrent_radio.toolTip().endswith("(R16)")


def test_a_concurrent_user_cannot_choose_a_key_without_concurrent_licenses(
    db: Database, open_dialog: Opener
) -> None:
    users.add_user(db, "ann", Pool.CONCURRENT)
    tab = open_dialog().licensing
    enterprise = tab.analytics_radios[catalog.ANALYTICS_ENTERPRISE]
    tab.analytics_check.setChecked(True)
    assert tab.analytics_radios[catalog.ANALYTICS_CORE].isChecked()  # first allowed
    assert not enterprise.isEnabled()
    assert "has no Concurrent licenses" in enterprise.toolTip()
    assert not tab.social_media_check.isEnabled()
    dialer = item(tab, "I3_ACCESS_DIALER_ADDON")  # Concurrent only: fine for this user
    assert dialer.flags() & Qt.ItemFlag.ItemIsEnabled
    assert tab.left_labels[CLIENT].text() == "2 of 2 free"


def test_an_assignable_user_cannot_choose_a_concurrent_only_key(
    db: Database, open_dialog: Opener
) -> None:
    add_users(db, "ann")
    dialer = item(open_dialog().licensing, "I3_ACCESS_DIALER_ADDON")
    assert not dialer.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "Assignable Allowed is 0" in dialer.toolTip()


def test_an_exhausted_key_says_so_beside_it(db: Database, open_dialog: Opener) -> None:
    add_users(db, "ann", "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    tab = open_dialog().licensing
    assert tab.left_labels[CLIENT].text() == "0 of 3 left"
    assert "b00020" in tab.left_labels[CLIENT].styleSheet()
    assert not tab.client_access_check.isEnabled()
    assert tab.client_access_check.toolTip().endswith("(R4)")


def test_enable_licenses_cleared_then_set_again_is_checked(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    users.add_user(db, "ann", keys=frozenset({CLIENT}))
    dialog = open_dialog()
    click(qtbot, dialog.licensing.enable_licenses_check)
    assert not dialog.licensing.enabled_line.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not users.get_user(db, "ann").licenses_enabled
    add_users(db, "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    tab = open_dialog().licensing
    assert not tab.enable_licenses_check.isEnabled()
    assert "(R14)" in tab.enable_licenses_check.toolTip()


def test_the_r18_note_follows_the_pending_acd_level(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_users(db, "ann")
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    dialog = open_dialog()
    assert dialog.workgroups_label.text() == "Call/Callback, Chat"
    assert dialog.note_label.isVisible()
    assert "has no ACD Access. (R18)" in dialog.note_label.text()
    click(qtbot, dialog.licensing.acd_check)  # Media 1: one type for two routed
    assert "ACD Media 1 allows 1 interaction type" in dialog.note_label.text()
    click(qtbot, dialog.licensing.acd_radios[catalog.ACD_MEDIA_2])
    assert not dialog.note_label.isVisible()


def test_a_refusal_at_ok_is_shown_and_writes_nothing(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_users(db, "ann", "a", "b", "c")
    dialog = open_dialog()
    click(qtbot, dialog.licensing.client_access_check)
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    before = snapshot(db)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "(R4)" in dialog.refusal_label.text()
    assert snapshot(db) == before


def test_next_walks_the_users(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    add_users(db, "ann", "bob")
    dialog = open_dialog("ann", ["ann", "bob"])
    dialog.confirm_auto_save.setChecked(False)
    click(qtbot, dialog.licensing.client_access_check)
    click(qtbot, dialog.next_button)  # Confirm auto-save cleared: saved on >>
    assert keys_of(db) == {CLIENT}
    assert dialog.windowTitle() == "User Configuration - bob"
    assert dialog.next_button.accessibleName() == "Next user"


def test_the_configuration_tab_says_who_and_how_licenses_are_counted(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_users(db, "ann")
    dialog = open_dialog()
    tabs = dialog.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Configuration")
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(index).center()
    )
    assert dialog.user_id_label.text() == "ann"
    assert dialog.method_label.text() == "Assignable"
    assert dialog.inherited_label.text() == "none"
    click(qtbot, dialog.licensing.concurrent_radio)
    assert dialog.method_label.text() == "Concurrent"
