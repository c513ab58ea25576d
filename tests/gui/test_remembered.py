"""What the console remembers between sessions, through its one settings registry: each
table's sort column and order and column widths, each dialog's size and position, the
last folder of each file dialog; and the export honours the file type chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.containers import Container
from ia_licensing.dialogs.data_menu import export_to_file
from ia_licensing.models import Database
from ia_licensing.views.stations_view import StationsView
from ia_licensing.widgets import settings as remembered
from ia_licensing.widgets.file_chooser import Chosen, DialogFileChooser
from tests.helpers.database import add_stations

pytestmark = pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support raise", "grabbing the keyboard"
)


class FilterChooser:
    def __init__(self, chosen: Chosen) -> None:
        self.chosen = chosen
        self.suggested = ""

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        return None

    def save_file(
        self, parent: QWidget, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        self.suggested = suggested
        return self.chosen


def test_a_name_without_extension_with_pdf_chosen_writes_a_pdf(
    window: MainWindow, tmp_path: Path
) -> None:
    chooser = FilterChooser(Chosen(str(tmp_path / "allocations"), "PDF report (*.pdf)"))
    written = export_to_file(window, chooser)
    assert written == tmp_path / "allocations.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert chooser.suggested.startswith("allocation-report-") and chooser.suggested.endswith(".pdf")
    csv = export_to_file(window, FilterChooser(Chosen(str(tmp_path / "a"), "CSV report (*.csv)")))
    assert csv == tmp_path / "a.csv"


def test_the_settings_have_a_version_and_refuse_undeclared_options(
    settings: QSettings,
) -> None:
    registry = remembered.Settings(settings)
    assert registry.version == remembered.VERSION
    assert settings.value(remembered.VERSION_KEY) in (remembered.VERSION, str(remembered.VERSION))
    with pytest.raises(AssertionError):
        registry.get(remembered.Option("window/unknown", str, ""))


def stations_page(qtbot: QtBot, window: MainWindow) -> StationsView:
    window.show_container(Container.STATIONS)
    page = window.page(Container.STATIONS)
    assert isinstance(page, StationsView)
    qtbot.waitExposed(page)
    return page


def test_sort_order_and_column_widths_are_remembered(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, db_path: Path, settings: QSettings
) -> None:
    add_stations(licensed_db, "s1", "s2", "s10")
    window.refresh()
    page = stations_page(qtbot, window)
    qtbot.wait(10)  # the restore runs once the table is shown
    header = page.table.horizontalHeader()
    where = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where, 5))
    qtbot.waitUntil(lambda: header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
    header.resizeSection(0, 231)  # a drag of the section's edge ends here
    window.close()

    again = create_main_window(str(db_path), settings=settings)
    assert isinstance(again, MainWindow)
    qtbot.addWidget(again)
    page = stations_page(qtbot, again)
    header = page.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
    assert header.sectionSize(0) == 231
    assert [r.name for r in page.rows_in_view()] == ["s10", "s2", "s1"]
    again.close()
    again.db.close()


def test_the_file_dialog_remembers_the_folder_and_suggests_a_name(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    registry = remembered.Settings(settings)
    chooser = DialogFileChooser(registry)
    parent = QWidget()
    qtbot.addWidget(parent)
    folder = tmp_path / "reports"
    folder.mkdir()
    seen: list[str] = []

    def type_name(name: str) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, lambda: type_name(name))
            return
        seen.append(dialog.directory().absolutePath())
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert isinstance(edit, QLineEdit)
        seen.append(edit.text())
        edit.setText(name)  # typed in one go: the path completer's popup would take Return
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, lambda: type_name(str(folder / "first")))
    first = chooser.save_file(parent, "Export Report", "PDF report (*.pdf)", "suggested.pdf")
    assert first == Chosen(str(folder / "first"), "PDF report (*.pdf)")
    assert seen[1] == "suggested.pdf"
    QTimer.singleShot(0, lambda: type_name("second"))
    second = chooser.save_file(parent, "Export Report", "PDF report (*.pdf)")
    assert seen[2] == str(folder)  # opened where the last report went
    assert second is not None and Path(second.path) == folder / "second"
    assert registry.get(remembered.LAST_FOLDER, "ExportReport") == str(folder)


def test_a_dialog_opens_where_it_was_closed(qtbot: QtBot, window: MainWindow) -> None:
    from ia_licensing import catalog

    def open_configuration() -> QWidget:
        window.licenses_allocation.select_key(catalog.CLIENT_ACCESS)
        table = window.licenses_allocation.table
        window.activateWindow()
        table.setFocus()
        qtbot.waitUntil(table.hasFocus)
        qtbot.keyClick(table, Qt.Key.Key_Return)
        dialog = window.license_configuration_dialog
        assert dialog is not None
        qtbot.waitExposed(dialog)
        return dialog

    dialog = open_configuration()
    dialog.resize(dialog.width() + 40, dialog.height() + 30)
    size = dialog.size()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.license_configuration_dialog is None)
    stored = window.remembered.get(remembered.DIALOG_GEOMETRY, dialog.objectName())
    assert isinstance(stored, QByteArray) and not stored.isEmpty()
    again = open_configuration()
    assert again.size() == size
    again.reject()  # type: ignore[attr-defined]
