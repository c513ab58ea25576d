"""The Workgroups container's rows: each ACD workgroup queue, its interaction types, its
members, and the R18 notes of members whose ACD level is short of what the queues route.
Keyed by name, in natural name order; the filter box searches the name."""

from __future__ import annotations

from operator import attrgetter
from typing import ClassVar

from PySide6.QtCore import QObject

from ia_licensing.console_api import WorkgroupRow
from ia_licensing.widgets.ordering import natural
from ia_licensing.widgets.table_model import Column, RowTableModel


def _notes(row: WorkgroupRow) -> str:
    if not row.notes:
        return ""
    who = "member needs" if len(row.notes) == 1 else "members need"
    return f"{len(row.notes)} {who} more ACD media (R18)"


class WorkgroupsTableModel(RowTableModel[WorkgroupRow]):
    NAME = 0
    QUEUE_INTERACTION_TYPES = 1
    MEMBERS = 2
    NOTES = 3
    TIE_COLUMN = NAME

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda r: r.name, lambda r: natural(r.name)),
        Column("Queue Interaction Types", lambda r: r.types_label, lambda r: r.types_label),
        Column("Members", lambda r: str(len(r.members)), lambda r: len(r.members)),
        Column("Notes", _notes, lambda r: len(r.notes)),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, key=attrgetter("name"), note=attrgetter("note"))

    def filter_text(self, row: WorkgroupRow) -> str:
        return row.name

    def names(self) -> list[str]:
        return [r.name for r in self.rows]
