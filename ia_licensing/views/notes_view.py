"""The Notes container: every compliance note (rule, subject, message, since)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ia_licensing.console_api import ConsoleApi, DatedNote
from ia_licensing.views.record_view import RecordContainerView
from ia_licensing.widgets.record_table_model import RecordTableModel

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
        self.refresh()

    def refresh(self) -> None:
        self.show_rows(self.api.dated_notes())
