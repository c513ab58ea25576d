"""The Licenses Allocation container: a filter box over the table of access keys."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import ConsoleApi
from ia_licensing.views.licenses_allocation_table_model import (
    LicensesAllocationProxyModel,
    LicensesAllocationTableModel,
)
from ia_licensing.widgets.container_parts import container_title, filter_box

Model = LicensesAllocationTableModel

# The Name column fits IA's longest names ("Interaction Supervisor Plug-in: Historical
# Reporting") but no more, so that Notes stays readable at 1280 px.
_NAME_MAX_CHARS = 60


class LicensesAllocationView(QWidget):
    """Double-click or Enter on a row asks for License Configuration of that key.

    `license_configuration_requested(key, keys)` carries the keys in the order the
    container shows them (sorted and filtered), which is the order << and >> follow.
    """

    license_configuration_requested = Signal(str, list)

    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("licensesAllocationView")
        self.setAccessibleName("Licenses Allocation")
        self.model = LicensesAllocationTableModel(api.allocations(), self)
        self.proxy = LicensesAllocationProxyModel(self)
        self.proxy.setSourceModel(self.model)

        title = container_title("Licenses Allocation")
        self.filter_edit = filter_box("licensesAllocationFilter", "Filter licenses by name")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        header_row = QHBoxLayout()
        header_row.addWidget(title)
        header_row.addStretch(1)
        header_row.addWidget(self.filter_edit)

        self.table = QTableView()
        self.table.setObjectName("licensesAllocationTable")
        self.table.setAccessibleName("Licenses Allocation table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Model.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Keep numbers off the grid line on their right, names off the one on their left.
        self.table.setStyleSheet("QTableView::item { padding-left: 4px; padding-right: 6px; }")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self._size_columns()
        # `activated` is emitted for a double-click and for Enter/Return on the current row.
        self.table.activated.connect(self._open)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header_row)
        layout.addWidget(self.table)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()
        self.table.resizeColumnToContents(Model.NAME)
        name_width = self.table.columnWidth(Model.NAME) + 8
        self.table.setColumnWidth(
            Model.NAME, min(name_width, _NAME_MAX_CHARS * metrics.averageCharWidth())
        )
        for column in range(Model.ASSIGNABLE_ALLOWED, Model.NOTES):
            words = Model.HEADERS[column].split(" ", 1)
            widest = max(metrics.horizontalAdvance(w) for w in words)
            self.table.setColumnWidth(column, widest + 12)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def keys_in_view(self) -> list[str]:
        """The keys in the order shown (sorted and filtered)."""
        return [
            self.proxy.index(r, 0).data(Model.ROW_ROLE).key for r in range(self.proxy.rowCount())
        ]

    def select_key(self, key: str) -> None:
        source_row = self.model.row_of(key)
        if source_row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def open_current(self) -> None:
        self._open(self.table.currentIndex())

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        key = index.siblingAtColumn(Model.NAME).data(Model.ROW_ROLE).key
        self.license_configuration_requested.emit(key, self.keys_in_view())

    def refresh(self) -> None:
        """Every key's counts again: one aggregate read, milliseconds at 50,000 holders."""
        self.model.set_rows(self.api.allocations())
