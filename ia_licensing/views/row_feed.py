"""Feeds a container's table model from the console: every row the first time it is
shown, then only the rows the change feed names (a logon elsewhere names none, so
Stations and Users read nothing; an edit names its holders; an unknown change, all)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic

from ia_licensing.console_api import Changes, ConsoleApi
from ia_licensing.views.holder_table_model import HolderTableModel, Row

ReadRows = Callable[[ConsoleApi, Iterable[str] | None], Sequence[Row]]
ChangedNames = Callable[[Changes], frozenset[str] | None]


class RowFeed(Generic[Row]):
    def __init__(
        self,
        api: ConsoleApi,
        model: HolderTableModel[Row],
        read: ReadRows[Row],
        changed: ChangedNames,
    ) -> None:
        self.api, self.model = api, model
        self._read, self._changed = read, changed
        self._seen = 0  # the change feed's position when the rows were last read

    def ensure_loaded(self) -> None:
        if not self.model.loaded:
            self.reload()

    def reload(self) -> None:
        # The feed's position first: a change made while reading is read again next time.
        self._seen = self.api.newest_change()
        self.model.set_rows(self._read(self.api, None))

    def refresh(self) -> None:
        """Read again only what changed: at 50,000 rows reading everything takes about half
        a second, reading the few holders an edit touched, milliseconds."""
        if not self.model.loaded:
            return  # read when first shown
        changes = self.api.changes_since(self._seen)
        self._seen = changes.newest
        names = self._changed(changes)
        if names is None:
            self.model.set_rows(self._read(self.api, None))
        elif names:
            self.model.update_rows(names, self._read(self.api, names))
