"""Import from CSV in the console (dry run first, refusal with line numbers) and export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.dialogs.data_menu import export_to_file, import_holders
from ia_licensing.dialogs.export_report import export_report
from ia_licensing.dialogs.import_csv import ImportDialog
from ia_licensing.models import Database
from ia_licensing.services import stations, users
from ia_licensing.services.csv_import import ImportKind
from ia_licensing.widgets.file_chooser import Chosen
from tests.helpers.console import api_of
from tests.helpers.database import snapshot
from tests.helpers.gui import choose_from_menu

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "import.csv"
    path.write_text(text, encoding="utf-8")
    return path


def opened(qtbot: QtBot, dialog: ImportDialog) -> ImportDialog:
    """The dialog once its dry run (on a worker thread) has ended."""
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.job is None)
    return dialog


def problems(dialog: ImportDialog) -> list[tuple[str, str]]:
    table = dialog.problems
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_dry_run_then_import(qtbot: QtBot, licensed_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "name,method,licenses\nann,assignable,Client Access\nbob,concurrent,\n")
    before = snapshot(licensed_db)
    dialog = opened(qtbot, ImportDialog(api_of(licensed_db), ImportKind.USERS, path))
    assert "All 2 users can be imported" in dialog.verdict.text()
    assert dialog.import_button.isEnabled() and problems(dialog) == []
    assert snapshot(licensed_db) == before  # the dry run changed nothing
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported)
    assert dialog.verdict.text() == "Imported 2 users."
    assert problems(dialog) == [("1", "ann"), ("2", "bob")]  # what was imported
    assert dialog.cancel_button.text() == "Close" and dialog.import_button.isHidden()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert users.get_user(licensed_db, "ann").keys == (catalog.CLIENT_ACCESS,)
    assert users.get_user(licensed_db, "bob").method.value == "concurrent"


def test_refused_rows_are_listed_by_line_and_nothing_can_be_imported(
    qtbot: QtBot, licensed_db: Database, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "name,type,licenses\nok,workstation,Basic Station\nbad,workstation,Analytics Core\n"
        "ok,workstation,\n",
    )
    before = snapshot(licensed_db)
    dialog = opened(qtbot, ImportDialog(api_of(licensed_db), ImportKind.STATIONS, path))
    assert "2 of 3 rows are refused" in dialog.verdict.text()
    assert not dialog.import_button.isEnabled()
    rows = problems(dialog)
    assert rows[0][0] == "3" and rows[0][1].startswith("refused (R13)")
    assert rows[1] == ("4", "a station named 'ok' already exists")
    assert snapshot(licensed_db) == before


def test_a_broken_file_says_why(qtbot: QtBot, licensed_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe not text")
    dialog = opened(qtbot, ImportDialog(api_of(licensed_db), ImportKind.STATIONS, path))
    assert "cannot be imported" in dialog.verdict.text() and "UTF-8" in dialog.verdict.text()
    assert not dialog.import_button.isEnabled()


def test_export_report_as_csv_and_pdf(licensed_db: Database, tmp_path: Path) -> None:
    stations.add_station(licensed_db, "desk", keys=frozenset({catalog.BASIC_STATION}))
    written = export_report(api_of(licensed_db), tmp_path / "report")
    assert written.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Name"  # one plain table, its header first (docs/decisions.md)
    assert next(r for r in rows if r and r[0] == "Basic Station")[2] == "1"
    pdf = export_report(api_of(licensed_db), tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    title = "Licenses Allocation — ic-test (host id HOST-1)".encode("utf-16-be")
    assert title.replace(b"(", b"\\(").replace(b")", b"\\)") in data  # the PDF's /Title


class ScriptedFiles:
    """Stands in for the file dialogs: answers with the next path (None: the user cancels)."""

    def __init__(self, *paths: str | None) -> None:
        self.paths = list(paths)
        self.titles: list[str] = []

    def open_file(self, parent: object, title: str, file_filter: str) -> str | None:
        self.titles.append(title)
        return self.paths.pop(0)

    def save_file(
        self, parent: object, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        path = self.open_file(parent, title, file_filter)
        return None if path is None else Chosen(path)


def test_file_menu_import_runs_the_dry_run_then_imports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = write(tmp_path, "name,method,licenses\nzoe,assignable,Client Access\n")

    def click_import() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportDialog)
        qtbot.waitUntil(lambda: dialog.job is None)  # the dry run
        assert "can be imported" in dialog.verdict.text()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.imported)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # Close

    QTimer.singleShot(0, click_import)  # runs inside the dialog's modal loop
    assert import_holders(window, ScriptedFiles(str(path)), ImportKind.USERS)
    assert users.get_user(window.db, "zoe").keys == (catalog.CLIENT_ACCESS,)
    assert not import_holders(window, ScriptedFiles(None), ImportKind.USERS)  # cancelled


def test_file_menu_export_writes_the_report(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "allocations.pdf"
    written = export_to_file(window, ScriptedFiles(str(target)))
    assert written == target and target.read_bytes().startswith(b"%PDF")
    assert "Report written" in window.statusBar().currentMessage()
    assert export_to_file(window, ScriptedFiles(None)) is None


def test_the_file_menu_offers_ia_names_and_data_actions_through_the_window_chooser(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    file_menu = window.menuBar().findChild(QMenu, "fileMenu")
    assert isinstance(file_menu, QMenu)
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "&License Management...",
        "L&oad License...",
        "Import Stations...",
        "Import Users...",
        "Export Report...",
        "E&xit",
    ]
    target = tmp_path / "from-the-menu.csv"
    window.file_chooser = ScriptedFiles(str(target))
    export = next(a for a in file_menu.actions() if a.objectName() == "exportReportAction")
    choose_from_menu(qtbot, window, export)
    assert target.read_text(encoding="utf-8-sig").startswith("Name,Assignable Allowed,")
