"""The Workgroups container (People ▸ Workgroups): each ACD workgroup queue with its
interaction types and members. The selected workgroup's R18 notes show under the table;
Insert and double-click open Workgroup Configuration, Delete asks first."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import ServiceError
from ia_licensing.dialogs.workgroup_editor import NOTE_STYLE, WorkgroupEditor
from ia_licensing.views.holder_table_model import HolderProxyModel
from ia_licensing.views.holder_view import confirm
from ia_licensing.views.workgroups_table_model import WorkgroupsTableModel
from ia_licensing.widgets.container_parts import container_title, filter_box
from ia_licensing.widgets.host import ConsoleHost

Model = WorkgroupsTableModel


class WorkgroupsView(QWidget):
    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = console
        self.api = console.api
        self.editor: WorkgroupEditor | None = None
        self.setObjectName("workgroupsView")
        self.setAccessibleName("Workgroups")
        self.model = Model(self)
        self._seen = self.api.newest_change()
        self.model.set_rows(self.api.workgroup_rows())
        self.proxy = HolderProxyModel(self)
        self.proxy.setSourceModel(self.model)

        title = container_title("Workgroups")
        self.filter_edit = filter_box("workgroupsFilter", "Filter workgroups by name")
        self.filter_edit.textChanged.connect(self.proxy.set_name_filter)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.filter_edit)

        self.table = QTableView()
        self.table.setObjectName("workgroupsTable")
        self.table.setAccessibleName("Workgroups table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Model.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(Model.NAME, 200)
        self.table.setColumnWidth(Model.QUEUE_INTERACTION_TYPES, 260)
        self.table.activated.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(self._show_notes)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.notes_label = QLabel()
        self.notes_label.setObjectName("workgroupNotesLabel")
        self.notes_label.setAccessibleName("Members' ACD notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(NOTE_STYLE + " padding: 4px;")
        self.notes_label.hide()

        self.open_action = self._action("&Open...", "open", self.open_current, None)
        self.insert_action = self._action("&Insert...", "insert", self.insert, Qt.Key.Key_Insert)
        self.delete_action = self._action(
            "&Delete", "delete", self.delete_current, Qt.Key.Key_Delete
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes_label)

    def _action(self, text: str, name: str, slot: object, key: Qt.Key | None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("workgroupsContextMenu")
        for action in (self.open_action, self.insert_action, self.delete_action):
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(point))

    def current_name(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row()).name

    def select_name(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def _show_notes(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        note = (
            self.model.row_at(self.proxy.mapToSource(index).row()).note if index.isValid() else ""
        )
        self.notes_label.setText(note)
        self.notes_label.setVisible(bool(note))

    def refresh(self) -> None:
        """R19: the notes are read again at every refresh, after every edit anywhere."""
        changes = self.api.changes_since(self._seen)
        self._seen = changes.newest
        if not changes.workgroups:
            return
        name = self.current_name()
        self.model.set_rows(self.api.workgroup_rows())
        if name is not None:
            self.select_name(name)
        self._show_notes(self.table.currentIndex())

    def open_current(self) -> None:
        self._open(self.table.currentIndex())

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_editor(self.model.row_at(self.proxy.mapToSource(index).row()).name)

    def insert(self) -> None:
        self.open_editor(None)

    def open_editor(self, name: str | None) -> None:
        editor = WorkgroupEditor(
            self.api,
            name,
            parent=self,
            undo_stack=self.console.undo_stack,
            report=self.console.report,
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.committed.connect(self._committed)
        editor.finished.connect(lambda _result: self._closed(editor))
        self.editor = editor
        editor.open()

    def _closed(self, editor: WorkgroupEditor) -> None:
        if self.editor is editor:
            self.editor = None

    def _committed(self, name: str) -> None:
        # The console refreshes every container and the status bar's notes count (R19).
        self.console.refresh()
        self.refresh()
        self.select_name(name)

    def delete_current(self) -> None:
        name = self.current_name()
        if name is None:
            return
        text = f"Delete workgroup {name}? Its members stay; their R18 notes are re-evaluated."
        if confirm(self.console.prompts, self, "Delete Workgroups", text):
            try:
                self.api.delete_workgroup(name)
            except ServiceError as error:  # deleted elsewhere meanwhile: say so
                self.console.report(str(error))
            self.console.refresh()
            self.refresh()
