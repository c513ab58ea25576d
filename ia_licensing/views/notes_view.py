"""The Notes container: every compliance note (rule, subject, message, since)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.services import compliance
from ia_licensing.services.compliance import DatedNote
from ia_licensing.views.record_table_model import RecordTableModel
from ia_licensing.views.record_view import RecordContainerView

if TYPE_CHECKING:
    from ia_licensing.app import MainWindow

COLUMNS = (
    ("Rule", lambda n: n.rule),
    ("Subject", lambda n: n.subject),
    ("Message", lambda n: n.message),
    ("Since", lambda n: n.since),
)


class NotesView(RecordContainerView):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Notes", "notesContainer", RecordTableModel[DatedNote](COLUMNS), parent)
        self.db = db
        self.table.setToolTip("Double-click or Enter opens the note's subject")
        self.refresh()

    def refresh(self) -> None:
        self.show_rows(compliance.dated_notes(self.db))


def open_subject(window: MainWindow, note: DatedNote) -> None:
    """Open the dialog where the note can be resolved."""
    from ia_licensing.containers import Container

    if note.rule == "R6":
        info = catalog.find(note.subject)
        if info is not None:
            window.open_license_configuration(info.key)
        return
    targets = {
        "R9": ("open_station_configuration", Container.STATIONS),
        "R18": ("open_user_configuration", Container.USERS),
        "R28": ("open_license_management", None),
    }
    method, container = targets.get(note.rule, (None, None))
    opener = getattr(window, method, None) if method else None
    if callable(opener):
        opener() if note.rule == "R28" else opener(note.subject)
    elif container is not None:
        window.show_container(container)
