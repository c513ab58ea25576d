"""The one table model every table in the console is built on (containers and dialogs).

Columns are declared once as (title, shown text, sort value, optional alignment). The model
holds no database handle: it is fed rows (`set_rows`, and `update_rows` for the few that
changed), frozen tuples with every column already computed, so sorting or filtering 50,000
rows asks nothing of the database and a test feeds it rows in memory.

The model sorts its own list, in Python, and the one proxy (`SortFilterProxy`) passes its
sort here: a proxy sorting 50,000 rows asks data() for a sort value about 800,000 times
(seconds in Python); sorting the list with one key per row takes a few tens of ms.

Ties sort in the order of `TIE_COLUMN` (the name, in natural order: station2 before
station10), whichever way the column is sorted; without one, in the order the rows came.
With no sort column (-1, as a dialog's table before a header is clicked) that order is all.

A row may have a key (a holder's name, a license key): `set_rows` then repaints only the
rows that changed, and resets only when the keys did. Without one, any change resets.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

# Raw values (case-folded names, counts as ints) so that what is sorted is what is meant.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# The row itself (a read model's frozen tuple), for whatever the view does with it.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Ordered(Generic[Row]):
    """Rows with the model's order worked out for the sort they name (`RowTableModel.in_order`,
    which a worker may call: ordering 50,000 rows then costs the GUI thread nothing)."""

    sort: tuple[int, Qt.SortOrder]
    rows: list[Row]
    order: list[int]


class Column(NamedTuple):
    title: str  # a "\n" splits a long title over two lines; tooltips show it on one
    shown: Callable[[Any], str]
    sort: Callable[[Any], Any]
    # None: numbers to the right (as IA shows counts), text to the left; set, the header too.
    align: Qt.AlignmentFlag | None = None


def warning_icon() -> QIcon | None:
    style = QApplication.style() if QApplication.instance() else None
    return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if style else None


class _OrderKey:
    """A row's place in the model's order: the sort value (either way), then the tie."""

    __slots__ = ("descending", "tie", "value")

    def __init__(self, value: Any, tie: Any, descending: bool) -> None:
        self.value, self.tie, self.descending = value, tie, descending

    def __lt__(self, other: _OrderKey) -> bool:
        if self.value != other.value:
            return bool(other.value < self.value if self.descending else self.value < other.value)
        return bool(self.tie < other.tie)


def _none_last(value: Any) -> tuple[bool, Any]:
    """An empty value after every other (ascending), as Qt orders an invalid variant."""
    return (True, 0) if value is None else (False, value)


class RowTableModel(QAbstractTableModel, Generic[Row]):
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    TIE_COLUMN: ClassVar[int | None] = None

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        columns: Sequence[Column] | None = None,
        key: Callable[[Row], Hashable] | None = None,
        note: Callable[[Row], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns) if columns is not None else self.COLUMNS
        self._key, self._note = key, note
        self.loaded = False  # set_rows has been called: a container shown once
        self._rows: list[Row] = []
        self._ranks: list[int] = []  # each row's place in the order it came (for ties)
        self._position: dict[Hashable, int] = {}
        self._folded: list[str] | None = None  # what the proxy's filter searches, on demand
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- hooks --------------------------------------------------------------------------------

    def tooltip(self, row: Row, column: int) -> str:
        """The note, if the row has one; else the cell's text, whole."""
        return (self._note(row) if self._note else "") or self.columns[column].shown(row)

    def decoration(self, row: Row, column: int) -> Any:
        """A row with a note carries a warning icon by its first column."""
        return warning_icon() if column == 0 and self._note and self._note(row) else None

    def role_data(self, row: Row, column: int, role: int) -> Any:
        """Any other role (a tint, a font)."""
        return None

    def filter_text(self, row: Row) -> str:
        """What the filter box searches: every column's text."""
        return "\x1f".join(c.shown(row) for c in self.columns)

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.title.replace("\n", " ")
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.shown(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align is not None:
                return int(column.align)
            value = column.sort(row)
            return int(RIGHT) if isinstance(value, int) and not isinstance(value, bool) else None
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(row, index.column())
        return self.role_data(row, index.column(), role)

    # --- the views' API -----------------------------------------------------------------------

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.columns)

    @property
    def rows(self) -> list[Row]:
        """The rows in the model's (sorted) order."""
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def keys(self) -> list[Hashable]:
        return list(map(self._keyed(), self._rows))

    def row_of(self, key: Hashable) -> int:
        return self._position.get(key, -1)

    def folded_text(self, row: int) -> str:
        """The row's `filter_text`, case-folded (the proxy's filter, without data())."""
        if self._folded is None:
            self._folded = list(map(str.casefold, map(self.filter_text, self._rows)))
        return self._folded[row]

    def in_order(self, rows: Sequence[Row]) -> Ordered[Row]:
        """`rows` with their order in the model's current sort worked out: it reads nothing
        a view changes but the sort, so a worker thread may call it (`set_rows` checks that
        the sort is still the same)."""
        fed, sort = list(rows), (self._sort_column, self._sort_order)
        return Ordered(sort, fed, self._order(fed, range(len(fed)), *sort))

    def set_rows(self, rows: Sequence[Row] | Ordered[Row]) -> None:
        """Every row: repaint only those that changed; reset if the keys changed (or, with
        no key, if anything did)."""
        self.loaded = True
        if isinstance(rows, Ordered) and rows.sort == (self._sort_column, self._sort_order):
            fed, order = rows.rows, rows.order
        else:
            fed = list(rows.rows if isinstance(rows, Ordered) else rows)
            order = self._order(fed, range(len(fed)))
        new = list(map(fed.__getitem__, order))
        key = self._key
        same = list(map(key, new)) == self.keys() if key else new == self._rows
        if not same:
            self.beginResetModel()
            self._set(new, order)
            self.endResetModel()
            return
        self._ranks = order
        for i, (old, row) in enumerate(zip(self._rows, new, strict=True)):
            if old != row:
                self._replace(i, row)

    def update_rows(self, keys: Iterable[Hashable], rows: Sequence[Row]) -> None:
        """Bring the rows of `keys` to `rows`, just read: repaint the changed, insert the new
        in their sorted place, remove those not in `rows` (an add or delete at 50,000 rows
        would otherwise read everything again, most of a second)."""
        key = self._keyed()
        fresh = {key(row): row for row in rows}
        moved = False
        for k in keys:
            i, row = self._position.get(k), fresh.get(k)
            folded = self._folded  # kept in step, not folded again for every row
            if i is not None and row is None:
                self.beginRemoveRows(QModelIndex(), i, i)
                self._set(
                    self._rows[:i] + self._rows[i + 1 :], self._ranks[:i] + self._ranks[i + 1 :]
                )
                if folded is not None:
                    self._folded = folded[:i] + folded[i + 1 :]
                self.endRemoveRows()
            elif i is None and row is not None:
                rank = max(self._ranks, default=-1) + 1  # after every row that came before
                at = bisect.bisect_left(
                    range(len(self._rows)),
                    self._order_key(row, rank),
                    key=lambda j: self._order_key(self._rows[j], self._ranks[j]),
                )
                self.beginInsertRows(QModelIndex(), at, at)
                self._set(
                    [*self._rows[:at], row, *self._rows[at:]],
                    [*self._ranks[:at], rank, *self._ranks[at:]],
                )
                if folded is not None:
                    self._folded = [*folded[:at], self.filter_text(row).casefold(), *folded[at:]]
                self.endInsertRows()
            elif i is not None and row is not None and self._rows[i] != row:
                self._replace(i, row)
                moved = moved or self._sort_column not in (-1, self.TIE_COLUMN)
        if moved:
            self.sort(self._sort_column, self._sort_order)  # a changed value may move a row

    # --- sorting in Python ------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not -1 <= column < len(self.columns):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before, folded, kept = self._rows, self._folded, self.persistentIndexList()
        permutation = self._order(before, self._ranks)
        self._set(
            list(map(before.__getitem__, permutation)),
            list(map(self._ranks.__getitem__, permutation)),
        )
        if folded is not None:
            self._folded = list(map(folded.__getitem__, permutation))
        if self._key is not None:
            key = self._key
            moved = [self._position[key(before[i.row()])] for i in kept]
        else:
            wanted, moved_to = {i.row() for i in kept}, {}
            for new, old in enumerate(permutation):
                if old in wanted:
                    moved_to[old] = new
            moved = [moved_to[i.row()] for i in kept]
        self.changePersistentIndexList(
            kept, [self.index(row, i.column()) for row, i in zip(moved, kept, strict=True)]
        )
        self.layoutChanged.emit()

    def _order(
        self,
        rows: Sequence[Row],
        ranks: Sequence[int],
        column: int | None = None,
        order: Qt.SortOrder | None = None,
    ) -> list[int]:
        """The positions in `rows` in the model's order (ranks: the order they came in), or
        in the order of `column` and `order` when given."""
        column = self._sort_column if column is None else column
        order = self._sort_order if order is None else order
        tie = self.TIE_COLUMN
        if tie is None:
            ordered = sorted(range(len(rows)), key=ranks.__getitem__)
        else:
            ties = list(map(self.columns[tie].sort, rows))
            ordered = sorted(range(len(rows)), key=ties.__getitem__)
        descending = order == Qt.SortOrder.DescendingOrder
        if column == -1:
            return ordered
        if column == tie:
            return ordered[::-1] if descending else ordered
        values = list(map(self.columns[column].sort, rows))
        try:  # stable, either way: ties keep their order
            return sorted(ordered, key=values.__getitem__, reverse=descending)
        except TypeError:  # an empty value among others
            return sorted(ordered, key=lambda i: _none_last(values[i]), reverse=descending)

    def _order_key(self, row: Row, rank: int) -> _OrderKey:
        """Where `row` stands in the order `_order` gives, for a binary search."""
        tie = self.TIE_COLUMN
        tie_value = self.columns[tie].sort(row) if tie is not None else rank
        column = self._sort_column
        if column in (-1, tie):
            descending = column != -1 and self._sort_order == Qt.SortOrder.DescendingOrder
            return _OrderKey(tie_value, 0, descending)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return _OrderKey(self.columns[column].sort(row), tie_value, descending)

    # --- the list -----------------------------------------------------------------------------

    def _keyed(self) -> Callable[[Row], Hashable]:
        if self._key is None:
            raise TypeError(f"{type(self).__name__} has no row key")
        return self._key

    def _set(self, rows: list[Row], ranks: list[int]) -> None:
        self._rows, self._ranks = rows, ranks
        if self._key is not None:
            self._position = dict(zip(map(self._key, rows), range(len(rows)), strict=True))
        self._folded = None

    def _replace(self, i: int, row: Row) -> None:
        self._rows[i] = row
        if self._folded is not None:
            self._folded[i] = self.filter_text(row).casefold()
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
