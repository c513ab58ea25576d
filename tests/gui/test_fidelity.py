"""Fidelity details: mnemonics (Alt+A applies), License Configuration's Concurrent tab as
IA's picture shows it, About with the version, the application named after the product."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import PRODUCT, __version__, catalog
from ia_licensing.app import MainWindow
from ia_licensing.console_api import ImportKind
from ia_licensing.dialogs.import_csv import ImportDialog
from ia_licensing.dialogs.license_configuration import LicenseConfigurationDialog
from ia_licensing.menus import show_about
from ia_licensing.models import Database
from ia_licensing.services import license_configuration as lc
from tests.helpers.database import add_users
from tests.helpers.fakes import ScriptedChooser, ScriptedPrompts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
CLIENT = catalog.CLIENT_ACCESS


def open_configuration(qtbot: QtBot, window: MainWindow) -> LicenseConfigurationDialog:
    window.licenses_allocation.select_key(CLIENT)
    table = window.licenses_allocation.table
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = window.license_configuration_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # the holders are read on a worker thread
    return dialog


def test_alt_a_applies(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, chooser: ScriptedChooser
) -> None:
    add_users(licensed_db, "alice")
    dialog = open_configuration(qtbot, window)
    assert dialog.apply_button.text() == "&Apply"
    chooser.next = ["alice"]
    qtbot.mouseClick(dialog.assignable_users.add_button, Qt.MouseButton.LeftButton)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.committed):
        qtbot.keyClick(
            dialog.focusWidget() or dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier
        )
    assert [h.name for h in lc.holders_of(licensed_db, CLIENT).assignable_users] == ["alice"]
    dialog.reject()


def test_every_dialog_button_and_field_has_a_mnemonic(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "u.csv"
    path.write_text("name,method,licenses\nzoe,assignable,Client Access\n", encoding="utf-8")
    texts: list[str] = []
    importing = ImportDialog(window.api, ImportKind.USERS, path, window)
    qtbot.addWidget(importing)
    importing.show()  # mnemonics are given when a dialog is first shown
    qtbot.waitExposed(importing)
    texts.append(importing.import_button.text())
    importing.reject()
    assert texts == ["&Import"]
    dialog = open_configuration(qtbot, window)
    for holder_list in (dialog.assignable_users, dialog.stations):
        assert "&" in holder_list.add_button.text() and "&" in holder_list.delete_button.text()
    dialog.reject()


def test_the_concurrent_tab_shows_the_station_name_section_greyed_out(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_configuration(qtbot, window)
    qtbot.mouseClick(
        dialog.tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=dialog.tabs.tabBar().tabRect(1).center(),
    )
    stations = dialog.concurrent_stations
    assert stations.isVisible() and not stations.isEnabled()
    assert stations.title.text().replace("&", "") == "Station Name"
    assert "(R8)" in stations.toolTip()
    dialog.reject()


def test_about_shows_the_version_and_the_application_is_the_products(
    window: MainWindow, prompts: ScriptedPrompts
) -> None:
    show_about(window)
    assert f"Version {__version__}" in prompts.about_text
    assert window.windowTitle().startswith(PRODUCT)
    # The console's own QApplication (tests share pytest-qt's): named after the product.
    script = (
        "from ia_licensing.app import _application as a; app = a(); "
        "print(app.applicationName(), app.desktopFileName(), app.arguments()[0], sep='|')"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == f"{PRODUCT}|ia-licensing|ia-licensing"
