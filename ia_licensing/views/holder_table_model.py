"""What the Stations, Users and Workgroups containers' table models share.

Columns are declared once on each subclass as (title, shown text, sort value). The model
holds no database handle: it is fed rows (`set_rows`, and `update_rows` for the few that
changed), the read models' frozen tuples with every column already computed, so sorting
or filtering 50,000 rows asks nothing of the database and a test feeds it rows in memory.
A row with a compliance note carries a warning icon by its name and the note as tooltip.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QApplication, QStyle

from ia_licensing.widgets.ordering import natural

Index = QModelIndex | QPersistentModelIndex


class HolderRow(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def note(self) -> str: ...


Row = TypeVar("Row", bound=HolderRow)
Column = tuple[str, Callable[[Any], str], Callable[[Any], Any]]


class _OrderKey:
    """The container's order: the sort column's value (either way), then the name."""

    __slots__ = ("descending", "name", "value")

    def __init__(self, value: Any, name: str, descending: bool) -> None:
        self.value, self.name, self.descending = value, name, descending

    def __lt__(self, other: _OrderKey) -> bool:
        if self.value != other.value:
            return bool(other.value < self.value if self.descending else self.value < other.value)
        return self.name < other.name


class HolderTableModel(QAbstractTableModel, Generic[Row]):
    NAME = 0
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    # Raw values (case-folded names, booleans) so that the proxy sorts what is meant.
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loaded = False  # set_rows has been called: a container shown once
        self._rows: list[Row] = []
        self._position: dict[str, int] = {}
        # Parallel to the rows: what the proxy's name filter searches (see HolderProxyModel).
        self.folded_names: list[str] = []

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(title for title, _, _ in self.COLUMNS)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self.COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        _, shown, sort = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(row)
        if role == self.SORT_ROLE:
            return sort(row)
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.note or shown(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = sort(row)
            if isinstance(value, int) and not isinstance(value, bool):  # counts, as in IA
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == self.NAME and row.note:
            style = QApplication.style() if QApplication.instance() else None
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else None
        return None

    # --- the container's own API -------------------------------------------------------------

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def row_of(self, name: str) -> int:
        return self._position.get(name, -1)

    def names(self) -> list[str]:
        return [r.name for r in self._rows]

    def update_rows(self, names: Iterable[str], rows: Sequence[Row]) -> None:
        """Bring the named rows to `rows`, just read: repaint the changed, insert the new
        in their sorted place, remove those not in `rows` (an add or delete at 50,000 rows
        would otherwise read everything again, most of a second)."""
        fresh = {row.name: row for row in rows}
        last = len(self.COLUMNS) - 1
        moved = False
        for name in names:
            i, row = self._position.get(name), fresh.get(name)
            if i is not None and row is None:
                self.beginRemoveRows(QModelIndex(), i, i)
                self._set_rows(self._rows[:i] + self._rows[i + 1 :])
                self.endRemoveRows()
            elif i is None and row is not None:
                at = bisect.bisect_left(self._rows, self._order_key(row), key=self._order_key)
                self.beginInsertRows(QModelIndex(), at, at)
                self._set_rows([*self._rows[:at], row, *self._rows[at:]])
                self.endInsertRows()
            elif i is not None and row is not None and self._rows[i] != row:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))
                moved = moved or self._sort_column != self.NAME
        if moved:
            self.sort(self._sort_column, self._sort_order)  # a changed value may move a row

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Every row; repaint only those that changed (reset if the names changed)."""
        self.loaded = True
        new = self._sorted(rows)
        if [r.name for r in new] != self.names():
            self.beginResetModel()
            self._set_rows(new)
            self.endResetModel()
            return
        last = len(self.COLUMNS) - 1
        for i, (old, row) in enumerate(zip(self._rows, new, strict=True)):
            if old != row:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))

    # --- sorting in Python ------------------------------------------------------------------
    # A proxy sorting 50,000 rows asks data() for a sort value about 800,000 times (seconds
    # in Python); sorting the list here with one key per row takes a few tens of ms.

    _sort_column = NAME
    _sort_order = Qt.SortOrder.AscendingOrder

    def _sorted(self, rows: Sequence[Row]) -> list[Row]:
        key = self.COLUMNS[self._sort_column][2]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        # Ties keep name order, whichever way the column is sorted.
        ordered = sorted(rows, key=lambda r: natural(r.name))
        if self._sort_column == self.NAME:
            return ordered[::-1] if descending else ordered
        return sorted(ordered, key=key, reverse=descending)  # stable: ties stay by name

    def _order_key(self, row: Row) -> _OrderKey:
        """Where `row` stands in the order `_sorted` gives, for a binary search."""
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if self._sort_column == self.NAME:
            return _OrderKey(natural(row.name), "", descending)
        return _OrderKey(self.COLUMNS[self._sort_column][2](row), natural(row.name), descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._set_rows(self._sorted(before))
        old = self.persistentIndexList()
        moved = [self.index(self._position[before[i.row()].name], i.column()) for i in old]
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

    def _set_rows(self, rows: list[Row]) -> None:
        self._rows = rows
        self._position = {r.name: i for i, r in enumerate(rows)}
        self.folded_names = [r.name.casefold() for r in rows]


class HolderProxyModel(QSortFilterProxyModel):
    """Filters on the name, any case; sorting is passed to the source model, which sorts
    its own list (see HolderTableModel.sort), so the proxy keeps the source's order.

    The filter tests the source's case-folded names directly: Qt's own fixed-string filter
    asks data() for every row's text, about ten times slower at 50,000 rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(HolderTableModel.SORT_ROLE)
        self._needle = ""
        self._holders: HolderTableModel[Any] | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self._holders = model if isinstance(model, HolderTableModel) else None
        super().setSourceModel(model)

    def set_name_filter(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle or self._holders is None:
            return True
        return self._needle in self._holders.folded_names[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, HolderTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)
