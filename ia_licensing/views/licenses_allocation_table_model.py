"""The Licenses Allocation container's rows: one per purchased or configured access key."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from ia_licensing.console_api import AllocationRow

Index = QModelIndex | QPersistentModelIndex

# A pale amber, the colour admin tools use for "look at this"; readable in light themes.
NOTE_BACKGROUND = QColor(255, 244, 214)


class LicensesAllocationTableModel(QAbstractTableModel):
    NAME = 0
    ASSIGNABLE_ALLOWED = 1
    ASSIGNABLE_CONFIGURED = 2
    CONCURRENT_ALLOWED = 3
    CONCURRENT_CONFIGURED = 4
    CONCURRENT_IN_USE = 5
    NOTES = 6

    HEADERS = (
        "Name",
        "Assignable Allowed",
        "Assignable Configured",
        "Concurrent Allowed",
        "Concurrent Configured",
        "Concurrent In Use",
        "Notes",
    )
    # Raw values (ints for counts, case-folded names) so that 20,000 sorts after 9,999.
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    _NUMBERS: ClassVar[Mapping[int, Callable[[AllocationRow], int]]] = {
        ASSIGNABLE_ALLOWED: lambda r: r.assignable_allowed,
        ASSIGNABLE_CONFIGURED: lambda r: r.assignable_configured,
        CONCURRENT_ALLOWED: lambda r: r.concurrent_allowed,
        CONCURRENT_CONFIGURED: lambda r: r.concurrent_configured,
        CONCURRENT_IN_USE: lambda r: r.concurrent_in_use,
    }

    def __init__(self, rows: Sequence[AllocationRow] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AllocationRow] = list(rows)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            # Two lines ("Assignable" over "Allowed") so all seven columns fit at 1280 px.
            return self.HEADERS[section].replace(" ", "\n", 1)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self._NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.SORT_ROLE:
            number = self._NUMBERS.get(column)
            if number is not None:
                return number(row)
            return (row.name if column == self.NAME else row.notes).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.notes or f"{row.name} ({row.key})"
        if row.notes:
            return self._flag(column, role)
        return None

    def _display(self, row: AllocationRow, column: int) -> str:
        number = self._NUMBERS.get(column)
        if number is not None:
            return str(number(row))
        return row.name if column == self.NAME else row.notes

    def _flag(self, column: int, role: int) -> Any:
        """A row with a note: warning icon by the name, tinted background, bold note."""
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(NOTE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(0, 0, 0))  # the tint is light whatever the theme
        if role == Qt.ItemDataRole.FontRole and column == self.NOTES:
            return self._bold
        return None

    # --- the container's own API -------------------------------------------------------------

    def row_at(self, row: int) -> AllocationRow:
        return self._rows[row]

    def keys(self) -> list[str]:
        return [r.key for r in self._rows]

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.key == key), -1)

    def set_rows(self, rows: Sequence[AllocationRow]) -> None:
        """Repaint only the rows that changed (reset if the keys changed)."""
        new = list(rows)
        if [r.key for r in new] != self.keys():
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
            return
        last = len(self.HEADERS) - 1
        for i, (old, row) in enumerate(zip(self._rows, new, strict=True)):
            if old != row:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, last))


class LicensesAllocationProxyModel(QSortFilterProxyModel):
    """Sorts on the raw values and filters on Name, case-insensitively."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(LicensesAllocationTableModel.SORT_ROLE)
        self.setFilterKeyColumn(LicensesAllocationTableModel.NAME)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
