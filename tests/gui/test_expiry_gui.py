"""R28 on screen: past its expiry date the status bar and Licenses Allocation say that the
license expired and grants nothing new, and an edit in a dialog is refused with the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import catalog, rules
from ia_licensing.app import MainWindow
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import licensing, stations
from ia_licensing.views.licenses_allocation_table_model import LicensesAllocationTableModel
from tests.helpers.console import api_of
from tests.helpers.database import snapshot
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click
from tests.helpers.license_files import PUBLIC, TODAY, signed

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

DAY = dt.timedelta(days=1)


def expire_today(db: Database) -> None:
    """Serial 11, expiring today, loaded yesterday while it was valid."""
    data = signed(serial=11, generated=TODAY - DAY, expires=TODAY)
    yesterday = dt.datetime.combine(TODAY - DAY, dt.time(12), dt.UTC)
    licensing.load_license(db, data, TrustStore.from_public_key_files(PUBLIC), now=yesterday)


def test_status_bar_and_licenses_allocation_say_it_expired(
    qtbot: QtBot, console: MainWindow, loaded_db: Database
) -> None:
    expire_today(loaded_db)
    console.licenses_allocation.table.setFocus()
    qtbot.keyClick(console, Qt.Key.Key_F5)
    said = rules.expired_message(TODAY)
    assert said in console.license_label.text()
    assert console.license_label.styleSheet()  # the warning colours
    model = console.licenses_allocation.model
    row = model.row_of(catalog.CLIENT_ACCESS)
    notes = model.index(row, LicensesAllocationTableModel.NOTES).data()
    assert str(notes).startswith(said)


def test_a_dialog_edit_is_refused_once_expired(qtbot: QtBot, loaded_db: Database) -> None:
    stations.add_station(loaded_db, "s1")
    expire_today(loaded_db)
    before = snapshot(loaded_db)
    api = api_of(loaded_db, TrustStore.from_public_key_files(PUBLIC))
    dialog = StationConfigurationDialog(api, ["s1"], "s1", prompts=ScriptedPrompts())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    click(qtbot, dialog.licensing.basic_station_check)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    text = dialog.refusal_label.text()  # the rule in words, its id as a reference
    assert text.startswith("The license expired on") and text.endswith("(R28)"), text
    assert snapshot(loaded_db) == before
    click(qtbot, dialog.cancel_button)  # Cancel discards without asking
    assert not dialog.isVisible()
