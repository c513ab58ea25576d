"""The Licenses Allocation container's rows: one per purchased or configured access key,
keyed by license key, in the order the console reads them until a column is sorted. A row
with a note is flagged: warning icon by the name, tinted background, bold note."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ia_licensing.console_api import AllocationRow
from ia_licensing.widgets.table_model import RIGHT, Column, RowTableModel

# A pale amber, the colour admin tools use for "look at this"; readable in light themes.
NOTE_BACKGROUND = QColor(255, 244, 214)


def _count(title: str, value: Any) -> Column:
    # Two lines ("Assignable" over "Allowed") so all seven columns fit at 1280 px; counts
    # sort as ints, so that 20,000 sorts after 9,999.
    return Column(title.replace(" ", "\n", 1), lambda r: str(value(r)), value, RIGHT)


class LicensesAllocationTableModel(RowTableModel[AllocationRow]):
    NAME = 0
    ASSIGNABLE_ALLOWED = 1
    ASSIGNABLE_CONFIGURED = 2
    CONCURRENT_ALLOWED = 3
    CONCURRENT_CONFIGURED = 4
    CONCURRENT_IN_USE = 5
    NOTES = 6

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
        _count("Assignable Allowed", lambda r: r.assignable_allowed),
        _count("Assignable Configured", lambda r: r.assignable_configured),
        _count("Concurrent Allowed", lambda r: r.concurrent_allowed),
        _count("Concurrent Configured", lambda r: r.concurrent_configured),
        _count("Concurrent In Use", lambda r: r.concurrent_in_use),
        Column("Notes", lambda r: r.notes, lambda r: r.notes.casefold()),
    )

    def __init__(self, rows: Sequence[AllocationRow] = (), parent: QObject | None = None) -> None:
        super().__init__(parent, key=attrgetter("key"), note=attrgetter("notes"))
        self._bold = QFont()
        self._bold.setBold(True)
        self.set_rows(rows)

    def tooltip(self, row: AllocationRow, column: int) -> str:
        return row.notes or f"{row.name} ({row.key})"

    def filter_text(self, row: AllocationRow) -> str:
        return row.name

    def role_data(self, row: AllocationRow, column: int, role: int) -> Any:
        """A row with a note: tinted background, bold note (the icon: `decoration`)."""
        if not row.notes:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(NOTE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(0, 0, 0))  # the tint is light whatever the theme
        if role == Qt.ItemDataRole.FontRole and column == self.NOTES:
            return self._bold
        return None
