"""Station Configuration - <name>: every field of the Licensing tab, the rules as the
administrator sees them, and the database afterwards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.dialogs.licensing_tab import ENABLED_LINE
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.services import allocation, stations, users
from ia_licensing.services.holders import KeyEdit
from ia_licensing.services.stations import StationType
from ia_licensing.widgets.prompts import SaveAnswer
from tests.helpers.console import api_of
from tests.helpers.database import add_stations, add_users, snapshot
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click, item, listed

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS
RECORDER = "I3_ACCESS_RECORDER"
Opener = Callable[..., StationConfigurationDialog]


@pytest.fixture
def open_dialog(qtbot: QtBot, db: Database, prompts: ScriptedPrompts) -> Opener:
    def opener(name: str = "s1", names: list[str] | None = None) -> StationConfigurationDialog:
        order = names if names is not None else [s.name for s in stations.list_stations(db)]
        dialog = StationConfigurationDialog(api_of(db), order, name, prompts=prompts)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return opener


def keys_of(db: Database, name: str = "s1") -> set[str]:
    return set(stations.get_station(db, name).keys)


def test_the_dialog_shows_the_station_as_stored(db: Database, open_dialog: Opener) -> None:
    stations.add_station(
        db,
        "s1",
        machine_name="PC-1",
        keys=frozenset({BASIC, CLIENT, catalog.ACD_MEDIA_2, catalog.IPA_GROUP, RECORDER}),
    )
    dialog = open_dialog()
    tab = dialog.licensing
    assert dialog.windowTitle() == "Station Configuration - s1"
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Licensing"
    assert tab.machine_name_check.isChecked() and tab.machine_name_edit.text() == "PC-1"
    assert tab.basic_station_check.isChecked() and tab.client_access_check.isChecked()
    assert tab.acd_check.isChecked() and tab.acd_radios[catalog.ACD_MEDIA_2].isChecked()
    assert tab.ipa_check.isChecked() and tab.ipa_radios[catalog.IPA_GROUP].isChecked()
    assert not tab.social_media_check.isChecked()
    assert item(tab, RECORDER).checkState() == Qt.CheckState.Checked
    assert tab.enable_licenses_check.isChecked()
    assert tab.enabled_line.isVisible() and tab.enabled_line.text() == ENABLED_LINE
    assert dialog.type_label.text() == "Workstation"
    assert dialog.enabled_check.isChecked()
    assert not dialog.apply_button.isEnabled()


def test_every_field_is_saved_in_one_apply(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    add_stations(db, "s1")
    dialog = open_dialog()
    tab = dialog.licensing
    click(qtbot, tab.machine_name_check)
    tab.machine_name_edit.setText("PC-9")
    click(qtbot, tab.basic_station_check)
    click(qtbot, tab.client_access_check)
    click(qtbot, tab.acd_check)
    assert tab.acd_radios[catalog.ACD_MEDIA_1].isChecked()  # the first level allowed
    click(qtbot, tab.acd_radios[catalog.ACD_MEDIA_3])
    click(qtbot, tab.social_media_check)
    click(qtbot, tab.ipa_check)
    click(qtbot, tab.ipa_radios[catalog.IPA_GROUP])
    item(tab, RECORDER).setCheckState(Qt.CheckState.Checked)
    assert dialog.apply_button.isEnabled()
    assert keys_of(db) == set()  # pending until Apply
    click(qtbot, dialog.apply_button)
    assert not dialog.refusal_label.isVisible()
    info = stations.get_station(db, "s1")
    assert set(info.keys) == {
        BASIC,
        CLIENT,
        catalog.ACD_MEDIA_3,  # one ACD media level (R11)
        catalog.ACD_SOCIAL_MEDIA,
        catalog.IPA_GROUP,  # one IPA type (R12)
        RECORDER,
    }
    assert info.licensed_machine_name == "PC-9"
    assert not dialog.apply_button.isEnabled()


def test_unchecking_fields_removes_the_licenses(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC, CLIENT, catalog.ACD_MEDIA_1}))
    dialog = open_dialog()
    click(qtbot, dialog.licensing.client_access_check)
    click(qtbot, dialog.licensing.acd_check)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert keys_of(db) == {BASIC}


def test_a_station_offers_only_the_station_ipa_types_and_no_analytics(
    db: Database, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    tab = open_dialog().licensing
    assert [r.text().replace("&", "") for r in tab.ipa_radios.values()] == [
        "Direct Routing Work Items",
        "Group Routed Work Item",
    ]  # R12: Process Monitor and Process Designer are user-only
    assert not tab.analytics_check.isVisible()  # R13: Analytics is user-only
    assert not any(r.isVisible() for r in tab.analytics_radios.values())


def test_additional_licenses_lists_only_purchased_keys(db: Database, open_dialog: Opener) -> None:
    add_stations(db, "s1")
    tab = open_dialog().licensing
    assert RECORDER in listed(tab)
    assert "I3_ACCESS_FEEDBACK" not in listed(tab)  # not purchased (R2)
    assert catalog.ANALYTICS_CORE not in listed(tab)  # user-only
    assert CLIENT not in listed(tab)  # has its own field


def test_a_concurrent_only_key_is_greyed_out_for_a_station(
    db: Database, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    dialer = item(open_dialog().licensing, "I3_ACCESS_DIALER_ADDON")
    assert not dialer.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "licenses on stations are Assignable only. (R8)" in dialer.toolTip()


def test_an_exhausted_key_is_disabled_and_says_so(db: Database, open_dialog: Opener) -> None:
    add_stations(db, "s1")
    add_users(db, "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    tab = open_dialog().licensing
    assert not tab.client_access_check.isEnabled()
    assert "Assignable Allowed is 3 and 3 are configured" in tab.client_access_check.toolTip()
    assert tab.client_access_check.toolTip().endswith("(R4)")
    assert tab.left_labels[CLIENT].text() == "0 of 3 left"
    assert tab.left_labels[BASIC].text() == "4 of 4 left"


def test_left_counts_follow_pending_choices(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    tab = open_dialog().licensing
    click(qtbot, tab.basic_station_check)
    assert tab.left_labels[BASIC].text() == "3 of 4 left"


def test_licensed_machine_name_must_not_be_blank(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    before = snapshot(db)
    dialog = open_dialog()
    tab = dialog.licensing
    click(qtbot, tab.machine_name_check)
    tab.machine_name_edit.setText("  ")
    assert tab.machine_name_problem.isVisible()
    assert tab.machine_name_problem.text() == "Licensed Machine Name cannot be blank. (R10)"
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "(R10)" in dialog.refusal_label.text()
    assert snapshot(db) == before


def test_clearing_a_stored_licensed_machine_name_is_refused_as_blank(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    """Issue 12, item 10: clearing the check box of a station that has a Licensed Machine
    Name would blank it: R10 says so beside the field and on OK, and the name is kept."""
    stations.add_station(db, "s1", machine_name="PC-1", keys=frozenset({BASIC}))
    before = snapshot(db)
    dialog = open_dialog()
    tab = dialog.licensing
    click(qtbot, tab.machine_name_check)
    assert not tab.machine_name_check.isChecked()
    assert tab.machine_name_problem.isVisible()
    assert tab.machine_name_problem.text().startswith("Licensed Machine Name cannot be blank")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "(R10)" in dialog.refusal_label.text()
    assert snapshot(db) == before
    assert stations.get_station(db, "s1").licensed_machine_name == "PC-1"


def test_licensed_machine_name_must_be_unique(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    stations.add_station(db, "other", machine_name="PC-1")
    add_stations(db, "s1")
    before = snapshot(db)
    dialog = open_dialog()
    click(qtbot, dialog.licensing.machine_name_check)
    dialog.licensing.machine_name_edit.setText("pc-1")
    assert "already used by station 'other'" in dialog.licensing.machine_name_problem.text()
    click(qtbot, dialog.apply_button)
    assert "(R10)" in dialog.refusal_label.text()
    assert snapshot(db) == before


def test_a_refusal_at_apply_is_shown_and_writes_nothing(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    add_users(db, "a", "b", "c")
    dialog = open_dialog()
    click(qtbot, dialog.licensing.client_access_check)
    # Meanwhile another administrator takes the last Client Access licenses.
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    before = snapshot(db)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "(R4)" in dialog.refusal_label.text()
    assert snapshot(db) == before


def test_saving_an_enabled_station_without_basic_station_shows_r9_and_saves(
    qtbot: QtBot, db: Database, prompts: ScriptedPrompts, open_dialog: Opener
) -> None:
    add_stations(db, "s1")
    dialog = open_dialog()
    click(qtbot, dialog.licensing.client_access_check)
    click(qtbot, dialog.ok_button)
    assert prompts.errors == [
        "the station cannot activate until you allocate a Basic Station license (R9)"
    ]
    assert not dialog.isVisible()
    assert keys_of(db) == {CLIENT}


def test_enable_licenses_cleared_keeps_the_settings_and_counts_nowhere(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC, CLIENT}))
    dialog = open_dialog()
    tab = dialog.licensing
    click(qtbot, tab.enable_licenses_check)
    assert not tab.enabled_line.isVisible()
    click(qtbot, dialog.apply_button)
    info = stations.get_station(db, "s1")
    assert not info.licenses_enabled and set(info.keys) == {BASIC, CLIENT}
    row = next(r for r in allocation.allocations(db) if r.key == CLIENT)
    assert row.assignable_configured == 0


def test_enable_licenses_again_is_checked_like_a_new_allocation(
    db: Database, open_dialog: Opener
) -> None:
    stations.add_station(db, "s1", keys=frozenset({CLIENT}), licenses_enabled=False)
    add_users(db, "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    tab = open_dialog().licensing
    assert not tab.enable_licenses_check.isEnabled()
    assert "checked like a new allocation (R14)" in tab.enable_licenses_check.toolTip()
    assert tab.enable_licenses_check.toolTip().endswith("(R4)")


def test_enabling_a_station_again_is_checked_like_a_new_allocation(
    qtbot: QtBot, db: Database, open_dialog: Opener
) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC}), enabled=False)
    stations.add_station(db, "s2", StationType.STAND_ALONE_PHONE)
    dialog = open_dialog()
    dialog.tabs.setCurrentIndex(0)
    assert dialog.tabs.tabText(0) == "Configuration"
    assert dialog.enabled_check.isEnabled()
    click(qtbot, dialog.enabled_check)
    click(qtbot, dialog.apply_button)
    assert stations.get_station(db, "s1").enabled
    # Now fill Basic Station (4 allowed) and disable s1 again: it cannot come back.
    add_stations(db, "x1", "x2", "x3")
    stations.update_station(db, "s1", enabled=False)
    allocation.allocate(db, BASIC, stations=["x1", "x2", "x3", "s2"])
    dialog.load("s1")
    assert not dialog.enabled_check.isEnabled()
    assert dialog.enabled_check.toolTip().endswith("(R4)")


def test_previous_and_next_walk_the_container_order(
    qtbot: QtBot, db: Database, prompts: ScriptedPrompts, open_dialog: Opener
) -> None:
    add_stations(db, "s1", "s2", "s3")
    dialog = open_dialog("s2", ["s1", "s2", "s3"])
    click(qtbot, dialog.next_button)
    assert dialog.windowTitle() == "Station Configuration - s3"
    assert not dialog.next_button.isEnabled()
    click(qtbot, dialog.licensing.basic_station_check)
    prompts.answers = [SaveAnswer.SAVE]
    click(qtbot, dialog.previous_button)
    assert prompts.asked == ["Save the changes to s3 before leaving?"]
    assert keys_of(db, "s3") == {BASIC}
    assert dialog.windowTitle() == "Station Configuration - s2"
    assert isinstance(dialog.previous_button, QPushButton)
    assert dialog.previous_button.accessibleName() == "Previous station"


def test_cancel_discards(qtbot: QtBot, db: Database, open_dialog: Opener) -> None:
    add_stations(db, "s1")
    before = snapshot(db)
    dialog = open_dialog()
    click(qtbot, dialog.licensing.basic_station_check)
    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible()
    assert snapshot(db) == before


def test_every_widget_has_an_object_and_accessible_name(db: Database, open_dialog: Opener) -> None:
    add_stations(db, "s1")
    users.add_user(db, "u1")
    stations.update_station(db, "s1", edit=KeyEdit(add=frozenset({BASIC})))
    dialog = open_dialog()
    for widget in dialog.findChildren(QAbstractButton):
        assert widget.objectName(), widget.text()
        assert widget.accessibleName(), widget.objectName()
    assert dialog.objectName() == "stationConfigurationDialog"
    assert dialog.licensing.objectName() == "licensingTab"
