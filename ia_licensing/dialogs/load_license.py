"""Load License: choose an .I3Lic file, review what it would change, then load it (Load
Licenses, Load the License File; R26–R28).

The review is a dry run (`licensing.load_license(..., dry_run=True)`): every key's allowed
counts before → after with the configured counts for context, and the compliance notes
the load would create. A refused file shows its refusal and offers no Load button. Load
runs the real load — which checks everything again in its own transaction, so a file
that became unacceptable in the meantime is refused there — confirms "License loaded"
and refreshes every container at once. The flow is started from File ▸ Load License...,
from License Management's Load License... button, or by dropping a file on the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import (
    ConsoleApi,
    KeyChange,
    LoadReport,
    WhatIf,
    license_type_name,
)
from ia_licensing.dialogs.configuration_parts import REFUSAL_STYLE
from ia_licensing.licensefile import LicenseFileError, read_license_bytes
from ia_licensing.widgets.container_parts import fit_columns
from ia_licensing.widgets.file_chooser import FileChooser
from ia_licensing.widgets.host import ConsoleHost
from ia_licensing.widgets.record_table_model import RecordTableModel
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from ia_licensing.widgets.words import with_rule

TITLE = "Load License"
FILE_FILTER = "License files (*.I3Lic *.i3lic *.I3LIC);;All files (*)"
SUFFIX = ".i3lic"
WARNING_STYLE = "color: #8a5a00; background: #fff4d6; padding: 4px;"
REVIEW_COLUMN_WIDTH = 240  # pixels: the counts stay in view beside long names


def _choose(window: ConsoleHost, parent: QWidget, chooser: FileChooser | None) -> str | None:
    return (chooser or window.file_chooser).open_file(parent, TITLE, FILE_FILTER)


def license_file_from(mime: QMimeData) -> str | None:
    """The first local file in a drag whose name ends in .I3Lic (any case), or None."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        path = url.toLocalFile() if url.isLocalFile() else ""
        if path and path.lower().endswith(SUFFIX):
            return path
    return None


def accept_license_drag(event: QDropEvent) -> bool:
    """Accept a drag (enter or move) that carries a license file, so the drop can happen."""
    if license_file_from(event.mimeData()) is None:
        return False
    event.acceptProposedAction()
    return True


def drop_license_file(window: ConsoleHost, event: QDropEvent) -> LoadLicenseReviewDialog | None:
    """A file dropped on the main window starts the same review as Load License..."""
    path = license_file_from(event.mimeData())
    if path is None:
        return None
    event.acceptProposedAction()
    return review_license_file(window, path)


def _pair(before: int, after: int) -> str:
    return str(after) if before == after else f"{before} → {after}"


# Columns of the review: the Licenses Allocation names, before → after.
REVIEW_COLUMNS: tuple[tuple[str, Callable[[KeyChange], object]], ...] = (
    ("License", lambda c: c.name),
    ("Assignable Allowed", lambda c: _pair(c.before[0], c.after[0])),
    ("Concurrent Allowed", lambda c: _pair(c.before[1], c.after[1])),
    ("Assignable Configured", lambda c: c.configured[0]),
    ("Concurrent Configured", lambda c: c.configured[1]),
    ("Change", lambda c: _change_word(c)),
)


# With a usage history (R33, R34): what the recorded usage would have met under the file.
USAGE_COLUMNS: tuple[tuple[str, Callable[[WhatIf], object]], ...] = (
    ("License", lambda u: u.name),
    ("Peak In Use", lambda u: u.peak_in_use),
    ("New Allowed", lambda u: u.new_allowed),
    ("Would Have Been Refused", lambda u: u.would_have_been_refused),
)


def _change_word(change: KeyChange) -> str:
    if change.before == change.after:
        return ""
    if change.before == (0, 0):
        return "new"
    if change.after == (0, 0):
        return "no longer purchased"
    more = sum(change.after) > sum(change.before)
    return "more" if more else "fewer"


def refusal_text(error: LicenseFileError) -> str:
    return with_rule(str(error), error.rule)


class LoadLicenseReviewDialog(QDialog):
    """The review of one file: what the load would change, or why it is refused."""

    loaded = Signal(object)  # the LoadReport of the applied load

    def __init__(
        self,
        api: ConsoleApi,
        path: str | Path,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api, self.path = api, Path(path)
        self.report: LoadReport | None = None
        self.refusal: LicenseFileError | None = None
        self._data = b""
        self.setObjectName("loadLicenseReviewDialog")
        title = f"{TITLE} - {self.path.name}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(1080, 620)
        self._build()
        self._review()

    def _label(self, object_name: str, accessible: str) -> QLabel:
        label = QLabel()
        label.setObjectName(object_name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        return label

    def _build(self) -> None:
        self.summary = self._label("loadLicenseSummary", "License file")
        self.refusal_label = self._label("loadLicenseRefusal", "Refusal")
        self.refusal_label.setStyleSheet(REFUSAL_STYLE)
        self.notes_label = self._label("loadLicenseNotes", "Compliance notes the load would create")
        self.notes_label.setStyleSheet(WARNING_STYLE)
        self.model: RecordTableModel[KeyChange] = RecordTableModel(REVIEW_COLUMNS, self)
        proxy = SortFilterProxy(self)
        proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("loadLicenseChanges")
        self.table.setAccessibleName("Licenses before and after the load")
        self.table.setModel(proxy)
        # Unsorted until a header is clicked: the keys that change come first.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.buttons = QDialogButtonBox()
        self.buttons.setObjectName("loadLicenseButtons")
        self.load_button: QPushButton = self.buttons.addButton(
            "&Load", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button: QPushButton = self.buttons.addButton(
            QDialogButtonBox.StandardButton.Cancel
        )
        for button, name, accessible in (
            (self.load_button, "loadButton", "Load"),
            (self.cancel_button, "cancelButton", "Cancel"),
        ):
            button.setObjectName(name)
            button.setAccessibleName(accessible)
        self.load_button.clicked.connect(self.load)
        self.cancel_button.clicked.connect(self.reject)

        self.usage_model: RecordTableModel[WhatIf] = RecordTableModel(USAGE_COLUMNS, self)
        self.usage_table = QTableView()
        self.usage_table.setObjectName("loadLicenseUsage")
        self.usage_table.setAccessibleName("Recorded usage under the new counts")
        self.usage_table.setModel(self.usage_model)
        self.usage_table.verticalHeader().setVisible(False)
        self.usage_table.horizontalHeader().setStretchLastSection(True)
        self.usage_table.hide()  # shown when there is a usage history

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.usage_table)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.buttons)

    def _review(self) -> None:
        try:
            self._data = read_license_bytes(self.path)
            self.report = self._api.load_license(self._data, dry_run=True, against_usage=True)
        except LicenseFileError as error:
            self._refused(error)
            return
        lic = self.report.license
        expires = "perpetual" if lic.perpetual else lic.expires.isoformat()
        changed = sum(1 for c in self.report.changes if c.before != c.after)
        self.summary.setText(
            f"<b>{self.path.name}</b>: {lic.product}, "
            f"{license_type_name(lic.license_type.value)} license, serial {lic.serial}, "
            f"generated {lic.generated.isoformat()}, expires {expires}, "
            f"for {lic.server.machine_name} (host id {lic.server.host_id}).<br>"
            f"Loading it changes the allowed counts of {changed} license"
            f"{'' if changed == 1 else 's'}; no allocation is deleted. "
            "Click Load to apply it now (no restart)."
        )
        self.refusal_label.hide()
        # The keys whose allowed counts change first (a stable sort keeps the name order).
        self.model.set_rows(sorted(self.report.changes, key=lambda c: c.before == c.after))
        fit_columns(self.table, REVIEW_COLUMN_WIDTH)
        self.usage_model.set_rows(self.report.usage)
        self.usage_table.setVisible(bool(self.report.usage))
        # Cancel is the default: Enter must not apply a license that can take counts to 0.
        self.load_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self._show_notes()

    def _show_notes(self) -> None:
        assert self.report is not None
        if self.report.notes:
            lines = [with_rule(f"{n.subject}: {n.message}", n.rule) for n in self.report.notes]
            self.notes_label.setText("After the load:\n" + "\n".join(lines))
        else:
            self.notes_label.setText("The load creates no compliance notes.")
            self.notes_label.setStyleSheet("")

    def _refused(self, error: LicenseFileError) -> None:
        self.refusal = error
        self.report = None
        self.summary.setText(f"<b>{self.path.name}</b> cannot be loaded. Nothing was changed.")
        self.refusal_label.setText(refusal_text(error))
        self.refusal_label.show()
        self.table.hide()
        self.notes_label.hide()
        self.load_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setAccessibleName("Close")
        # Only a message is left to show: a message-sized dialog, not an empty table's.
        self.refusal_label.setMinimumWidth(560)
        self.resize(600, self.sizeHint().height())

    @property
    def refused(self) -> bool:
        return self.refusal is not None

    def load(self) -> None:
        """Apply the file; the service checks it all again in the write transaction."""
        if self.report is None:
            return
        try:
            report = self._api.load_license(self._data, dry_run=False, now=_now())
        except LicenseFileError as error:
            self._refused(error)
            return
        self.report = report
        self.accept()
        self.loaded.emit(report)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def review_license_file(
    window: ConsoleHost, path: str | Path, parent: QWidget | None = None
) -> LoadLicenseReviewDialog:
    """Open the review of `path` (window-modal, not blocking) and return it; `parent` is
    License Management when started there, so the review sits on top of it."""
    dialog = LoadLicenseReviewDialog(window.api, path, parent=parent or window.window())
    dialog.loaded.connect(lambda report: _after_load(window, report))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def start_load_license(
    window: ConsoleHost, parent: QWidget | None = None, chooser: FileChooser | None = None
) -> LoadLicenseReviewDialog | None:
    """File ▸ Load License... and License Management's button: choose a file, review it."""
    path = _choose(window, parent or window.window(), chooser)
    if not path:
        return None
    return review_license_file(window, path, parent)


def _after_load(window: ConsoleHost, report: LoadReport) -> None:
    lic = report.license
    window.refresh()
    message = f"License loaded: {license_type_name(lic.license_type.value)}, serial {lic.serial}"
    window.statusBar().showMessage(message, 10_000)
    window.prompts.information(window.window(), TITLE, "License loaded.")
