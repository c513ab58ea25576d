"""The Licenses Allocation container: a filter box over the table of access keys."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QWidget

from ia_licensing.console_api import ConsoleApi
from ia_licensing.views.container_view import ContainerView
from ia_licensing.views.licenses_allocation_table_model import LicensesAllocationTableModel

Model = LicensesAllocationTableModel

# The Name column fits IA's longest names ("Interaction Supervisor Plug-In: Historical
# Reporting") but no more, so that Notes stays readable at 1280 px.
_NAME_MAX_CHARS = 60


class LicensesAllocationView(ContainerView):
    """Double-click or Enter on a row asks for License Configuration of that key.

    `license_configuration_requested(key, keys)` carries the keys in the order the
    container shows them (sorted and filtered), which is the order << and >> follow.
    """

    EMPTY = "No license is in force. Load one with File > Load License."
    SELECTION = QAbstractItemView.SelectionMode.SingleSelection

    license_configuration_requested = Signal(str, list)

    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__(
            Model(api.allocations()),
            title="Licenses Allocation",
            name="licensesAllocation",
            view_name="licensesAllocationView",
            accessible="Licenses Allocation",
            table_accessible="Licenses Allocation table",
            filter_accessible="Filter licenses by name",
            parent=parent,
        )
        self.api = api
        self._size_columns()

    def _size_columns(self) -> None:
        metrics = self.fontMetrics()
        self.table.resizeColumnToContents(Model.NAME)
        name_width = self.table.columnWidth(Model.NAME) + 8
        self.table.setColumnWidth(
            Model.NAME, min(name_width, _NAME_MAX_CHARS * metrics.averageCharWidth())
        )
        for column in range(Model.ASSIGNABLE_ALLOWED, Model.NOTES):
            lines = self.model.headers[column].split("\n")
            self.table.setColumnWidth(column, max(map(metrics.horizontalAdvance, lines)) + 12)

    def keys_in_view(self) -> list[str]:
        """The keys in the order shown (sorted and filtered)."""
        return [row.key for row in self.rows_in_view()]

    def open_current(self) -> None:
        self.activate(self.table.currentIndex())

    def activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.license_configuration_requested.emit(self.row_at(index).key, self.keys_in_view())

    def refresh(self) -> None:
        """Every key's counts again: one aggregate read, milliseconds at 50,000 holders."""
        self.model.set_rows(self.api.allocations())
