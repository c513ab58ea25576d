"""The Licenses Allocation container: table model, sort/filter proxy and view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.services import allocation, licensing
from ia_licensing.services.allocation import AllocationRow
from ia_licensing.views.licenses_allocation_table_model import (
    NOTE_BACKGROUND,
    LicensesAllocationTableModel,
)
from ia_licensing.views.licenses_allocation_view import LicensesAllocationView
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from tests.helpers.console import api_of
from tests.helpers.database import ENTITLEMENTS, add_stations, add_users
from tests.helpers.gui import press_key

# The offscreen platform warns that it cannot propagate size hints when a window shows.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

Model = LicensesAllocationTableModel
CLIENT = catalog.CLIENT_ACCESS


def column(model: SortFilterProxy | Model, col: int, role: int) -> list[object]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def row_of(model: Model, key: str) -> int:
    row = model.row_of(key)
    assert row >= 0, key
    return row


def test_model_passes_qtmodeltester(qtmodeltester, db: Database) -> None:  # type: ignore[no-untyped-def]
    add_users(db, "alice", "bob")
    allocation.allocate(db, CLIENT, users=["alice", "bob"])
    model = Model(allocation.allocations(db))
    qtmodeltester.check(model)
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.ASSIGNABLE_CONFIGURED)
    qtmodeltester.check(proxy)


def test_columns_are_ia_s_columns_and_rows_match_the_database(db: Database) -> None:
    model = Model(allocation.allocations(db))
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in range(model.columnCount())
    ]
    assert headers == [
        "Name",
        "Assignable Allowed",
        "Assignable Configured",
        "Concurrent Allowed",
        "Concurrent Configured",
        "Concurrent In Use",
        "Notes",
    ]
    shown = [
        str(model.headerData(c, Qt.Orientation.Horizontal)).replace("\n", " ")
        for c in range(model.columnCount())
    ]
    assert shown == headers
    rows = allocation.allocations(db)
    assert column(model, Model.NAME, Qt.ItemDataRole.DisplayRole) == [r.name for r in rows]
    client = model.index(row_of(model, CLIENT), 0)
    assert client.siblingAtColumn(Model.ASSIGNABLE_ALLOWED).data() == "3"
    assert client.siblingAtColumn(Model.CONCURRENT_ALLOWED).data() == "2"
    row = client.data(Model.ROW_ROLE)
    assert isinstance(row, AllocationRow) and row.key == CLIENT


def test_numbers_sort_as_numbers(db: Database) -> None:
    licensing.seed_entitlements(
        db,
        {CLIENT: (9999, 0), catalog.ACD_MEDIA_1: (20000, 0), catalog.ACD_MEDIA_2: (100, 0)},
        "big license",
    )
    model = Model(allocation.allocations(db))
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Model.ASSIGNABLE_ALLOWED, Qt.SortOrder.AscendingOrder)
    assert column(proxy, Model.ASSIGNABLE_ALLOWED, Qt.ItemDataRole.DisplayRole) == [
        "100",
        "9999",
        "20000",
    ]
    assert column(proxy, Model.ASSIGNABLE_ALLOWED, Model.SORT_ROLE) == [100, 9999, 20000]
    proxy.sort(Model.ASSIGNABLE_ALLOWED, Qt.SortOrder.DescendingOrder)
    assert column(proxy, Model.NAME, Qt.ItemDataRole.DisplayRole) == [
        "ACD Media 1",
        "Client Access",
        "ACD Media 2",
    ]


def test_filter_box_filters_on_name_case_insensitively(qtbot: QtBot, db: Database) -> None:
    view = LicensesAllocationView(api_of(db))
    qtbot.addWidget(view)
    qtbot.keyClicks(view.filter_edit, "acd MEDIA")
    names = column(view.proxy, Model.NAME, Qt.ItemDataRole.DisplayRole)
    assert names == ["ACD Media 1", "ACD Media 2", "ACD Media 3"]
    assert [k for k in view.keys_in_view()] == list(catalog.ACD_LEVELS)
    view.filter_edit.clear()
    assert view.proxy.rowCount() == len(allocation.allocations(db))


def test_rows_with_a_note_are_flagged(db: Database) -> None:
    add_users(db, "a", "b", "c")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (1, 2)}, "smaller license")
    model = Model(allocation.allocations(db))
    noted = model.index(row_of(model, CLIENT), Model.NAME)
    assert noted.siblingAtColumn(Model.NOTES).data() == "Assignable over-allocated by 2 — remove 2"
    icon = noted.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    background = noted.siblingAtColumn(Model.ASSIGNABLE_ALLOWED).data(
        Qt.ItemDataRole.BackgroundRole
    )
    assert isinstance(background, QBrush) and background.color() == NOTE_BACKGROUND
    assert noted.siblingAtColumn(Model.NOTES).data(Qt.ItemDataRole.FontRole).bold()
    assert "over-allocated" in noted.data(Qt.ItemDataRole.ToolTipRole)
    plain = model.index(row_of(model, catalog.ACD_MEDIA_1), Model.NAME)
    assert plain.data(Qt.ItemDataRole.DecorationRole) is None
    assert plain.data(Qt.ItemDataRole.BackgroundRole) is None


def test_refresh_repaints_only_the_rows_that_changed(qtbot: QtBot, db: Database) -> None:
    add_stations(db, "s1")
    model = Model(allocation.allocations(db))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changed.append((top.row(), bottom.row())))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    allocation.allocate(db, catalog.BASIC_STATION, stations=["s1"])
    model.set_rows(allocation.allocations(db))
    basic = row_of(model, catalog.BASIC_STATION)
    assert changed == [(basic, basic)]
    assert resets == []
    assert model.index(basic, Model.ASSIGNABLE_CONFIGURED).data() == "1"
    model.set_rows(allocation.allocations(db))  # nothing changed: no signal at all
    assert changed == [(basic, basic)]


def test_refresh_resets_when_the_keys_change(qtbot: QtBot, db: Database) -> None:
    model = Model(allocation.allocations(db))
    licensing.seed_entitlements(db, {**ENTITLEMENTS, "I3_ACCESS_FEEDBACK": (4, 0)}, "more keys")
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(allocation.allocations(db))
    assert "Interaction Feedback Access" in column(model, Model.NAME, Qt.ItemDataRole.DisplayRole)


def test_double_click_and_enter_ask_for_license_configuration(qtbot: QtBot, db: Database) -> None:
    view = LicensesAllocationView(api_of(db))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.select_key(CLIENT)
    index = view.table.currentIndex()
    rect = view.table.visualRect(index)
    # An item view acts on a double-click only after a press on the same item, as by a mouse.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.license_configuration_requested) as blocker:
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [CLIENT, view.keys_in_view()]
    view.select_key(catalog.BASIC_STATION)
    view.table.setFocus()
    with qtbot.waitSignal(view.license_configuration_requested) as blocker:
        press_key(qtbot, view.table, Qt.Key.Key_Return)
    assert blocker.args[0] == catalog.BASIC_STATION
