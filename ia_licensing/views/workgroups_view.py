"""The Workgroups container (People ▸ Workgroups): each ACD workgroup queue with its
interaction types and members. The selected workgroup's R18 notes show under the table;
Insert and double-click open Workgroup Configuration, Delete asks first."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QWidget

from ia_licensing.console_api import ServiceError
from ia_licensing.dialogs.workgroup_editor import NOTE_STYLE, WorkgroupEditor
from ia_licensing.views.container_view import ContainerView
from ia_licensing.views.holder_view import confirm
from ia_licensing.views.workgroups_table_model import WorkgroupsTableModel
from ia_licensing.widgets.host import ConsoleHost

Model = WorkgroupsTableModel


class WorkgroupsView(ContainerView):
    NOUN = "workgroup"  # counted beside the title, as Stations and Users are
    EMPTY = "There are no workgroups. Press Insert to add one."
    SELECTION = QAbstractItemView.SelectionMode.SingleSelection

    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        model = Model()
        super().__init__(
            model,
            title="Workgroups",
            name="workgroups",
            view_name="workgroupsView",
            accessible="Workgroups",
            table_accessible="Workgroups table",
            filter_accessible="Filter workgroups by name",
            parent=parent,
        )
        self.console = console
        self.api = console.api
        self.editor: WorkgroupEditor | None = None
        self._seen = self.api.newest_change()
        self.model.set_rows(self.api.workgroup_rows())
        self.update_count()
        self.table.setColumnWidth(Model.NAME, 200)
        self.table.setColumnWidth(Model.QUEUE_INTERACTION_TYPES, 260)
        self.table.selectionModel().currentRowChanged.connect(self._show_notes)

        self.notes_label = QLabel()
        self.notes_label.setObjectName("workgroupNotesLabel")
        self.notes_label.setAccessibleName("Members' ACD notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(NOTE_STYLE + " padding: 4px;")
        self.notes_label.hide()
        self.page.addWidget(self.notes_label)

        self.open_action = self._action("&Open...", "open", self.open_current, None)
        self.insert_action = self._action("&Insert...", "insert", self.insert, Qt.Key.Key_Insert)
        self.delete_action = self._action(
            "&Delete", "delete", self.delete_current, Qt.Key.Key_Delete
        )

    def _action(self, text: str, name: str, slot: object, key: Qt.Key | None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("workgroupsContextMenu")
        for action in (self.open_action, self.insert_action, self.delete_action):
            menu.addAction(action)
        return menu

    def current_name(self) -> str | None:
        row = self.current_row()
        return None if row is None else row.name

    def select_name(self, name: str) -> None:
        self.select_key(name)

    def _show_notes(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        note = self.row_at(index).note if index.isValid() else ""
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
        self.update_count()
        if name is not None:
            self.select_name(name)
        self._show_notes(self.table.currentIndex())

    def open_current(self) -> None:
        self.activate(self.table.currentIndex())

    def activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_editor(self.row_at(index).name)

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
