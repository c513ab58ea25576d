"""The Add… picker of License Configuration: eligible users or stations, filtered in SQL.

Only holders that do not hold the key are listed; those a rule refuses are greyed out
with the rule's message as tooltip (the same `rules.allocation_refusal` the service
enforces). At most `LIMIT` names are listed; typing in the filter box narrows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import Change, ConsoleApi, Eligible, EligibleWorkgroup
from ia_licensing.rules import HolderKind, Pool

LIMIT = 500
ELIGIBLE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PickerRequest:
    """What License Configuration asks the picker for: one tab's list of one key."""

    api: ConsoleApi
    key: str
    display_name: str
    kind: HolderKind
    pool: Pool
    pending: Change
    pending_configured: int
    workgroups: bool = False  # the Workgroup Name list: workgroups to grant the key (R32)

    @property
    def noun(self) -> str:
        if self.workgroups:
            return "workgroup"
        return "user" if self.kind is HolderKind.USER else "station"

    @property
    def title(self) -> str:
        return f"Add {self.noun.capitalize()}s - {self.display_name}"

    def offered(self, filter_text: str = "", limit: int = LIMIT) -> Sequence[Choice]:
        """What the picker lists, each with the refusal that greys it out."""
        if self.workgroups:
            return self.api.eligible_workgroups(
                self.key,
                filter_text,
                limit,
                pending=self.pending,
                pending_configured=self.pending_configured,
            )
        return self.api.eligible(
            self.key,
            self.kind,
            self.pool,
            filter_text,
            limit,
            pending=self.pending,
            pending_configured=self.pending_configured,
        )


Choice = Eligible | EligibleWorkgroup
# The dialog's seam: tests can answer the picker without opening it.
Chooser = Callable[[QWidget, PickerRequest], Sequence[Choice]]


class HolderPickerDialog(QDialog):
    def __init__(self, request: PickerRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        noun = request.noun
        self.setObjectName("holderPickerDialog")
        self.setAccessibleName(request.title)
        self.setWindowTitle(request.title)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("holderPickerFilter")
        self.filter_edit.setAccessibleName(f"Filter {noun}s by name")
        self.filter_edit.setPlaceholderText(f"Filter {noun} names")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.reload)

        self.model = QStandardItemModel(self)
        self.list_view = QListView()
        self.list_view.setObjectName("holderPickerList")
        self.list_view.setAccessibleName(f"Eligible {noun}s")
        self.list_view.setModel(self.model)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setUniformItemSizes(True)
        self.list_view.doubleClicked.connect(self.accept)

        self.status = QLabel()
        self.status.setObjectName("holderPickerStatus")
        self.status.setAccessibleName("Picker status")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("holderPickerButtons")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add")
        self.ok_button.setObjectName("holderPickerAddButton")
        self.ok_button.setAccessibleName(f"Add the selected {noun}s")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("holderPickerCancelButton")
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list_view.selectionModel().selectionChanged.connect(self._selection_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list_view)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(360, 460)
        self.reload()

    def reload(self) -> None:
        found = self.request.offered(self.filter_edit.text(), LIMIT)
        self.model.clear()
        for holder in found:
            item = QStandardItem(holder.name)
            item.setData(holder, ELIGIBLE_ROLE)
            if holder.refusal is not None:
                # Greyed out and not selectable; the tooltip says which rule and why.
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(f"{holder.refusal.message} ({holder.refusal.rule})")
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.model.appendRow(item)
        if len(found) >= LIMIT:
            self.status.setText(f"Showing the first {LIMIT} names: type to narrow the list")
        elif not found:
            self.status.setText("No eligible holder matches")
        else:
            self.status.setText(f"{len(found)} listed")
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.list_view.selectionModel().selectedIndexes()))

    def names(self) -> list[str]:
        """Every name listed, eligible or greyed out."""
        return [self.model.item(r).text() for r in range(self.model.rowCount())]

    def refused_names(self) -> dict[str, str]:
        return {
            self.model.item(r).text(): self.model.item(r).toolTip()
            for r in range(self.model.rowCount())
            if not self.model.item(r).isEnabled()
        }

    def select_names(self, names: list[str]) -> None:
        wanted = {n.casefold() for n in names}
        selection = self.list_view.selectionModel()
        selection.clearSelection()
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            if item.text().casefold() in wanted and item.isEnabled():
                selection.select(item.index(), selection.SelectionFlag.Select)

    def selected(self) -> list[Choice]:
        rows = sorted(i.row() for i in self.list_view.selectionModel().selectedIndexes())
        return [self.model.item(r).data(ELIGIBLE_ROLE) for r in rows]

    @classmethod
    def choose(cls, parent: QWidget, request: PickerRequest) -> Sequence[Choice]:
        """Open the picker modally; the holders chosen, or [] when cancelled."""
        picker = cls(request, parent)
        try:
            if picker.exec() == QDialog.DialogCode.Accepted:
                return picker.selected()
            return []
        finally:
            picker.deleteLater()
