"""A container page listing records: a title, a filter box over every column, a sortable
table. Subclasses say what the records are (`refresh`); activating one emits it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from ia_licensing.views.container_view import ContainerView
from ia_licensing.widgets.record_table_model import RecordTableModel

MAX_COLUMN_WIDTH = 520  # pixels


class RecordContainerView(ContainerView):
    COMPACT = False
    MARGIN = None

    activated = Signal(object)

    def __init__(
        self,
        title: str,
        object_name: str,
        model: RecordTableModel[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            model,
            title=title,
            name=object_name,
            view_name=object_name,
            accessible=f"{title} container",
            table_accessible=f"{title} list",
            filter_accessible=f"Filter {title}",
            placeholder="Filter",
            parent=parent,
        )
        # The base view connects the table's `activated`, which a double-click also emits:
        # listening to `doubleClicked` as well opened a note's dialog twice.

    def activate(self, index: QModelIndex) -> None:
        record = index.data(RecordTableModel.ROW_ROLE)
        if record is not None:
            self.activated.emit(record)

    def selected_records(self) -> list[Any]:
        return self.selected_rows()

    def show_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        if not self.table.property("sized"):
            # Empty, the columns fit their headers ("Station or Remote Number" whole);
            # the first rows then size them to their contents, once.
            self.fit_columns(MAX_COLUMN_WIDTH)
            self.table.setProperty("sized", self.model.rowCount() > 0)
