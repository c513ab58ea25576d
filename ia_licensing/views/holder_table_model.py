"""The Stations and Users containers' table models: holders keyed by name, in natural name
order (station2 before station10) whichever way a column is sorted; a row with a compliance
note carries a warning icon by its name and the note as tooltip. The filter box searches
the name. Fed by a `RowFeed`, which re-reads only the holders a change names."""

from __future__ import annotations

from operator import attrgetter
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject

from ia_licensing.widgets.table_model import RowTableModel


class HolderRow(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def note(self) -> str: ...


Row = TypeVar("Row", bound=HolderRow)


class HolderTableModel(RowTableModel[Row]):
    NAME = 0
    TIE_COLUMN = NAME

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent, key=attrgetter("name"), note=attrgetter("note"))

    def filter_text(self, row: Row) -> str:
        return row.name

    def names(self) -> list[str]:
        return [r.name for r in self._rows]
