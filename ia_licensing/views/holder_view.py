"""What the Stations and Users containers share: a filter box over a sortable table of
holders, Insert, Delete, double-click to configure, and the context menu's bulk
Allocate license… and Remove license… over the selected rows.

A container does its work through its host (the main window): the console's API, its
prompts, its undo stack, and `refresh()` after every change so that the counts, the notes
and the status bar follow. It reads its rows when first shown, then only the rows the
change feed names (a logon elsewhere names none).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import ConsoleApi, ServiceError
from ia_licensing.dialogs.bulk_allocation import BulkAllocationDialog
from ia_licensing.dialogs.holder_configuration import HolderConfigurationDialog
from ia_licensing.rules import HolderKind
from ia_licensing.views.holder_table_model import HolderProxyModel
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.widgets.container_parts import container_title, filter_box
from ia_licensing.widgets.host import ConsoleHost
from ia_licensing.widgets.prompts import Prompts


def confirm(prompts: Prompts, parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question through the prompt service."""
    return prompts.confirm(parent, title, text)


class HolderContainerView(QWidget):
    KIND = HolderKind.STATION
    TITLE = ""
    NOUN = ""
    # Station or User Configuration, and the use cases that read and delete holders (R15).
    CONFIGURATION: ClassVar[type[HolderConfigurationDialog]]
    DELETE: ClassVar[staticmethod[[ConsoleApi, list[str]], None]]

    def __init__(
        self, console: ConsoleHost, feed: RowFeed[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.console = console
        self.api = console.api
        self.feed = feed
        model = feed.model
        model.setParent(self)
        self.bulk_dialog: BulkAllocationDialog | None = None
        self.configuration_dialog: HolderConfigurationDialog | None = None
        prefix = self.TITLE.lower()
        self.setObjectName(f"{prefix}View")
        self.setAccessibleName(self.TITLE)
        self.model = model
        self.proxy = HolderProxyModel(self)
        self.proxy.setSourceModel(model)

        title = container_title(self.TITLE)
        self.count_label = QLabel()
        self.count_label.setObjectName(f"{prefix}CountLabel")
        self.count_label.setAccessibleName(f"Number of {prefix}")

        self.filter_edit = filter_box(f"{prefix}Filter", f"Filter {prefix} by name")
        # Filtering 50,000 rows takes a quarter of a second: wait for a pause in typing.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(lambda: self._filter(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(self._filter_timer.start)

        header_row = QHBoxLayout()
        header_row.addWidget(title)
        header_row.addWidget(self.count_label)
        header_row.addStretch(1)
        header_row.addWidget(self.filter_edit)

        self.table = QTableView()
        self.table.setObjectName(f"{prefix}Table")
        self.table.setAccessibleName(f"{self.TITLE} table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(model.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableView::item { padding-left: 4px; padding-right: 6px; }")
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures 50,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.open_action = self._action("&Open...", "open", self.open_current)
        self.insert_action = self._action("&Insert...", "insert", self.insert)
        self.insert_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.delete_action = self._action("&Delete", "delete", self.delete_selected)
        self.delete_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.allocate_action = self._action(
            "&Allocate license...", "allocateLicense", lambda: self.bulk(allocate=True)
        )
        self.remove_action = self._action(
            "&Remove license...", "removeLicense", lambda: self.bulk(allocate=False)
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header_row)
        layout.addWidget(self.table)
        self._sized = False
        self._update_count()

    def _action(self, text: str, name: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _size_columns(self) -> None:
        # Qt samples at most 200 rows (resizeContentsPrecision), so this stays cheap at
        # 50,000; very long cells (Additional Licenses) are capped and show an ellipsis.
        self.table.verticalHeader().setResizeContentsPrecision(200)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.resizeColumnsToContents()
        widest = 40 * self.fontMetrics().averageCharWidth()
        for column in range(self.model.columnCount()):
            width = self.table.columnWidth(column) + 12
            self.table.setColumnWidth(column, min(width, widest))

    def _context_menu(self, point: QPoint) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(point))

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName(f"{self.TITLE.lower()}ContextMenu")
        selected = len(self.selected_names())
        self.open_action.setEnabled(selected == 1)
        self.delete_action.setEnabled(selected > 0)
        self.allocate_action.setEnabled(selected > 0)
        self.remove_action.setEnabled(selected > 0)
        for action in (self.open_action, self.insert_action, self.delete_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.allocate_action)
        menu.addAction(self.remove_action)
        return menu

    # --- rows -----------------------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        self.proxy.set_name_filter(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = self.NOUN if total == 1 else f"{self.NOUN}s"
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        )

    def showEvent(self, event: QShowEvent) -> None:
        """The rows are read when the container is first shown, not at start-up."""
        if not self._sized:
            # Reading 50,000 rows takes most of a second: show that the console is busy.
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.ensure_loaded()
                self._size_columns()
            finally:
                QApplication.restoreOverrideCursor()
            self._sized = True
        self._update_count()
        super().showEvent(event)

    def names_in_view(self) -> list[str]:
        """The names in the order shown (sorted and filtered): << and >> follow it."""
        self.ensure_loaded()
        if not self.filter_edit.text():
            return self.model.names()  # the proxy keeps the source's (sorted) order
        model, proxy = self.model, self.proxy
        return [
            model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).name
            for r in range(proxy.rowCount())
        ]

    def selected_names(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        ordered = sorted(rows, key=lambda index: index.row())
        return [self.model.row_at(self.proxy.mapToSource(i).row()).name for i in ordered]

    def select_names(self, names: list[str]) -> None:
        self.ensure_loaded()
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for name in names:
            row = self.model.row_of(name)
            index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
            if index is not None and index.isValid():
                selection.select(index, flags)
                self.table.scrollTo(index)

    def select_name(self, name: str) -> None:
        self.select_names([name])
        row = self.model.row_of(name)
        if row >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def ensure_loaded(self) -> None:
        """Read every row the first time (a container not shown yet costs nothing)."""
        self.feed.ensure_loaded()

    def refresh(self) -> None:
        self.feed.refresh()
        self._update_count()

    def changed(self) -> None:
        """After a change made here: the console refreshes every container and the notes."""
        self.console.refresh()
        if not self.isVisible():  # the console refreshes the container it shows
            self.refresh()

    # --- actions ----------------------------------------------------------------------------

    def open_current(self) -> None:
        self._open(self.table.currentIndex())

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            name = self.model.row_at(self.proxy.mapToSource(index).row()).name
            self.open_configuration(name)

    def open_configuration(self, name: str) -> None:
        """The holder's Configuration dialog; << and >> follow the container's order."""
        dialog = self.CONFIGURATION(
            self.api,
            self.names_in_view(),
            name,
            prompts=self.console.prompts,
            undo_stack=self.console.undo_stack,
            report=self.console.report,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.committed.connect(lambda _name: self.changed())
        dialog.finished.connect(lambda _result: self._configuration_closed(dialog))
        self.configuration_dialog = dialog
        dialog.open()

    def _configuration_closed(self, dialog: HolderConfigurationDialog) -> None:
        if self.configuration_dialog is dialog:
            self.configuration_dialog = None
            self.select_name(dialog.name)

    def insert(self) -> None:
        raise NotImplementedError

    def delete_selected(self) -> None:
        """Delete asks first, then removes and releases the licenses (R15)."""
        names = self.selected_names()
        if not names:
            return
        what = names[0] if len(names) == 1 else f"{len(names)} {self.NOUN}s"
        text = (
            f"Delete {self.NOUN} {what}?" if len(names) == 1 else f"Delete {what}?"
        ) + " Its licenses are released and its logon sessions end (R15)."
        if not confirm(self.console.prompts, self, f"Delete {self.TITLE}", text):
            return
        try:
            type(self).DELETE(self.api, names)  # all or none, in one transaction
        except ServiceError as error:  # e.g. another administrator deleted one meanwhile
            self.console.prompts.error(
                self, f"Delete {self.TITLE}", f"{error}; nothing was deleted."
            )
        self.changed()

    def bulk(self, *, allocate: bool) -> None:
        """Allocate license… or Remove license… for every selected row, as one change."""
        names = self.selected_names()
        if not names:
            return
        dialog = BulkAllocationDialog(
            self.api,
            self.KIND,
            names,
            allocate=allocate,
            undo_stack=self.console.undo_stack,
            report=self.console.report,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.committed.connect(lambda _key: self.changed())
        dialog.finished.connect(lambda _result: self._bulk_closed(dialog))
        self.bulk_dialog = dialog
        dialog.open()

    def _bulk_closed(self, dialog: BulkAllocationDialog) -> None:
        if self.bulk_dialog is dialog:
            self.bulk_dialog = None
