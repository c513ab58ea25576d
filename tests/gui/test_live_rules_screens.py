"""The screens of issue 12 driven by real input: User Configuration's Security Rights ▸
Client Rights (the Remote Login right, R24) and the ACD interaction-type choice (R18) on
both Licensing tabs and in the Add Station wizard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.catalog import InteractionType as T
from ia_licensing.dialogs.add_station_wizard import AddStationWizard
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.dialogs.user_configuration import UserConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.services import stations, users, workgroups
from tests.helpers.console import api_of
from tests.helpers.database import snapshot
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BASIC, CLIENT = catalog.BASIC_STATION, catalog.CLIENT_ACCESS
M1, M2 = catalog.ACD_MEDIA_1, catalog.ACD_MEDIA_2


def shown(qtbot: QtBot, widget: UserConfigurationDialog | StationConfigurationDialog) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)


def choose_tab(qtbot: QtBot, dialog: UserConfigurationDialog, title: str) -> None:
    bar = dialog.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentIndex() == index


def test_user_configuration_shows_and_saves_the_remote_login_right(
    qtbot: QtBot, db: Database
) -> None:
    users.add_user(db, "ann")
    dialog = UserConfigurationDialog(api_of(db), ["ann"], "ann", prompts=ScriptedPrompts())
    shown(qtbot, dialog)
    choose_tab(qtbot, dialog, "Security Rights")
    box = dialog.remote_login_check
    assert box.isVisible() and box.isChecked()  # on by default
    assert box.text() == "User-defined Telephone Number on Remote Login"
    assert not dialog.apply_button.isEnabled()
    click(qtbot, box)
    assert dialog.apply_button.isEnabled()
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert users.get_user(db, "ann").remote_login is False
    again = UserConfigurationDialog(api_of(db), ["ann"], "ann", prompts=ScriptedPrompts())
    shown(qtbot, again)
    assert not again.remote_login_check.isChecked()


def test_a_media_2_user_chooses_two_types_on_the_licensing_tab(qtbot: QtBot, db: Database) -> None:
    users.add_user(db, "ann", keys=frozenset({CLIENT}))
    workgroups.add_workgroup(db, "Desk", ["call", "email"])
    workgroups.add_member(db, "Desk", "ann")
    dialog = UserConfigurationDialog(api_of(db), ["ann"], "ann", prompts=ScriptedPrompts())
    shown(qtbot, dialog)
    tab = dialog.licensing
    checks = tab.acd_type_checks
    assert not any(b.isEnabled() for b in checks.values())  # no ACD Access: nothing to choose
    click(qtbot, tab.acd_check)  # Media 1
    click(qtbot, checks[T.CHAT])
    assert not checks[T.EMAIL].isEnabled()  # Media 1: one type
    assert "(R18)" in checks[T.EMAIL].toolTip()
    assert "ACD Media 1 allows 1 interaction type" in dialog.note_label.text()
    click(qtbot, tab.acd_radios[M2])
    assert checks[T.EMAIL].isEnabled()
    click(qtbot, checks[T.EMAIL])
    assert not checks[T.CALL].isEnabled() and not checks[T.GENERIC].isEnabled()
    assert "ACD Media 2 gives Chat, Email but the user's workgroups also route Call/Callback" in (
        dialog.note_label.text()
    )
    click(qtbot, dialog.apply_button)
    info = users.get_user(db, "ann")
    assert M2 in info.keys and info.acd_types == (T.CHAT, T.EMAIL)
    click(qtbot, tab.acd_radios[M1])  # back to Media 1: the first ticked type stays
    assert [k for k, b in checks.items() if b.isChecked()] == [T.CHAT]
    click(qtbot, tab.acd_radios[catalog.ACD_MEDIA_3])
    assert not any(b.isEnabled() for b in checks.values())
    assert "takes every interaction type" in checks[T.CALL].toolTip()
    click(qtbot, dialog.cancel_button)


def test_station_configuration_chooses_the_stations_type(qtbot: QtBot, db: Database) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    dialog = StationConfigurationDialog(api_of(db), ["s1"], "s1", prompts=ScriptedPrompts())
    shown(qtbot, dialog)
    tab = dialog.licensing
    click(qtbot, tab.acd_check)
    assert tab.acd_radios[M1].isChecked()
    click(qtbot, tab.acd_type_checks[T.EMAIL])
    assert not tab.acd_type_checks[T.CALL].isEnabled()
    click(qtbot, dialog.ok_button)
    info = stations.get_station(db, "s1")
    assert M1 in info.keys and info.acd_types == (T.EMAIL,)


def test_the_add_station_wizard_shows_the_choice(qtbot: QtBot, db: Database) -> None:
    before = snapshot(db)
    wizard = AddStationWizard(api_of(db), prompts=ScriptedPrompts())
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    qtbot.keyClicks(wizard.station_page.name_edit, "desk-1")
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    click(qtbot, next_button)
    click(qtbot, next_button)
    tab = wizard.licensing_page.licensing
    click(qtbot, tab.basic_station_check)
    click(qtbot, tab.acd_check)
    click(qtbot, tab.acd_type_checks[T.GENERIC])
    assert snapshot(db) == before
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()
    info = stations.get_station(db, "desk-1")
    assert set(info.keys) == {BASIC, M1} and info.acd_types == (T.GENERIC,)
