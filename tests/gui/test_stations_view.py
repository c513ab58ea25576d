"""The Stations container: table model, proxy, Insert, Delete, double-click."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.dialogs.add_station_wizard import AddStationWizard
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, logon, read_models, stations, users
from ia_licensing.services.holders import KeyEdit
from ia_licensing.services.read_models import StationRow
from ia_licensing.services.stations import StationType
from ia_licensing.views.stations_table_model import StationsTableModel, stations_feed
from ia_licensing.views.stations_view import StationsView
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from tests.helpers.console import api_of
from tests.helpers.database import add_stations, snapshot
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import press_key, press_shortcut

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

Model = StationsTableModel
BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS


def stations_view(window: MainWindow) -> StationsView:
    window.show_container(Container.STATIONS)
    page = window.page(Container.STATIONS)
    assert isinstance(page, StationsView)
    return page


def shown(model: Model | SortFilterProxy, row: int) -> list[str]:
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def test_model_passes_qtmodeltester(qtmodeltester, qapp, db: Database) -> None:  # type: ignore[no-untyped-def]
    add_stations(db, "s1", "s2", "s10")
    stations.update_station(db, "s1", edit=KeyEdit(add=frozenset({BASIC, CLIENT})))
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    qtmodeltester.check(model)
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.BASIC_STATION)
    qtmodeltester.check(proxy)
    proxy.sort(Model.NAME, Qt.SortOrder.DescendingOrder)  # the tester watches the re-sort
    assert [proxy.index(r, 0).data() for r in range(3)] == ["s10", "s2", "s1"]


def test_columns_and_rows_match_the_database(db: Database) -> None:
    stations.add_station(
        db,
        "Agent-7",
        StationType.REMOTE,
        machine_name="PC-7",
        keys=frozenset({BASIC, CLIENT, catalog.ACD_MEDIA_3, "I3_ACCESS_RECORDER"}),
        remote_number="555 0107",
    )
    stations.add_station(db, "fax", StationType.STAND_ALONE_FAX, enabled=False)
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Name",
        "Type",
        "Licensed Machine Name",
        "Enabled",
        "Basic Station",
        "Client Access",
        "ACD Level",
        "Additional Licenses",
    ]
    assert shown(model, model.row_of("Agent-7")) == [
        "Agent-7",
        "Remote",
        "PC-7",
        "Yes",
        "Yes",
        "Yes",
        "Media 3 Plus",
        "Interaction Recorder Access",
    ]
    assert shown(model, model.row_of("fax")) == [
        "fax",
        "Stand-alone Fax",
        "",
        "No",
        "No",
        "No",
        "",
        "",
    ]
    row = model.index(0, 0).data(Model.ROW_ROLE)
    assert isinstance(row, StationRow) and row.name == "Agent-7"


def test_an_enabled_station_without_basic_station_carries_the_r9_note(
    qapp: object, db: Database
) -> None:
    add_stations(db, "bare")
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    index = model.index(model.row_of("bare"), Model.NAME)
    assert "cannot activate until you allocate a Basic Station license" in index.data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None


def test_sort_and_filter(db: Database) -> None:
    add_stations(db, "s2", "S1", "t3")
    stations.update_station(db, "t3", edit=KeyEdit(add=frozenset({BASIC})))
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.NAME)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["S1", "s2", "t3"]
    proxy.sort(Model.BASIC_STATION, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, 0).data() == "t3"
    proxy.set_filter_text("S")  # any case, anywhere in the name
    assert sorted(proxy.index(r, 0).data() for r in range(proxy.rowCount())) == ["S1", "s2"]
    add_stations(db, "desk-s9", "t4")
    model.set_rows(
        read_models.station_rows(db)
    )  # the filter holds for rows read later, in their sorted places
    assert sorted(proxy.index(r, 0).data() for r in range(proxy.rowCount())) == [
        "S1",
        "desk-s9",
        "s2",
    ]
    proxy.sort(Model.NAME)
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["desk-s9", "S1", "s2"]
    proxy.set_filter_text("")
    assert proxy.rowCount() == 5


def test_the_container_is_registered_with_filter_and_count(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "alpha", "beta", "gamma")
    view = stations_view(window)
    qtbot.waitUntil(lambda: view.feed.complete)  # the rest is read on a worker thread
    assert view.objectName() == "stationsView" and view.accessibleName() == "Stations"
    assert QApplication.overrideCursor() is None  # no wait cursor: the window stays usable
    assert view.table.objectName() == "stationsTable"
    assert view.count_label.text() == "3 stations"
    qtbot.keyClicks(view.filter_edit, "ta")
    qtbot.waitUntil(lambda: view.names_in_view() == ["beta"])  # after a pause in typing
    assert view.count_label.text() == "1 of 3 stations"


def test_double_click_opens_station_configuration(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "alpha", "beta")
    view = stations_view(window)
    view.refresh()
    view.select_name("beta")
    rect = view.table.visualRect(view.table.currentIndex())
    # A real double-click is a press-release followed by a double-click event.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = view.configuration_dialog
    assert isinstance(dialog, StationConfigurationDialog)
    assert dialog.windowTitle() == "Station Configuration - beta"
    dialog.cancel()


def test_insert_opens_the_add_station_wizard(qtbot: QtBot, window: MainWindow) -> None:
    view = stations_view(window)
    view.table.setFocus()
    press_key(qtbot, view.table, Qt.Key.Key_Insert)
    assert isinstance(view.wizard, AddStationWizard)
    view.wizard.reject()


def test_delete_asks_then_removes_and_releases(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    add_stations(licensed_db, "alpha", "beta")
    allocation.allocate(licensed_db, CLIENT, stations=["alpha", "beta"])
    view = stations_view(window)
    view.refresh()
    view.select_name("alpha")
    view.table.setFocus()
    prompts.confirm_answers = [False]
    press_key(qtbot, view.table, Qt.Key.Key_Delete)
    assert "Delete station alpha?" in prompts.confirmed[0]
    assert [s.name for s in stations.list_stations(licensed_db)] == ["alpha", "beta"]
    prompts.confirm_answers = [True]
    press_key(qtbot, view.table, Qt.Key.Key_Delete)
    assert [s.name for s in stations.list_stations(licensed_db)] == ["beta"]
    assert view.model.names() == ["beta"]
    row = next(r for r in allocation.allocations(licensed_db) if r.key == CLIENT)
    assert row.assignable_configured == 1  # alpha's Client Access was released (R15)


def test_deleting_a_selection_is_all_or_nothing(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    add_stations(licensed_db, "alpha", "beta", "gamma")
    view = stations_view(window)
    view.refresh()
    view.select_names(["alpha", "beta"])
    stations.delete_station(licensed_db, "beta")  # another administrator, meanwhile
    before = snapshot(licensed_db)
    prompts.confirm_answers = [True]
    press_key(qtbot, view.table, Qt.Key.Key_Delete)
    assert "Delete 2 stations?" in prompts.confirmed[-1]
    assert prompts.errors == ["no station named 'beta'; nothing was deleted."]
    assert snapshot(licensed_db) == before  # alpha is still there: nothing partial
    assert view.model.names() == ["alpha", "gamma"]


def test_context_menu_offers_bulk_actions_for_a_selection(
    window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "alpha", "beta")
    view = stations_view(window)
    view.refresh()
    view.select_names(["alpha", "beta"])
    menu = view.context_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "&Open...",
        "&Insert...",
        "&Delete",
        "&Allocate license...",
        "&Remove license...",
    ]
    assert view.allocate_action.isEnabled() and not view.open_action.isEnabled()
    assert all(a.objectName() for a in menu.actions() if not a.isSeparator())


def test_refresh_reads_only_the_rows_an_edit_touched(
    qtbot: QtBot, qapp: object, db: Database
) -> None:
    add_stations(db, "s1", "s2")
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    stations.update_station(db, "s2", edit=KeyEdit(add=frozenset({BASIC})))
    with qtbot.waitSignal(model.dataChanged) as changed, qtbot.assertNotEmitted(model.modelReset):
        feed.refresh()
    assert changed.args[0].row() == model.row_of("s2")
    assert model.index(model.row_of("s2"), Model.BASIC_STATION).data() == "Yes"
    with qtbot.assertNotEmitted(model.dataChanged):
        feed.refresh()  # nothing changed since: nothing is read again
    add_stations(db, "s3")  # a new row is inserted, not the whole container read again
    with qtbot.waitSignal(model.rowsInserted) as inserted, qtbot.assertNotEmitted(model.modelReset):
        feed.refresh()
    assert inserted.args[1:] == [2, 2]
    assert model.names() == ["s1", "s2", "s3"]


def test_stations_added_and_deleted_elsewhere_take_their_sorted_places(  # type: ignore[no-untyped-def]
    qtbot: QtBot, qtmodeltester, db: Database
) -> None:
    add_stations(db, "s1", "s5", "s9")
    stations.update_station(db, "s9", edit=KeyEdit(add=frozenset({BASIC})))
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.BASIC_STATION, Qt.SortOrder.DescendingOrder)  # Yes first, then by name
    proxy.set_filter_text("s")
    assert model.names() == ["s9", "s1", "s5"]
    qtmodeltester.check(model)  # and it keeps checking the inserts and removals below
    add_stations(db, "s3", "s10")
    stations.update_station(db, "s10", edit=KeyEdit(add=frozenset({BASIC})))
    stations.delete_station(db, "s5")
    with qtbot.assertNotEmitted(model.modelReset):
        feed.refresh()
    assert model.names() == ["s9", "s10", "s1", "s3"]
    fresh = Model()  # what reading everything again would show
    fresh.set_rows(read_models.station_rows(db))
    fresh.sort(Model.BASIC_STATION, Qt.SortOrder.DescendingOrder)
    assert fresh.names() == model.names()
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == model.names()
    assert [model.row_of(n) for n in model.names()] == [0, 1, 2, 3]


def test_a_changed_value_moves_the_row_when_sorted_on_it(qapp: object, db: Database) -> None:
    add_stations(db, "s1", "s2")
    feed = stations_feed(api_of(db))
    feed.reload()
    model = feed.model
    model.sort(Model.BASIC_STATION, Qt.SortOrder.DescendingOrder)
    allocation.allocate(db, BASIC, stations=["s2"])
    feed.refresh()
    assert model.names() == ["s2", "s1"]


def test_station_configuration_undo_refused_now_is_reported_and_leaves_the_stack(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    add_stations(licensed_db, "a", "b", "c", "d", "e")
    # Basic Station's pooled licenses are assignable too (R1): 3 + 1 = 4, all taken.
    allocation.allocate(licensed_db, BASIC, stations=["a", "b", "c", "d"])
    view = stations_view(window)
    view.open_configuration("a")
    dialog = view.configuration_dialog
    assert dialog is not None
    dialog.licensing.basic_station_check.setChecked(False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert BASIC not in stations.get_station(licensed_db, "a").keys
    assert window.undo_stack.undoText() == "Station Configuration - a"
    prompts.errors.clear()  # the R9 note shown when saving a station without Basic Station
    allocation.allocate(licensed_db, BASIC, stations=["e"])  # another administrator takes it
    press_shortcut(qtbot, window, window.undo_action.shortcut())
    assert len(prompts.errors) == 1 and "could not be reversed" in prompts.errors[0]
    assert "R4" in prompts.errors[0]
    assert window.undo_stack.count() == 0
    assert BASIC not in stations.get_station(licensed_db, "a").keys


def test_a_logon_elsewhere_leaves_the_open_stations_container_alone(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    """The typed change feed: a logon names no station, so Stations reads nothing and
    repaints nothing, while Licenses Allocation's In Use follows at the next poll."""
    stations.add_station(window.db, "desk", keys=frozenset({BASIC}))
    add_stations(window.db, "other")
    users.add_user(window.db, "carol", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    allocation_model = window.licenses_allocation.model
    cell = (allocation_model.row_of(CLIENT), allocation_model.CONCURRENT_IN_USE)
    view = stations_view(window)
    window.refresh()
    reads: list[object] = []
    real_rows = window.api.station_rows
    window.api.station_rows = lambda names=None: reads.append(names) or real_rows(names)  # type: ignore[method-assign]
    server_side = Database(str(db_path))  # the IC server's logon, another connection
    logon.logon(server_side, "carol", station="desk")
    server_side.close()
    with (
        qtbot.assertNotEmitted(view.model.modelReset),
        qtbot.assertNotEmitted(view.model.dataChanged),
        qtbot.assertNotEmitted(view.model.rowsInserted),
    ):
        window.change_watcher.poll()
    assert reads == []
    window.show_container(Container.LICENSES_ALLOCATION)
    assert allocation_model.index(*cell).data() == "1"
