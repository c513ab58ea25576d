"""The Notes container: every compliance note (rule, subject, message, since).

Working out every note takes a few hundred milliseconds at 50,000 users (R18 reads every
workgroup member), so they are read on a worker thread: the rows shown stay until the new
ones arrive, and a refresh asked for meanwhile reads once more after them."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ia_licensing.console_api import ConsoleApi, DatedNote, ServiceError
from ia_licensing.views.record_view import RecordContainerView
from ia_licensing.widgets.record_table_model import RecordTableModel
from ia_licensing.widgets.worker import Job, run_job

COLUMNS = (
    ("Rule", lambda n: n.rule),
    ("Subject", lambda n: n.subject),
    ("Message", lambda n: n.message),
    ("Since", lambda n: n.since),
)


class NotesView(RecordContainerView):
    EMPTY = "There are no compliance notes: every allocation is within the license."

    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__("Notes", "notesContainer", RecordTableModel[DatedNote](COLUMNS), parent)
        self.api = api
        self.table.setToolTip("Double-click or Enter opens the note's subject")
        self.reading: Job | None = None
        self._again = False
        self.refresh()

    def refresh(self) -> None:
        if self.reading is not None:
            self._again = True  # what changed meanwhile: read once more after this read
            return
        api = self.api
        self.reading = run_job(
            lambda _job: api.dated_notes(), self, succeeded=self._arrived, failed=self._failed
        )

    def _arrived(self, notes: list[DatedNote]) -> None:
        self.show_rows(notes)
        self._read_again()

    def _failed(self, _error: ServiceError) -> None:  # busy: the rows shown stay
        self._read_again()

    def _read_again(self) -> None:
        self.reading = None
        if self._again:
            self._again = False
            self.refresh()
