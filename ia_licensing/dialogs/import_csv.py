"""Import Stations / Import Users from CSV: a dry run first, then all-or-nothing.

The dialog opens at once and checks the file on a worker thread, with progress and Cancel;
its verdict is either that every row can be imported (Import is offered) or the refused
rows with their line numbers (nothing can be imported until the file is fixed). Import
writes what the dry run checked (the rows are not checked again unless the database has
changed meanwhile), on a worker thread too, and Cancel stops it with nothing written. The
window stays responsive throughout. Once imported, the dialog lists what was imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import (
    Cancelled,
    ConsoleApi,
    ImportCheck,
    ImportKind,
    ImportReport,
    ServiceError,
)
from ia_licensing.widgets.worker import Job, run_job

SHOWN = 1000
FAILED = "<b style='color:#b00020'>{}</b>"


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
        self.checked: ImportCheck | None = None
        self.report: ImportReport | None = None
        self.imported = False
        self.job: Job | None = None

        self.verdict = QLabel()
        self.verdict.setObjectName("importVerdict")
        self.verdict.setAccessibleName("Dry run result")
        self.verdict.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Import progress")
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
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAccessibleName("Cancel the import")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.progress)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.import_button.setEnabled(False)
        self._check()

    # --- the dry run, then the import, each on a worker thread ----------------------------

    def _check(self) -> None:
        api, kind, path = self.api, self.kind, self.path

        def check(job: Job) -> ImportCheck:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise ServiceError(error.strerror or str(error)) from None
            return api.check_import(kind, data, progress=job.report, cancelled=job.cancelled)

        self.verdict.setText("Checking every row (dry run: nothing changes)…")
        self._start(check, self._checked)

    def run_import(self) -> None:
        checked = self.checked
        if checked is None or self.job is not None:
            return
        api = self.api
        self.import_button.setEnabled(False)
        self.verdict.setText(f"Importing {checked.report.rows:,} {self.kind.value}…")
        self._start(
            lambda job: api.run_import(checked, progress=job.report, cancelled=job.cancelled),
            self._imported,
        )

    def _start(self, work: Callable[[Job], Any], done: Callable[[Any], None]) -> None:
        self.progress.setValue(0)
        self.progress.show()
        self.job = run_job(
            work, self, succeeded=done, failed=self._failed, progressed=self._progressed
        )
        self.job.finished.connect(self._stopped)

    def _progressed(self, phase: str, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{phase.capitalize()} %v of %m rows")

    def _stopped(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.setEnabled(True)

    def _checked(self, checked: ImportCheck) -> None:
        self.checked = checked
        self._show(checked.report)

    def _imported(self, report: ImportReport) -> None:
        self._show(report)
        if report.applied:
            self.imported = True
            self.import_button.hide()
            self.cancel_button.setText("Close")
            self.cancel_button.setAccessibleName("Close")

    def _failed(self, error: ServiceError) -> None:
        if isinstance(error, Cancelled):
            self.verdict.setText(FAILED.format("Stopped: nothing was imported."))
            clean = self.checked is not None and not self.checked.report.errors
            self.import_button.setEnabled(clean)
            return
        self.problems.setRowCount(0)
        self.verdict.setText(f"{FAILED.format('The file cannot be imported:')} {error}")
        self.import_button.setEnabled(False)

    def _show(self, report: ImportReport) -> None:
        self.report = report
        self.problems.setRowCount(0)
        if report.applied:
            self.problems.setHorizontalHeaderLabels(["", "Imported"])
            for number, name in enumerate(report.imported[:SHOWN], 1):
                self._add_row(str(number), name)
            if len(report.imported) > SHOWN:
                self._add_row("…", f"and {len(report.imported) - SHOWN:,} more")
        for refused in report.errors[:SHOWN]:
            self._add_row(str(refused.line), refused.message)
        if len(report.errors) > SHOWN:
            self._add_row("…", f"and {len(report.errors) - SHOWN} more refused rows")
        for note in report.notes:
            self._add_row("note", f"({note.rule}) {note.subject}: {note.message}")
        if report.errors:
            self.verdict.setText(
                FAILED.format(f"{len(report.errors)} of {report.rows} rows are refused.")
                + " Nothing will be imported until the file is corrected."
            )
        elif report.applied:
            self.verdict.setText(f"Imported {report.rows} {self.kind.value}.")
        else:
            self.verdict.setText(
                f"All {report.rows} {self.kind.value} can be imported (dry run: nothing has "
                "changed yet)."
            )
        self.import_button.setEnabled(not report.errors and not report.applied and report.rows > 0)

    def _add_row(self, line: str, message: str) -> None:
        row = self.problems.rowCount()
        self.problems.insertRow(row)
        self.problems.setItem(row, 0, QTableWidgetItem(line))
        self.problems.setItem(row, 1, QTableWidgetItem(message))

    def reject(self) -> None:
        """Cancel, Escape or the close button: while a check or an import runs, stop it (it
        rolls back; the dialog says so when it has); otherwise close."""
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.verdict.setText("Stopping…")
            return
        if self.imported:
            self.accept()
        else:
            super().reject()
