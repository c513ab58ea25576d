"""The Audit container (R30): every change, newest first, filtered by subject and dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QWidget

from ia_licensing.console_api import AuditEntry, ConsoleApi
from ia_licensing.views.record_view import RecordContainerView
from ia_licensing.widgets.record_table_model import RecordTableModel

COLUMNS = (
    ("When", lambda e: e.at),
    ("OS User", lambda e: e.os_user),
    ("Action", lambda e: e.action),
    ("Subject", lambda e: e.subject),
    ("Before", lambda e: e.before),
    ("After", lambda e: e.after),
)
LIMIT = 10_000


def _date(edit: QDateEdit) -> dt.date:
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


class AuditView(RecordContainerView):
    """The filter box searches subjects in the database (not only the rows shown)."""

    EMPTY = "No change was recorded in these dates."

    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__("Audit", "auditContainer", RecordTableModel[AuditEntry](COLUMNS), parent)
        self.api = api
        self.filter_edit.setPlaceholderText("Subject contains")
        today = QDate.currentDate()
        self.from_check, self.from_date = self._date_filter("From", "auditFrom", today.addDays(-7))
        self.to_check, self.to_date = self._date_filter("To", "auditTo", today)
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.bar.insertWidget(1, self.count)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.refresh()

    def filter_changed(self, text: str) -> None:
        self.refresh()

    def _date_filter(self, label: str, name: str, initial: QDate) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(label)
        check.setObjectName(f"{name}Enabled")
        check.setAccessibleName(f"Filter {label.lower()} date")
        edit = QDateEdit(initial)
        edit.setObjectName(f"{name}Date")
        edit.setAccessibleName(f"{label} date")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(self.refresh)
        edit.dateChanged.connect(self.refresh)
        self.bar.insertWidget(self.bar.count() - 1, check)
        self.bar.insertWidget(self.bar.count() - 1, edit)
        return check, edit

    def refresh(self) -> None:
        start = _date(self.from_date) if self.from_check.isChecked() else None
        end = _date(self.to_date) if self.to_check.isChecked() else None
        rows = self.api.audit_entries(
            subject=self.filter_edit.text().strip() or None, start=start, end=end, limit=LIMIT
        )
        self.show_rows(rows)
        more = " (newest 10,000)" if len(rows) == LIMIT else ""
        self.count.setText(f"{len(rows)} changes{more}")
