"""File ▸ Import Stations…, Import Users…, Export Report…: the console's side of the CSV
import (dry run first) and the allocation report (CSV or PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ia_licensing.console_api import ImportKind, ServiceError
from ia_licensing.dialogs.export_report import FILE_FILTER, export_report
from ia_licensing.dialogs.import_csv import ImportDialog
from ia_licensing.widgets.file_chooser import FileChooser
from ia_licensing.widgets.host import ConsoleHost


def add_data_actions(window: ConsoleHost, menu: QMenu) -> None:
    """Import Stations, Import Users and Export Report; each asks `window.file_chooser`."""
    for kind in ImportKind:
        noun = kind.value.capitalize()
        action = QAction(f"Import {noun}...", window.window())
        action.setObjectName(f"import{noun}Action")
        action.triggered.connect(
            lambda _=False, k=kind: import_holders(window, window.file_chooser, k)
        )
        menu.addAction(action)
    export = QAction("Export Report...", window.window())
    export.setObjectName("exportReportAction")
    export.triggered.connect(lambda: export_to_file(window, window.file_chooser))
    menu.addAction(export)


def import_holders(window: ConsoleHost, chooser: FileChooser, kind: ImportKind) -> bool:
    noun = kind.value.capitalize()
    path = chooser.open_file(window.window(), f"Import {noun}", "CSV files (*.csv);;All files (*)")
    if not path:
        return False
    dialog = ImportDialog(window.api, kind, path, window.window())
    dialog.exec()
    if dialog.imported:
        window.refresh()
        window.statusBar().showMessage(f"Imported {noun.lower()} from {Path(path).name}", 10_000)
    return dialog.imported


def export_to_file(window: ConsoleHost, chooser: FileChooser) -> Path | None:
    suggested = f"allocation-report-{dt.date.today().isoformat()}.pdf"
    chosen = chooser.save_file(window.window(), "Export Report", FILE_FILTER, suggested)
    if chosen is None or not chosen.path:
        return None
    try:
        written = export_report(window.api, chosen.path, chosen.selected_filter)
    except ServiceError as error:  # the file and what to do
        window.report(f"The report could not be written: {error}")
        return None
    except OSError as error:
        window.report(f"The report could not be written: {error.strerror or error}")
        return None
    window.statusBar().showMessage(f"Report written to {written}", 10_000)
    return written
