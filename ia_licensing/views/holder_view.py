"""What the Stations and Users containers share: a filter box over a sortable table of
holders, Insert, Delete, double-click to configure, and the context menu's bulk
Allocate license… and Remove license… over the selected rows.

A container does its work through its host (the main window): the console's API, its
prompts, its undo stack, and `refresh()` after every change so that the counts, the notes
and the status bar follow. It reads its rows when first shown, then only the rows the
change feed names (a logon elsewhere names none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMenu, QWidget

from ia_licensing.console_api import ConsoleApi, ServiceError
from ia_licensing.dialogs.bulk_allocation import BulkAllocationDialog
from ia_licensing.dialogs.holder_configuration import HolderConfigurationDialog
from ia_licensing.rules import HolderKind
from ia_licensing.views.container_view import ContainerView
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.widgets.host import ConsoleHost
from ia_licensing.widgets.prompts import Prompts

FIRST_PAINT_WAIT_MS = 500  # start reading the rest by then, painted and idle or not


def confirm(prompts: Prompts, parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question through the prompt service."""
    return prompts.confirm(parent, title, text)


class HolderContainerView(ContainerView):
    KIND = HolderKind.STATION
    TITLE = ""
    # Filtering 50,000 rows takes a quarter of a second: wait for a pause in typing.
    FILTER_DELAY_MS = 150
    # Station or User Configuration, and the use cases that read and delete holders (R15).
    CONFIGURATION: ClassVar[type[HolderConfigurationDialog]]
    DELETE: ClassVar[staticmethod[[ConsoleApi, list[str]], None]]

    def __init__(
        self, console: ConsoleHost, feed: RowFeed[Any], parent: QWidget | None = None
    ) -> None:
        prefix = self.TITLE.lower()
        super().__init__(
            feed.model,
            title=self.TITLE,
            name=prefix,
            view_name=f"{prefix}View",
            accessible=self.TITLE,
            table_accessible=f"{self.TITLE} table",
            filter_accessible=f"Filter {prefix} by name",
            parent=parent,
        )
        self.console = console
        self.api = console.api
        self.feed = feed
        feed.arrived = self.update_count
        self.bulk_dialog: BulkAllocationDialog | None = None
        self.configuration_dialog: HolderConfigurationDialog | None = None

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
        self._sized = False
        self._start_reading: Callable[[], None] | None = None
        self._waiting_idle = False

    def _action(self, text: str, name: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

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

    def showEvent(self, event: QShowEvent) -> None:
        """The rows are read when the container is first shown, not at start-up: the first
        screenful at once, the rest from a worker thread (views/row_feed.py)."""
        if not self._sized:
            self.feed.load_in_background(self._after_first_paint)
            # Very long cells (Additional Licenses) are capped and show an ellipsis.
            self.fit_columns(40 * self.fontMetrics().averageCharWidth(), padding=12)
            self._sized = True
        elif not self.feed.model.loaded:
            self.feed.load_in_background(self._after_first_paint)  # the last read failed
        self.update_count()
        super().showEvent(event)

    def _after_first_paint(self, start: Callable[[], None]) -> None:
        """Start reading the rest once the first page is painted and the window has nothing
        left to do: the worker's Python would otherwise compete with the painting for the
        interpreter (the GIL) and slow the first screen down."""
        self._start_reading = start
        self.table.viewport().installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._read_the_rest)  # if nothing paints

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._start_reading is not None:
            self.table.viewport().removeEventFilter(self)
            idle = QAbstractEventDispatcher.instance()
            if idle is None:
                QTimer.singleShot(0, self._read_the_rest)
            else:  # when the event loop next waits for events: the painting is done
                idle.aboutToBlock.connect(self._read_the_rest)
                self._waiting_idle = True
        return super().eventFilter(watched, event)

    def _read_the_rest(self) -> None:
        idle = QAbstractEventDispatcher.instance()
        if self._waiting_idle and idle is not None:
            idle.aboutToBlock.disconnect(self._read_the_rest)
        self._waiting_idle = False
        start, self._start_reading = self._start_reading, None
        if start is not None:
            self.table.viewport().removeEventFilter(self)
            start()

    def update_count(self) -> None:
        super().update_count()
        if getattr(self, "feed", None) is not None and self.feed.loading is not None:
            self.count_label.setText(f"{self.count_label.text()} (reading…)")

    def names_in_view(self) -> list[str]:
        """The names in the order shown (sorted and filtered): << and >> follow it."""
        self.ensure_loaded()
        return [row.name for row in self.rows_in_view()]

    def selected_names(self) -> list[str]:
        return [row.name for row in self.selected_rows()]

    def select_names(self, names: list[str]) -> None:
        self.ensure_loaded()
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for name in names:
            index = self.index_of(name)
            if index.isValid():
                selection.select(index, flags)
                self.table.scrollTo(index)

    def select_name(self, name: str) -> None:
        self.select_names([name])
        index = self.index_of(name)
        if index.isValid():
            self.table.setCurrentIndex(index)

    def ensure_loaded(self) -> None:
        """Read every row the first time (a container not shown yet costs nothing)."""
        self.feed.ensure_loaded()

    def refresh(self) -> None:
        self.feed.refresh()
        self.update_count()

    def changed(self) -> None:
        """After a change made here: the console refreshes every container and the notes."""
        self.console.refresh()
        if not self.isVisible():  # the console refreshes the container it shows
            self.refresh()

    # --- actions ----------------------------------------------------------------------------

    def open_current(self) -> None:
        self.activate(self.table.currentIndex())

    def activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_configuration(self.row_at(index).name)

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
