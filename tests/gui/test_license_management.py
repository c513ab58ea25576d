"""File ▸ License Management...: header, Licenses, Features and History tabs matching the
database; R28 notes; no license in force; Load License... from the dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from ia_licensing import catalog
from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.dialogs.license_management import (
    FEATURES_TAB,
    HISTORY_TAB,
    LICENSES_TAB,
    LicenseManagementDialog,
)
from ia_licensing.licensefile import LicenseCount, LicenseType, TrustStore
from ia_licensing.models import Database, TrustedKey
from ia_licensing.services import allocation, licensing
from tests.helpers.database import add_stations
from tests.helpers.fakes import LicensePrompts
from tests.helpers.gui import choose_from_menu, load_and_wait, review
from tests.helpers.license_files import PUBLIC, TODAY, signed, write

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT = catalog.CLIENT_ACCESS
LEFT = Qt.MouseButton.LeftButton


def open_management(qtbot: QtBot, window: MainWindow) -> LicenseManagementDialog:
    choose_from_menu(qtbot, window, window.license_management_action)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(LicenseManagementDialog))
    )
    dialog = next(d for d in window.findChildren(LicenseManagementDialog) if d.isVisible())
    qtbot.waitExposed(dialog)
    return dialog


def cells(table: QTableView) -> list[list[str]]:
    model = table.model()
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_header_and_each_tab_match_the_database(
    qtbot: QtBot, console: MainWindow, loaded_db: Database
) -> None:
    dialog = open_management(qtbot, console)
    assert dialog.objectName() == "licenseManagementDialog"
    assert dialog.windowTitle() == "License Management"
    assert console.license_management_action.isEnabled()
    values = {k: label.text() for k, label in dialog.fields.items()}
    assert values["product"] == "CIC 2019 R2"
    assert values["license_type"] == "Production"
    assert values["serial"] == "10"
    assert (values["host_id"], values["machine_name"]) == ("HOST-1", "ic-test")
    assert values["switchover_partner"] == "HOST-2 (ic-test-b)"
    assert values["machine_type"] == "Media Server Based (4.0+ only)"
    assert values["mail_connector"] == "Microsoft Exchange Server"
    assert values["generated"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert values["expires"] == "perpetual (2100-01-01)"
    assert values["days_left"] == "perpetual"
    assert not dialog.problem_label.isVisible() and not dialog.notes_label.isVisible()

    assert dialog.tabs.tabText(LICENSES_TAB) == "Licenses"
    rows = {r[0]: r for r in cells(dialog.licenses_table)}
    counts = allocation.key_counts(loaded_db, CLIENT)
    assert rows[CLIENT] == [
        CLIENT,
        "Client Access",
        "Access",
        "3",
        "2",
        str(counts.assignable_configured),
        str(counts.concurrent_configured),
        str(counts.concurrent_in_use),
    ]
    assert counts.assignable_configured == 2
    assert rows["EASYSRIPTER_EDITOR"][1:5] == ["Arbitrary: EASYSRIPTER_EDITOR", "Access", "0", "20"]
    assert set(rows) == {catalog.BASIC_STATION, CLIENT, "EASYSRIPTER_EDITOR"}

    dialog.tabs.setCurrentIndex(FEATURES_TAB)
    assert dialog.tabs.tabText(FEATURES_TAB) == "Features"
    assert cells(dialog.features_table) == [["I3_FEATURE_SIP", "SIP"]]

    dialog.tabs.setCurrentIndex(HISTORY_TAB)
    history = licensing.history(loaded_db)
    shown = cells(dialog.history_table)
    assert len(shown) == len(history) == 1
    assert shown[0][1:] == [
        history[0].loaded_by,
        "10",
        "Production",
        history[0].generated.isoformat(),
        "perpetual",
        "Yes",
    ]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


def test_the_dialog_follows_an_allocation_when_reopened(
    qtbot: QtBot, console: MainWindow, loaded_db: Database
) -> None:
    add_stations(loaded_db, "s1")
    allocation.allocate(loaded_db, catalog.BASIC_STATION, stations=["s1"])
    dialog = open_management(qtbot, console)
    rows = {r[0]: r for r in cells(dialog.licenses_table)}
    assert rows[catalog.BASIC_STATION][5] == "1"
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


def test_models_pass_qtmodeltester(qtmodeltester, qtbot: QtBot, console: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = open_management(qtbot, console)
    for model in (dialog.licenses_model, dialog.features_model, dialog.history_model):
        qtmodeltester.check(model)
    for table in (dialog.licenses_table, dialog.features_table, dialog.history_table):
        qtmodeltester.check(table.model())
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


def test_every_tab_and_button_has_names(qtbot: QtBot, console: MainWindow) -> None:
    dialog = open_management(qtbot, console)
    widgets: list[QWidget] = [
        dialog,
        *dialog.findChildren(QTableView),
        *dialog.findChildren(QTabWidget),
    ]
    widgets += [dialog.tabs.widget(i) for i in range(dialog.tabs.count())]
    widgets += [b for b in dialog.findChildren(QAbstractButton) if b.text()]
    for widget in widgets:
        assert widget.objectName() and widget.accessibleName(), widget


def test_a_development_license_shows_its_r28_notes(
    qtbot: QtBot, console: MainWindow, loaded_db: Database
) -> None:
    development = signed(
        serial=11,
        license_type=LicenseType.DEVELOPMENT,
        size="large",  # Easyscripter's 20 fit a large development license (30 of each)
        expires=TODAY + dt.timedelta(days=9),
    )
    licensing.load_license(loaded_db, development, TrustStore.from_public_key_files(PUBLIC))
    console.refresh()
    dialog = open_management(qtbot, console)
    assert dialog.notes_label.isVisible()
    text = dialog.notes_label.text()
    assert "not for production — interactions disconnect hourly" in text
    assert "expires in 9 days" in text
    assert dialog.fields["license_type"].text() == "Non-ordered Development"
    assert dialog.fields["days_left"].text() == "9 days"
    status = console.license_label.text()
    assert "not for production" in status and "expires in 9 days" in status
    assert console.license_label.styleSheet()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


def test_no_license_in_force_is_said_plainly_and_load_is_offered(
    qtbot: QtBot, db: Database, db_path: Path, settings: QSettings
) -> None:
    window = create_main_window(
        str(db_path), settings=settings, prompts=LicensePrompts(), trust=TrustStore({})
    )
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    dialog = open_management(qtbot, window)
    assert dialog.problem_label.isVisible()
    assert "No license has been loaded" in dialog.problem_label.text()
    assert not dialog.header_box.isVisible()
    assert dialog.licenses_model.rowCount() == 0
    assert dialog.load_button.isVisible() and dialog.load_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    window.close()
    window.db.close()


def test_a_license_that_no_longer_verifies_is_said_plainly(
    qtbot: QtBot, loaded_db: Database, db_path: Path, settings: QSettings
) -> None:
    with loaded_db.write() as session:  # the recorded vendor key is gone (an edit by hand)
        session.execute(delete(TrustedKey))
    window = create_main_window(
        str(db_path), settings=settings, prompts=LicensePrompts(), trust=TrustStore({})
    )
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    dialog = open_management(qtbot, window)
    assert "does not verify" in dialog.problem_label.text()
    assert len(cells(dialog.history_table)) == 1  # the history is still shown
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    window.close()
    window.db.close()


def test_load_license_from_the_dialog_updates_it_at_once(
    qtbot: QtBot,
    console: MainWindow,
    loaded_db: Database,
    license_prompts: LicensePrompts,
    tmp_path: Path,
) -> None:
    dialog = open_management(qtbot, console)
    path = write(tmp_path, "n.I3Lic", signed(serial=11, licenses=(LicenseCount(CLIENT, 40, 0),)))
    license_prompts.files = [path]
    qtbot.mouseClick(dialog.load_button, LEFT)
    reviewing = review(qtbot, console)
    assert reviewing.parent() is dialog
    load_and_wait(qtbot, reviewing)
    assert license_prompts.informed == ["License loaded."]
    assert dialog.fields["serial"].text() == "11"
    rows = {r[0]: r for r in cells(dialog.licenses_table)}
    assert rows[CLIENT][3:5] == ["40", "0"]
    assert [r[2] for r in cells(dialog.history_table)] == ["11", "10"]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
