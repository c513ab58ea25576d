"""The one sort/filter proxy over every table in the console (containers and dialogs).

Sorting is passed to the source (`RowTableModel.sort`), which sorts its own list in Python,
so the proxy keeps the source's order and never asks lessThan of 50,000 rows.

The filter tests the source's case-folded text directly (`RowTableModel.folded_text`: the
name for holders and licenses, every column for records): Qt's own fixed-string filter asks
data() for every row's text, about ten times slower at 50,000 rows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel, Qt

from ia_licensing.widgets.table_model import SORT_ROLE, Index, RowTableModel


class SortFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""
        self._rows: RowTableModel[Any] | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, RowTableModel):
            raise TypeError("SortFilterProxy sorts and filters a RowTableModel")
        self._rows = model
        super().setSourceModel(model)

    def set_filter_text(self, text: str) -> None:
        """Rows whose text contains `text`, in any case (empty: every row)."""
        needle = text.casefold()
        if needle == self._needle:
            return
        self.beginFilterChange()
        self._needle = needle
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle or self._rows is None:
            return True
        return self._needle in self._rows.folded_text(source_row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._rows is not None:
            self._rows.sort(column, order)
