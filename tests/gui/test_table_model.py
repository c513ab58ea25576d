"""The one table model and the one proxy, fed rows in memory (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QStandardItemModel
from pytestqt.qtbot import QtBot

from ia_licensing.widgets.ordering import natural
from ia_licensing.widgets.record_table_model import RecordTableModel
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from ia_licensing.widgets.table_model import RIGHT, ROW_ROLE, SORT_ROLE, Column, RowTableModel

pytestmark = pytest.mark.gui

DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
DESC = Qt.SortOrder.DescendingOrder


@dataclass(frozen=True)
class Item:
    name: str
    count: int = 0
    on: bool = False
    note: str = ""


class Items(RowTableModel[Item]):
    """Keyed by name, ties in natural name order, as the holders' models are."""

    NAME, COUNT, ON, TOTAL = range(4)
    TIE_COLUMN = NAME
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda r: r.name, lambda r: natural(r.name)),
        Column("Count", lambda r: str(r.count), lambda r: r.count),
        Column("On", lambda r: "Yes" if r.on else "No", lambda r: r.on),
        Column("Two\nLines", lambda r: str(r.count), lambda r: r.count, RIGHT),
    )

    def __init__(self, rows: list[Item] | None = None) -> None:
        super().__init__(key=attrgetter("name"), note=attrgetter("note"))
        if rows is not None:
            self.set_rows(rows)

    def filter_text(self, row: Item) -> str:
        return row.name


def names(model: RowTableModel[Item] | SortFilterProxy) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def signals(model: Items) -> list[str]:
    seen: list[str] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles: seen.append(f"{top.row()}-{bottom.row()}")
    )
    model.modelReset.connect(lambda: seen.append("reset"))
    model.rowsInserted.connect(lambda _parent, first, _last: seen.append(f"+{first}"))
    model.rowsRemoved.connect(lambda _parent, first, _last: seen.append(f"-{first}"))
    return seen


def test_columns_give_display_sort_and_row_roles(qapp: object) -> None:
    model = Items([Item("s10", 3, True)])
    index = model.index(0, Items.NAME)
    assert [model.index(0, c).data() for c in range(4)] == ["s10", "3", "Yes", "3"]
    assert index.data(SORT_ROLE) == natural("s10")
    assert model.index(0, Items.COUNT).data(SORT_ROLE) == 3
    assert model.index(0, Items.ON).data(SORT_ROLE) is True
    assert index.data(ROW_ROLE) == Item("s10", 3, True) == model.row_at(0)
    assert model.headers == ("Name", "Count", "On", "Two\nLines")
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.headerData(3, Qt.Orientation.Horizontal, tip) == "Two Lines"
    assert model.index(0, Items.COUNT).data(tip) == "3"  # no note: the cell's text


def test_numbers_align_right_and_a_declared_alignment_heads_its_column(qapp: object) -> None:
    model = Items([Item("a", 1, True)])
    right = int(RIGHT)
    assert model.index(0, Items.COUNT).data(ALIGN) == right  # an int: a count
    assert model.index(0, Items.ON).data(ALIGN) is None  # a bool is not a count
    assert model.index(0, Items.NAME).data(ALIGN) is None
    assert model.headerData(Items.COUNT, Qt.Orientation.Horizontal, ALIGN) is None
    assert model.headerData(Items.TOTAL, Qt.Orientation.Horizontal, ALIGN) == right


def test_a_note_is_the_tooltip_and_a_warning_icon_by_the_first_column(qapp: object) -> None:
    model = Items([Item("a", note="look"), Item("b")])
    noted = model.index(model.row_of("a"), 0)
    assert noted.data(Qt.ItemDataRole.ToolTipRole) == "look"
    icon = noted.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert noted.siblingAtColumn(1).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(model.row_of("b"), 0).data(Qt.ItemDataRole.DecorationRole) is None


def test_rows_are_in_natural_order_and_descending_ties_stay_by_name(qapp: object) -> None:
    model = Items([Item("s10", 1), Item("S1", 2), Item("s2", 1), Item("s9", 2)])
    assert names(model) == ["S1", "s2", "s9", "s10"]  # station2 before station10, any case
    model.sort(Items.COUNT, DESC)
    assert names(model) == ["S1", "s9", "s2", "s10"]  # ties keep name order either way
    model.sort(Items.COUNT)
    assert names(model) == ["s2", "s10", "S1", "s9"]
    model.sort(Items.NAME, DESC)
    assert names(model) == ["s10", "s9", "s2", "S1"]
    assert [model.row_of(n) for n in ("s10", "s9", "s2", "S1")] == [0, 1, 2, 3]


def test_set_rows_repaints_changed_rows_and_resets_when_the_keys_change(qapp: object) -> None:
    model = Items([Item("a", 1), Item("b", 2), Item("c", 3)])
    seen = signals(model)
    model.set_rows([Item("a", 1), Item("b", 5), Item("c", 3)])
    assert seen == ["1-1"] and model.index(1, Items.COUNT).data() == "5"
    model.set_rows([Item("c", 3), Item("b", 5), Item("a", 1)])  # the same rows, any order
    assert seen == ["1-1"]
    model.set_rows([Item("a", 1), Item("b", 5)])
    assert seen == ["1-1", "reset"] and names(model) == ["a", "b"]


def test_without_a_key_any_change_resets_and_the_rows_keep_the_order_they_came_in(
    qapp: object,
) -> None:
    when = dt.datetime(2025, 1, 2, 3, 4, 5)
    model = RecordTableModel[Item](
        [("Name", lambda r: r.name), ("Count", lambda r: r.count or None), ("At", lambda r: when)]
    )
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    rows = [Item("b", 2), Item("R18"), Item("R6", 1)]
    model.set_rows(rows)
    model.set_rows(list(rows))  # unchanged: nothing
    assert resets == [True] and names(model) == ["b", "R18", "R6"]
    assert model.index(0, 2).data() == "2025-01-02 03:04:05"
    assert model.index(0, 2).data(SORT_ROLE) == when.isoformat()
    assert model.index(1, 1).data() == "" and model.index(1, 1).data(SORT_ROLE) is None
    model.sort(0)
    assert names(model) == ["b", "R6", "R18"]  # natural order: R6 before R18
    model.sort(1)
    assert names(model) == ["R6", "b", "R18"]  # an empty value last, as Qt orders it
    model.sort(1, DESC)
    assert names(model) == ["R18", "b", "R6"]
    model.sort(-1)  # no sort column: the order they came in
    assert names(model) == ["b", "R18", "R6"]
    with pytest.raises(TypeError):
        model.update_rows(["b"], [])  # a row can only be found by its key


def test_update_rows_inserts_and_removes_in_the_sorted_place(qtbot: QtBot) -> None:
    model = Items([Item("s1", 1), Item("s5", 0), Item("s9", 1)])
    model.sort(Items.COUNT, DESC)
    assert names(model) == ["s1", "s9", "s5"]
    seen = signals(model)
    model.update_rows(["s3", "s10", "s5"], [Item("s3", 0), Item("s10", 1)])
    assert seen == ["+2", "+2", "-4"]  # s3 before s5 among the 0s, s10 after s9 among the 1s
    assert names(model) == ["s1", "s9", "s10", "s3"]
    assert [model.row_of(n) for n in names(model)] == [0, 1, 2, 3]
    model.update_rows(["s3"], [Item("s3", 7)])  # a changed value moves the row
    assert seen[-1] == "3-3" and names(model) == ["s3", "s1", "s9", "s10"]
    fresh = Items([Item("s1", 1), Item("s9", 1), Item("s3", 7), Item("s10", 1)])
    fresh.sort(Items.COUNT, DESC)
    assert names(fresh) == names(model)  # what reading everything again would show


def test_a_sort_keeps_persistent_indexes_on_their_rows(qapp: object) -> None:
    model = Items([Item("a", 3), Item("b", 1), Item("c", 2)])
    held = QPersistentModelIndex(model.index(model.row_of("b"), Items.COUNT))
    model.sort(Items.COUNT)
    assert held.row() == 0 and held.column() == Items.COUNT and held.data() == "1"
    records = RecordTableModel[Item]([("Name", lambda r: r.name)])
    records.set_rows([Item("b"), Item("a")])
    kept = QPersistentModelIndex(records.index(0, 0))
    records.sort(0)
    assert kept.row() == 1 and kept.data() == "b"


def test_model_and_proxy_pass_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = Items([Item(f"s{i}", i % 3, bool(i % 2), "x" if i == 4 else "") for i in range(12)])
    qtmodeltester.check(model)
    proxy = SortFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(Items.COUNT, DESC)  # the tester watches the re-sort and the changes below
    proxy.set_filter_text("1")
    model.update_rows(["s5", "s13"], [Item("s13", 2)])
    model.set_rows([*model.rows, Item("s21", 1)])
    records = RecordTableModel[Item]([("Name", lambda r: r.name), ("Count", lambda r: r.count)])
    records.set_rows([Item("a", 1), Item("b", 2)])
    qtmodeltester.check(records)


class CountingProxy(SortFilterProxy):
    compared = 0

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        CountingProxy.compared += 1
        return super().lessThan(left, right)


def test_the_proxy_filters_on_the_folded_text_and_sorts_through_the_source(qapp: object) -> None:
    model = Items([Item("Desk-S2", 1), Item("s10", 2), Item("t3", 3)])
    proxy = CountingProxy()
    proxy.setSourceModel(model)
    proxy.sort(Items.COUNT, DESC)
    assert names(proxy) == names(model) == ["t3", "s10", "Desk-S2"]  # the source's order
    assert CountingProxy.compared == 0  # never lessThan: the source sorted its list
    proxy.set_filter_text("S")  # any case, anywhere in the filter text (here the name)
    assert names(proxy) == ["s10", "Desk-S2"]
    model.set_rows([*model.rows, Item("s4", 9), Item("u5", 9)])  # the filter holds
    assert names(proxy) == ["s4", "s10", "Desk-S2"]
    model.update_rows(["t3"], [Item("t3", 3, note="see s10")])
    assert names(proxy) == ["s4", "s10", "Desk-S2"]  # the name is searched, not the note
    proxy.sort(Items.NAME)
    assert names(proxy) == ["Desk-S2", "s4", "s10"]
    proxy.set_filter_text("")
    assert proxy.rowCount() == 5 and CountingProxy.compared == 0
    records = RecordTableModel[Item]([("Name", lambda r: r.name), ("Count", lambda r: r.count)])
    records.set_rows([Item("alpha", 12), Item("beta", 3)])
    every = SortFilterProxy()
    every.setSourceModel(records)
    every.set_filter_text("12")  # a record's filter searches every column
    assert names(every) == ["alpha"]
    with pytest.raises(TypeError):
        every.setSourceModel(QStandardItemModel())
