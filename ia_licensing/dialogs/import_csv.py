"""Import Stations / Import Users from CSV: a dry run first, then all-or-nothing.

The dialog opens on the dry run's verdict: either every row can be imported (Import is
offered), or the refused rows with their line numbers (nothing can be imported until the
file is fixed). Importing runs the same checks again in the write transaction.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import ConsoleApi, ImportKind, ImportReport, ServiceError

SHOWN = 1000


class ImportDialog(QDialog):
    def __init__(
        self, api: ConsoleApi, kind: ImportKind, path: str | Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.api, self.kind, self.path = api, kind, Path(path)
        noun = kind.value.capitalize()
        self.setWindowTitle(f"Import {noun} - {self.path.name}")
        self.setObjectName("importDialog")
        self.setAccessibleName(f"Import {noun}")
        self.resize(720, 420)
        self.report: ImportReport | None = None
        self.imported = False

        self.verdict = QLabel()
        self.verdict.setObjectName("importVerdict")
        self.verdict.setAccessibleName("Dry run result")
        self.verdict.setWordWrap(True)
        # At most SHOWN rows are listed (one widget per cell is fine for that many).
        self.problems = QTableWidget(0, 2)
        self.problems.setObjectName("importProblems")
        self.problems.setAccessibleName("Refused rows and notes")
        self.problems.setHorizontalHeaderLabels(["Line", "Message"])
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName(f"Import the {kind.value}")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        cancel.setAccessibleName("Cancel the import")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._check(dry_run=True)

    def _check(self, *, dry_run: bool) -> None:
        try:
            self.report = self.api.import_csv(self.kind, self.path.read_bytes(), dry_run=dry_run)
        except (ServiceError, OSError) as error:
            self.report = None
            self._show_failure(str(error))
            return
        report = self.report
        self.problems.setRowCount(0)
        for refused in report.errors[:SHOWN]:
            self._add_row(str(refused.line), refused.message)
        if len(report.errors) > SHOWN:
            self._add_row("…", f"and {len(report.errors) - SHOWN} more refused rows")
        for note in report.notes:
            self._add_row("note", f"({note.rule}) {note.subject}: {note.message}")
        if report.errors:
            self.verdict.setText(
                f"<b style='color:#b00020'>{len(report.errors)} of {report.rows} rows are "
                "refused.</b> Nothing will be imported until the file is corrected."
            )
        elif report.applied:
            self.verdict.setText(f"Imported {report.rows} {self.kind.value}.")
        else:
            self.verdict.setText(
                f"All {report.rows} {self.kind.value} can be imported (dry run: nothing has "
                "changed yet)."
            )
        self.import_button.setEnabled(not report.errors and not report.applied and report.rows > 0)

    def _show_failure(self, message: str) -> None:
        self.problems.setRowCount(0)
        self.verdict.setText(f"<b style='color:#b00020'>The file cannot be imported:</b> {message}")
        self.import_button.setEnabled(False)

    def _add_row(self, line: str, message: str) -> None:
        row = self.problems.rowCount()
        self.problems.insertRow(row)
        self.problems.setItem(row, 0, QTableWidgetItem(line))
        self.problems.setItem(row, 1, QTableWidgetItem(message))

    def run_import(self) -> None:
        self._check(dry_run=False)
        if self.report is not None and self.report.applied:
            self.imported = True
            self.accept()
