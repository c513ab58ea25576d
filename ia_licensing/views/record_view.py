"""A container page listing records: a title, a filter box, a sortable table.

Subclasses say what the records are (`load`) and what activating one does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.widgets.container_parts import container_title, filter_box, fit_columns
from ia_licensing.widgets.record_table_model import RecordTableModel

MAX_COLUMN_WIDTH = 520  # pixels


class RecordContainerView(QWidget):
    activated = Signal(object)

    def __init__(
        self,
        title: str,
        object_name: str,
        model: RecordTableModel[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(f"{title} container")
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(RecordTableModel.SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)  # the filter box searches every column
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.heading = container_title(title)
        self.filter = filter_box(f"{object_name}Filter", f"Filter {title}", "Filter")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setObjectName(f"{object_name}Table")
        self.table.setAccessibleName(f"{title} list")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt's default is descending
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Size columns from the first rows, not from every one of thousands.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

        self.bar = QHBoxLayout()
        self.bar.addWidget(self.heading)
        self.bar.addStretch(1)
        self.bar.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(self.table)

    def _activated(self, index: Any) -> None:
        record = index.data(RecordTableModel.ROW_ROLE)
        if record is not None:
            self.activated.emit(record)

    def selected_records(self) -> list[Any]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(RecordTableModel.ROW_ROLE) for r in sorted(rows)]

    def show_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        if self.model.rowCount() and not self.table.property("sized"):
            fit_columns(self.table, MAX_COLUMN_WIDTH)
            self.table.setProperty("sized", True)
