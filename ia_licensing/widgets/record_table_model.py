"""A read-only table model over plain records (the services' frozen dataclasses), for the
containers that list what happened: Notes, Audit, Sessions.

Columns are declared once as (title, value getter); the sort role returns raw values, so
numbers and dates sort as such, and the row role returns the record itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ia_licensing.widgets.ordering import natural

Record = TypeVar("Record")
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[Record]):
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[Record], Any]]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Record] = []

    @property
    def rows(self) -> list[Record]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Record]) -> None:
        """Replace the rows; a reload resets, an unchanged list repaints nothing."""
        rows = list(rows)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == self.ROW_ROLE:
            return record
        value = self._columns[index.column()][1](record)
        if role == self.SORT_ROLE:
            if isinstance(value, dt.datetime):
                return value.isoformat()  # Qt cannot order Python datetimes; ISO text sorts
            return natural(value) if isinstance(value, str) else value  # R6 before R18
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(value, dt.datetime):
                return value.strftime("%Y-%m-%d %H:%M:%S")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
