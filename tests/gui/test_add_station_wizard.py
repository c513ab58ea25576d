"""The Add Station wizard: Station → Configuration → Licensing, and the database after Finish."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.dialogs.add_station_wizard import SIP_NOT_REMOTE, AddStationWizard
from ia_licensing.models import Database
from ia_licensing.services import allocation, stations
from ia_licensing.services.stations import StationType
from tests.helpers.console import api_of
from tests.helpers.database import add_users, snapshot
from tests.helpers.fakes import ScriptedPrompts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS
LEFT = Qt.MouseButton.LeftButton
NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton
Opener = Callable[[], AddStationWizard]


@pytest.fixture
def open_wizard(qtbot: QtBot, db: Database, prompts: ScriptedPrompts) -> Opener:
    def opener() -> AddStationWizard:
        wizard = AddStationWizard(api_of(db), prompts=prompts)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return opener


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    where = button.rect().center() if isinstance(button, QPushButton) else QPoint(8, 8)
    qtbot.mouseClick(button, LEFT, pos=where)


def fill_station(
    qtbot: QtBot,
    wizard: AddStationWizard,
    name: str,
    station_type: StationType = StationType.WORKSTATION,
    template: str = "",
) -> None:
    page = wizard.station_page
    qtbot.keyClicks(page.name_edit, name)
    page.type_combo.setCurrentIndex(page.type_combo.findData(station_type))
    page.template_edit.setText(template)
    click(qtbot, wizard.button(NEXT))


def test_the_three_pages_add_a_station_with_its_licenses(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    wizard = open_wizard()
    assert wizard.windowTitle() == "Add Station"
    assert wizard.currentPage() is wizard.station_page
    fill_station(qtbot, wizard, "desk-1")
    assert wizard.currentPage() is wizard.configuration_page
    click(qtbot, wizard.configuration_page.sip_radio)
    assert not wizard.configuration_page.remote_number_edit.isEnabled()
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is wizard.licensing_page
    tab = wizard.licensing_page.licensing
    assert tab.enable_licenses_check.isChecked() and tab.enabled_line.isVisible()
    click(qtbot, tab.basic_station_check)
    click(qtbot, tab.client_access_check)
    click(qtbot, tab.machine_name_check)
    assert tab.machine_name_edit.text() == "desk-1"
    click(qtbot, wizard.button(FINISH))
    assert not wizard.isVisible()
    info = stations.get_station(db, "desk-1")
    assert info.station_type is StationType.WORKSTATION
    assert info.connection_type == "sip"
    assert set(info.keys) == {BASIC, CLIENT}
    assert info.licensed_machine_name == "desk-1"


def test_a_name_already_used_is_refused_on_the_first_page(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    stations.add_station(db, "desk-1")
    wizard = open_wizard()
    fill_station(qtbot, wizard, "DESK-1")
    assert wizard.currentPage() is wizard.station_page
    assert wizard.station_page.problem.text() == "A station named 'DESK-1' already exists"


def test_an_unknown_template_is_refused(qtbot: QtBot, open_wizard: Opener) -> None:
    wizard = open_wizard()
    fill_station(qtbot, wizard, "desk-2", template="nowhere")
    assert wizard.currentPage() is wizard.station_page
    assert "no station named 'nowhere'" in wizard.station_page.problem.text()


def test_the_template_s_settings_are_copied(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    stations.add_station(
        db, "model", keys=frozenset({BASIC, CLIENT, catalog.ACD_MEDIA_2}), connection_type="sip"
    )
    wizard = open_wizard()
    fill_station(qtbot, wizard, "copy", template="model")
    assert wizard.configuration_page.sip_radio.isChecked()
    click(qtbot, wizard.button(NEXT))
    tab = wizard.licensing_page.licensing
    assert tab.basic_station_check.isChecked() and tab.client_access_check.isChecked()
    assert tab.acd_radios[catalog.ACD_MEDIA_2].isChecked()
    assert tab.left_labels[BASIC].text() == "2 of 4 left"  # the model's and the new one's
    click(qtbot, wizard.button(FINISH))
    assert set(stations.get_station(db, "copy").keys) == {BASIC, CLIENT, catalog.ACD_MEDIA_2}


def test_a_remote_station_needs_its_number_and_cannot_be_sip(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    wizard = open_wizard()
    fill_station(qtbot, wizard, "home-7", StationType.REMOTE)
    page = wizard.configuration_page
    assert not page.sip_radio.isEnabled()
    assert page.sip_radio.toolTip() == SIP_NOT_REMOTE
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage() is page
    assert "remote number" in page.problem.text()
    qtbot.keyClicks(page.remote_number_edit, "+1 317 555 0107")
    click(qtbot, wizard.button(NEXT))
    click(qtbot, wizard.licensing_page.licensing.basic_station_check)
    click(qtbot, wizard.button(FINISH))
    info = stations.get_station(db, "home-7")
    assert info.station_type is StationType.REMOTE
    assert (info.connection_type, info.remote_number) == ("line", "+1 317 555 0107")


def test_an_exhausted_key_is_greyed_out_on_the_licensing_page(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    add_users(db, "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    wizard = open_wizard()
    fill_station(qtbot, wizard, "desk-3")
    click(qtbot, wizard.button(NEXT))
    tab = wizard.licensing_page.licensing
    assert not tab.client_access_check.isEnabled()
    assert tab.client_access_check.toolTip().endswith("(R4)")
    assert tab.left_labels[CLIENT].text() == "0 of 3 left"


def test_a_refusal_at_finish_is_shown_and_nothing_is_written(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    stations.add_station(db, "model", keys=frozenset({CLIENT}))
    add_users(db, "a", "b")
    allocation.allocate(db, CLIENT, users=["a", "b"])  # 3 of 3 Client Access used
    before = snapshot(db)
    wizard = open_wizard()
    fill_station(qtbot, wizard, "copy", template="model")
    click(qtbot, wizard.button(NEXT))
    click(qtbot, wizard.button(FINISH))
    assert wizard.currentPage() is wizard.licensing_page
    assert "(R4)" in wizard.licensing_page.problem.text()
    assert snapshot(db) == before


def test_finishing_without_basic_station_shows_r9_and_adds(
    qtbot: QtBot, db: Database, prompts: ScriptedPrompts, open_wizard: Opener
) -> None:
    wizard = open_wizard()
    fill_station(qtbot, wizard, "quiet", StationType.STAND_ALONE_FAX)
    click(qtbot, wizard.button(NEXT))
    with qtbot.waitSignal(wizard.added):
        click(qtbot, wizard.button(FINISH))
    assert prompts.errors == [
        "The station cannot activate until you allocate a Basic Station license. (R9)"
    ]
    assert stations.get_station(db, "quiet").station_type is StationType.STAND_ALONE_FAX


def test_every_button_has_an_object_and_accessible_name(open_wizard: Opener) -> None:
    wizard = open_wizard()
    assert wizard.objectName() == "addStationWizard"
    for button in wizard.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.objectName() and button.accessibleName(), button.text()


def test_the_wizard_continues_after_the_licensing_page(
    qtbot: QtBot, db: Database, open_wizard: Opener
) -> None:
    wizard = open_wizard()
    fill_station(qtbot, wizard, "desk-2")
    click(qtbot, wizard.button(NEXT))
    assert "Click Next. Continue setting up the new station" in wizard.licensing_page.subTitle()
    click(qtbot, wizard.licensing_page.licensing.basic_station_check)
    click(qtbot, wizard.button(QWizard.WizardButton.CommitButton))
    assert wizard.currentPage() is wizard.continue_page
    assert "Station desk-2 was added" in wizard.continue_page.summary.text()
    assert BASIC in stations.get_station(db, "desk-2").keys
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # it is added
    click(qtbot, wizard.button(FINISH))
    assert not wizard.isVisible()
    assert [s.name for s in stations.list_stations(db)] == ["desk-2"]
