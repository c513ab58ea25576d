"""The console's menu bar, with IA's names: File, Edit, View, Help.

File holds what Interaction Administrator keeps there (License Management, Load License)
and the data actions this console adds (import from CSV, export a report).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ia_licensing.dialogs import load_license
from ia_licensing.dialogs.data_menu import add_data_actions
from ia_licensing.dialogs.license_management import open_license_management

if TYPE_CHECKING:
    from ia_licensing.app import MainWindow


def build_menus(window: MainWindow) -> None:
    """Add the menus to `window` and keep the actions tests and tools reach as attributes."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("fileMenu")
    file_menu.setToolTipsVisible(True)
    window.license_management_action = QAction("&License Management...", window)
    window.license_management_action.setObjectName("licenseManagementAction")
    window.license_management_action.triggered.connect(lambda: open_license_management(window))
    file_menu.addAction(window.license_management_action)
    window.load_license_action = QAction("L&oad License...", window)
    window.load_license_action.setObjectName("loadLicenseAction")
    window.load_license_action.triggered.connect(
        lambda: load_license.start_load_license(window, chooser=window.file_chooser)
    )
    file_menu.addAction(window.load_license_action)
    file_menu.addSeparator()
    add_data_actions(window, file_menu)
    file_menu.addSeparator()
    exit_action = file_menu.addAction("E&xit")
    exit_action.setObjectName("exitAction")
    exit_action.setShortcut(QKeySequence.StandardKey.Quit)
    exit_action.triggered.connect(window.close)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("editMenu")
    window.undo_action = window.undo_stack.createUndoAction(window, "&Undo")
    window.undo_action.setObjectName("undoAction")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.redo_action = window.undo_stack.createRedoAction(window, "&Redo")
    window.redo_action.setObjectName("redoAction")
    window.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(window.redo_action)

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("viewMenu")
    window.refresh_action = view_menu.addAction("&Refresh")
    window.refresh_action.setObjectName("refreshAction")
    window.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
    window.refresh_action.triggered.connect(window.refresh)

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("helpMenu")
    about = help_menu.addAction("&About IA Licensing console")
    about.setObjectName("aboutAction")
    about.triggered.connect(lambda: show_about(window))


def show_about(window: MainWindow) -> None:
    window.prompts.about(
        window,
        "About IA Licensing console",
        "<b>IA Licensing console</b><p>Allocates PureConnect access licenses to stations "
        "and users, as the licensing part of Interaction Administrator does.</p>"
        f"<p>Database: {window.db.url}</p>",
    )
