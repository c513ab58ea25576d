"""The Notes and Audit containers, and changes made elsewhere appearing without a refresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.dialogs.license_configuration import LicenseConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.services import allocation, compliance, stations, users, workgroups
from ia_licensing.views.audit_view import AuditView
from ia_licensing.views.notes_view import NotesView
from ia_licensing.views.record_view import MAX_COLUMN_WIDTH
from ia_licensing.widgets.record_table_model import RecordTableModel
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import double_click_row, status_notes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def shown(view: NotesView | AuditView, column: int) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_record_model_passes_qtmodeltester(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    stations.add_station(window.db, "lonely")
    window.show_container(Container.NOTES)
    notes = window.page(Container.NOTES)
    assert isinstance(notes, NotesView)
    qtmodeltester.check(notes.model)
    qtmodeltester.check(notes.proxy)


def test_notes_container_lists_every_note_and_matches_the_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    stations.add_station(window.db, "lonely")  # R9
    users.add_user(window.db, "m1", keys=frozenset({catalog.ACD_MEDIA_1}))
    workgroups.add_workgroup(window.db, "Desk", ["call", "chat", "email"])
    workgroups.add_member(window.db, "Desk", "m1")  # R18, a long message
    window.show_container(Container.NOTES)
    window.refresh()
    notes = window.page(Container.NOTES)
    assert isinstance(notes, NotesView)
    expected = compliance.notes(window.db)
    qtbot.waitUntil(lambda: notes.reading is None)  # read on a worker thread
    assert len(shown(notes, 0)) == len(expected) >= 1
    assert status_notes(window) == f"Compliance notes: {len(expected)}"
    row = shown(notes, 1).index("lonely")
    assert shown(notes, 0)[row] == "R9" and "Basic Station" in shown(notes, 2)[row]
    since = notes.proxy.index(row, 3).data(RecordTableModel.ROW_ROLE).since
    assert isinstance(since, dt.datetime)
    assert notes.proxy.index(row, 3).data() == since.strftime("%Y-%m-%d %H:%M:%S")
    qtbot.keyClicks(notes.filter_edit, "lonely")
    assert shown(notes, 1) == ["lonely"]
    # A long message does not push Since out of sight; its tooltip has the whole text.
    header = notes.table.horizontalHeader()
    assert (
        header.sectionSize(2)
        <= MAX_COLUMN_WIDTH
        < notes.fontMetrics().horizontalAdvance(max((n.message for n in expected), key=len))
    )
    assert header.sectionViewportPosition(3) < notes.table.viewport().width()
    assert notes.proxy.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == shown(notes, 2)[0]
    assert any(len(message) > 100 for message in (n.message for n in expected))


def test_activating_an_r6_note_opens_license_configuration(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    from ia_licensing.services import licensing

    users.add_user(window.db, "u1")
    users.add_user(window.db, "u2")
    allocation.allocate(window.db, catalog.CLIENT_ACCESS, users=["u1", "u2"])
    from tests.helpers.database import ENTITLEMENTS
    from tests.helpers.license_files import TRUST, license_for

    smaller = license_for({**ENTITLEMENTS, catalog.CLIENT_ACCESS: (1, 0)}, serial=2)
    licensing.load_license(window.db, smaller, TRUST)
    window.show_container(Container.NOTES)
    window.refresh()
    notes = window.page(Container.NOTES)
    assert isinstance(notes, NotesView)
    qtbot.waitUntil(lambda: "Client Access" in shown(notes, 1))  # read on a worker thread
    row = shown(notes, 1).index("Client Access")
    double_click_row(qtbot, notes.table, row)
    qtbot.waitUntil(lambda: window.license_configuration_dialog is not None)
    dialog = window.license_configuration_dialog
    assert dialog is not None and dialog.windowTitle() == "License Configuration - Client Access"
    opened = [d for d in window.findChildren(LicenseConfigurationDialog) if d.isVisible()]
    assert opened == [dialog]  # one double-click, one dialog
    dialog.reject()


def test_audit_container_filters_by_subject_and_date(qtbot: QtBot, window: MainWindow) -> None:
    users.add_user(window.db, "audited-user")
    stations.add_station(window.db, "audited-station")
    window.show_container(Container.AUDIT)
    window.refresh()
    audit = window.page(Container.AUDIT)
    assert isinstance(audit, AuditView)
    assert shown(audit, 3)[:2] == ["audited-station", "audited-user"]  # newest first
    qtbot.keyClicks(audit.filter_edit, "AUDITED-U")
    assert shown(audit, 3) == ["audited-user"] and shown(audit, 2) == ["user add"]
    audit.filter_edit.clear()
    audit.from_check.setChecked(True)
    audit.from_date.setDate(audit.from_date.date().currentDate().addDays(1))
    assert shown(audit, 3) == []
    assert audit.count.text() == "0 changes"
    audit.from_check.setChecked(False)
    assert len(shown(audit, 3)) >= 2


def test_changes_made_by_another_process_appear_without_a_refresh(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    other = Database(str(db_path))  # another administrator's connection
    model = window.licenses_allocation.model
    row = model.row_of(catalog.CLIENT_ACCESS)
    column = model.ASSIGNABLE_CONFIGURED
    assert model.index(row, column).data(Qt.ItemDataRole.DisplayRole) == "0"
    users.add_user(other, "elsewhere", keys=frozenset({catalog.CLIENT_ACCESS}))
    other.close()
    qtbot.waitUntil(lambda: model.index(row, column).data() == "1", timeout=2500)


def test_sessions_container_lists_logons_and_logs_off(
    qtbot: QtBot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    from ia_licensing.rules import Pool
    from ia_licensing.services import logon
    from ia_licensing.views.sessions_view import SessionsView

    db = window.db
    stations.add_station(db, "desk", keys=frozenset({catalog.BASIC_STATION}))
    users.add_user(db, "carol", Pool.CONCURRENT, keys=frozenset({catalog.CLIENT_ACCESS}))
    logon.logon(db, "carol", station="desk")
    window.show_container(Container.SESSIONS)
    window.refresh()
    view = window.page(Container.SESSIONS)
    assert isinstance(view, SessionsView)
    assert [view.proxy.index(0, c).data() for c in (0, 1, 3)] == ["carol", "desk", "Client Access"]
    model = window.licenses_allocation.model
    in_use = (model.row_of(catalog.CLIENT_ACCESS), model.CONCURRENT_IN_USE)
    window.show_container(Container.LICENSES_ALLOCATION)  # hidden pages refresh when shown
    assert model.index(*in_use).data() == "1"
    window.show_container(Container.SESSIONS)
    assert not view.log_off_button.isEnabled()
    view.table.selectRow(0)
    prompts.confirm_answers = [False]
    qtbot.mouseClick(view.log_off_button, Qt.MouseButton.LeftButton)  # answered No: nothing
    assert prompts.confirmed[-1].startswith("Log off carol?") and len(logon.sessions(db)) == 1
    prompts.confirm_answers = [True]
    qtbot.mouseClick(view.log_off_button, Qt.MouseButton.LeftButton)
    assert logon.sessions(db) == [] and view.proxy.rowCount() == 0
    window.show_container(Container.LICENSES_ALLOCATION)
    assert model.index(*in_use).data() == "0"


def test_a_logon_by_another_process_shows_as_concurrent_in_use_within_two_seconds(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    from ia_licensing.rules import Pool
    from ia_licensing.services import logon

    stations.add_station(window.db, "desk", keys=frozenset({catalog.BASIC_STATION}))
    users.add_user(window.db, "carol", Pool.CONCURRENT, keys=frozenset({catalog.CLIENT_ACCESS}))
    window.show_container(Container.LICENSES_ALLOCATION)
    window.refresh()
    model = window.licenses_allocation.model
    cell = (model.row_of(catalog.CLIENT_ACCESS), model.CONCURRENT_IN_USE)
    assert model.index(*cell).data() == "0"
    server_side = Database(str(db_path))  # the IC server's logon, another connection
    logon.logon(server_side, "carol", station="desk")
    server_side.close()
    qtbot.waitUntil(lambda: model.index(*cell).data() == "1", timeout=2000)


def test_record_containers_sort_ascending_and_numbers_as_numbers(window: MainWindow) -> None:
    from ia_licensing.services import logon
    from ia_licensing.views.sessions_view import SessionsView

    for name in ("carl10", "al", "carl9"):
        users.add_user(window.db, name)
        logon.logon(window.db, name, remote_number=f"555-01{len(name)}")  # Dynamic Remote
    window.show_container(Container.SESSIONS)
    window.refresh()
    view = window.page(Container.SESSIONS)
    assert isinstance(view, SessionsView)
    users_shown = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    assert users_shown == ["al", "carl9", "carl10"]  # not Qt's default, descending
