"""Edit ▸ Undo and Redo for License Configuration commits, through the services."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.services import license_configuration as lc
from ia_licensing.services.errors import ServiceError


def describe(change: lc.Change) -> str:
    parts = []
    added = len(change.add_users) + len(change.add_stations)
    removed = len(change.remove_users) + len(change.remove_stations)
    if added:
        parts.append(f"add {added}")
    if removed:
        parts.append(f"remove {removed}")
    return ", ".join(parts)


class LicenseConfigurationCommand(QUndoCommand):
    """One Apply or OK of License Configuration for one key.

    The dialog has already applied the change when the command is pushed (it must show
    a refusal before anything reaches the stack), so the first redo does nothing. Undo
    applies the inverse change; if a rule refuses it now (another administrator took the
    capacity meanwhile), the refusal is reported and the command leaves the stack.
    """

    def __init__(
        self,
        db: Database,
        key: str,
        change: lc.Change,
        report: Callable[[str], None],
    ) -> None:
        name = catalog.describe(key).display_name
        super().__init__(f"License Configuration - {name} ({describe(change)})")
        self._db = db
        self.key = key
        self.change = change
        self._report = report
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._run(self.change)
        self._applied = True

    def undo(self) -> None:
        self._run(self.change.inverse())
        self._applied = False

    def _run(self, change: lc.Change) -> None:
        try:
            lc.apply(self._db, self.key, change)
        except ServiceError as error:
            self.setObsolete(True)
            self._report(f"{self.text()} could not be reversed: {error}")
