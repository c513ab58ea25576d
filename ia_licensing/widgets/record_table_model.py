"""A read-only table over plain records (the services' frozen dataclasses): the Notes,
Audit and Sessions containers and the License Management and Load License tables.

Columns are declared as (title, value getter); the value is shown as text (a date and time
to the second, nothing for None) and sorted raw, so numbers and dates sort as such and
names in natural order (R6 before R18). Records have no key: a change resets the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from ia_licensing.widgets.ordering import natural
from ia_licensing.widgets.table_model import Column, RowTableModel

Record = TypeVar("Record")


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def _sort(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()  # as the sort role has always given it
    return natural(value) if isinstance(value, str) else value


def record_column(title: str, value: Callable[[Any], Any]) -> Column:
    return Column(title, lambda r: _text(value(r)), lambda r: _sort(value(r)))


class RecordTableModel(RowTableModel[Record]):
    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[Record], Any]]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent, columns=[record_column(t, v) for t, v in columns])
