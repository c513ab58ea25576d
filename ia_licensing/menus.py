"""The console's menu bar, with IA's names: File, Edit, View, Help.

File holds what Interaction Administrator keeps there (License Management, Load License)
and the data actions this console adds (import from CSV, export a report).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from ia_licensing import PRODUCT, __version__
from ia_licensing.dialogs import load_license
from ia_licensing.dialogs.data_menu import add_data_actions
from ia_licensing.dialogs.license_management import open_license_management
from ia_licensing.widgets.host import ConsoleHost


class MenuHost(ConsoleHost, Protocol):
    def menuBar(self) -> QMenuBar: ...

    def close(self) -> bool: ...

    def show_help(self) -> None: ...


@dataclass(frozen=True)
class MenuActions:
    """The actions tests and tools reach (the window keeps them as attributes)."""

    license_management: QAction
    load_license: QAction
    undo: QAction
    redo: QAction
    refresh: QAction


def build_menus(window: MenuHost) -> MenuActions:
    """Add the menus to `window`."""
    parent = window.window()
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.setToolTipsVisible(True)
    license_management = QAction("&License Management...", parent)
    license_management.setObjectName("licenseManagementAction")
    license_management.triggered.connect(lambda: open_license_management(window))
    file_menu.addAction(license_management)
    load_license_action = QAction("L&oad License...", parent)
    load_license_action.setObjectName("loadLicenseAction")
    load_license_action.triggered.connect(
        lambda: load_license.start_load_license(window, chooser=window.file_chooser)
    )
    file_menu.addAction(load_license_action)
    file_menu.addSeparator()
    add_data_actions(window, file_menu)
    file_menu.addSeparator()
    exit_action = file_menu.addAction("E&xit")
    exit_action.setObjectName("exitAction")
    exit_action.setShortcut(QKeySequence.StandardKey.Quit)
    exit_action.triggered.connect(window.close)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("editMenu")
    undo = window.undo_stack.createUndoAction(parent, "&Undo")
    undo.setObjectName("undoAction")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(parent, "&Redo")
    redo.setObjectName("redoAction")
    # Ctrl+Y on every platform, as Windows tools have it, beside the platform's own.
    redo_keys = [QKeySequence("Ctrl+Y")]
    redo_keys += [
        k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys
    ]
    redo.setShortcuts(redo_keys)
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    refresh = view_menu.addAction("&Refresh")
    refresh.setObjectName("refreshAction")
    refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
    refresh.triggered.connect(window.refresh)

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    topics = help_menu.addAction("&Help Topics\tF1")
    topics.setObjectName("helpTopicsAction")
    topics.triggered.connect(window.show_help)
    help_menu.addSeparator()
    about = help_menu.addAction(f"&About {PRODUCT}")
    about.setObjectName("aboutAction")
    about.triggered.connect(lambda: show_about(window))
    return MenuActions(license_management, load_license_action, undo, redo, refresh)


def show_about(window: ConsoleHost) -> None:
    window.prompts.about(
        window.window(),
        f"About {PRODUCT}",
        f"<b>{PRODUCT}</b><p>Version {__version__}</p><p>Allocates PureConnect access "
        "licenses to stations and users, as the licensing part of Interaction "
        "Administrator does.</p>"
        f"<p>Database: {window.api.location}</p>",
    )
