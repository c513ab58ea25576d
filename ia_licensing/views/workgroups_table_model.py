"""The Workgroups container's rows: each ACD workgroup queue, its interaction types, its
members, and the R18 notes of members whose ACD level is short of what the queues route."""

from __future__ import annotations

from typing import ClassVar

from ia_licensing.console_api import WorkgroupRow
from ia_licensing.views.holder_table_model import Column, HolderTableModel
from ia_licensing.widgets.ordering import natural


def _notes(row: WorkgroupRow) -> str:
    if not row.notes:
        return ""
    who = "member needs" if len(row.notes) == 1 else "members need"
    return f"{len(row.notes)} {who} more ACD media (R18)"


class WorkgroupsTableModel(HolderTableModel[WorkgroupRow]):
    NAME = 0
    QUEUE_INTERACTION_TYPES = 1
    MEMBERS = 2
    NOTES = 3

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        ("Name", lambda r: r.name, lambda r: natural(r.name)),
        ("Queue Interaction Types", lambda r: r.types_label, lambda r: r.types_label),
        ("Members", lambda r: str(len(r.members)), lambda r: len(r.members)),
        ("Notes", _notes, lambda r: len(r.notes)),
    )
