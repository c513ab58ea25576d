"""The Action menu and the toolbar, as MMC consoles have them: New, Properties, Delete,
Refresh and Export for the container in view, the same commands as its context menu.

A page offers what it can through the actions it already has: `insert_action` (New),
`open_action` or `open_current` (Properties), `delete_action` (Delete); the context menu's
other actions (Allocate license…, Log Off) follow them in the Action menu. What a page
cannot do is greyed out, as MMC greys out what a node does not support.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolBar,
    QWidget,
)


def _table(page: QWidget | None) -> QTableView | None:
    table = getattr(page, "table", None)
    return table if isinstance(table, QTableView) else None


def _page_action(page: QWidget | None, name: str) -> QAction | None:
    action = getattr(page, name, None)
    return action if isinstance(action, QAction) else None


class ContainerActions(QObject):
    """The five commands, kept in step with the page `current_page()` returns."""

    def __init__(
        self,
        parent: QWidget,
        current_page: Callable[[], QWidget | None],
        refresh: Callable[[], None],
        export: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.current_page = current_page
        style = parent.style()

        def make(text: str, name: str, pixmap: QStyle.StandardPixmap, tip: str) -> QAction:
            action = QAction(style.standardIcon(pixmap), text, parent)
            action.setObjectName(name)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            return action

        SP = QStyle.StandardPixmap
        self.new = make("&New...", "newAction", SP.SP_FileIcon, "Add a new item here")
        self.properties = make(
            "P&roperties...",
            "propertiesAction",
            SP.SP_FileDialogDetailedView,
            "Open the selected item's properties",
        )
        self.delete = make("&Delete", "deleteAction", SP.SP_TrashIcon, "Delete the selected items")
        self.refresh = make("Re&fresh", "actionRefreshAction", SP.SP_BrowserReload, "Refresh (F5)")
        self.export = make(
            "E&xport Report...",
            "exportAction",
            SP.SP_DialogSaveButton,
            "Export the allocation report (CSV or PDF)",
        )
        self.new.triggered.connect(lambda: self._run("insert_action"))
        self.properties.triggered.connect(self._properties)
        self.delete.triggered.connect(lambda: self._run("delete_action"))
        self.refresh.triggered.connect(refresh)
        self.export.triggered.connect(export)
        self._watched: QTableView | None = None

    # --- the menu and the toolbar ---------------------------------------------------------------

    def build_menu(self, menu: QMenu) -> None:
        """Fill the Action menu afresh each time it opens: the page's own extras included."""
        self.update()
        menu.clear()
        menu.addActions([self.new, self.properties, self.delete])
        extras = self._extras()
        if extras:
            menu.addSeparator()
            menu.addActions(extras)
        menu.addSeparator()
        menu.addActions([self.refresh, self.export])

    def build_toolbar(self, toolbar: QToolBar) -> None:
        toolbar.setIconSize(QSize(16, 16))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.addActions([self.new, self.properties, self.delete])
        toolbar.addSeparator()
        toolbar.addActions([self.refresh, self.export])

    def _extras(self) -> list[QAction]:
        page = self.current_page()
        named = [_page_action(page, name) for name in ("allocate_action", "remove_action")]
        found = [a for a in named if a is not None]
        table = _table(page)
        if (
            table is not None
            and table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
        ):
            found += table.actions()
        return found

    # --- following the page and its selection ---------------------------------------------------

    def page_changed(self) -> None:
        table = _table(self.current_page())
        if table is not self._watched and table is not None:
            table.selectionModel().selectionChanged.connect(self.update)
            table.selectionModel().currentChanged.connect(self.update)
            self._watched = table
        self.update()

    def update(self) -> None:
        page = self.current_page()
        table = _table(page)
        selected = len(table.selectionModel().selectedRows()) if table is not None else 0
        current = table is not None and table.currentIndex().isValid() and selected > 0
        self.new.setEnabled(_page_action(page, "insert_action") is not None)
        can_open = _page_action(page, "open_action") or callable(
            getattr(page, "open_current", None)
        )
        self.properties.setEnabled(bool(can_open) and current and selected == 1)
        self.delete.setEnabled(_page_action(page, "delete_action") is not None and selected > 0)
        # The page's own actions follow the selection as its context menu sets them.
        for name in ("delete_action", "allocate_action", "remove_action"):
            action = _page_action(page, name)
            if action is not None:
                action.setEnabled(selected > 0)

    def _run(self, name: str) -> None:
        self.update()
        action = _page_action(self.current_page(), name)
        if action is not None:
            action.trigger()

    def _properties(self) -> None:
        page = self.current_page()
        opener = getattr(page, "open_current", None)
        if callable(opener):
            opener()


def install_action_menu(
    window: QMainWindow,
    stack: QStackedWidget,
    refresh: Callable[[], None],
    export: Callable[[], object],
) -> tuple[ContainerActions, QMenu, QToolBar]:
    """Put the Action menu before View in `window`'s menu bar and the toolbar under it,
    following the container `stack` shows."""
    actions = ContainerActions(window, stack.currentWidget, refresh, export)
    bar = window.menuBar()
    view = next(m for m in bar.actions() if m.menu() and m.menu().objectName() == "viewMenu")
    menu = QMenu("&Action", bar)
    menu.setObjectName("actionMenu")
    menu.aboutToShow.connect(lambda: actions.build_menu(menu))
    actions.build_menu(menu)
    bar.insertMenu(view, menu)
    toolbar = QToolBar("Toolbar", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    actions.build_toolbar(toolbar)
    window.addToolBar(toolbar)
    stack.currentChanged.connect(lambda _i: actions.page_changed())
    return actions, menu, toolbar
