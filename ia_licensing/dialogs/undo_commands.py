"""Edit ▸ Undo and Redo for changes the dialogs commit, through the services.

Every command here is pushed after its dialog has already made the change (a refusal must
be shown before anything reaches the stack), so the first redo does nothing. Undo makes
the reverse change; if a rule refuses it now (another administrator took the capacity
meanwhile), the refusal is reported and the command leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.rules import Note
from ia_licensing.services import license_configuration as lc
from ia_licensing.services import workgroups
from ia_licensing.services.errors import ServiceError
from ia_licensing.services.holder_choices import HolderSettings


class AppliedChange(QUndoCommand):
    """A committed change: `forward` makes it again, `backward` reverses it."""

    def __init__(
        self,
        text: str,
        forward: Callable[[], object],
        backward: Callable[[], object],
        report: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self._forward = forward
        self._backward = backward
        self._report = report
        self._applied = True

    def redo(self) -> None:
        if not self._applied:
            self._run(self._forward)
            self._applied = True

    def undo(self) -> None:
        self._run(self._backward)
        self._applied = False

    def _run(self, action: Callable[[], object]) -> None:
        try:
            action()
        except ServiceError as error:
            self.setObsolete(True)
            self._report(f"{self.text()} could not be reversed: {error}")


def describe(change: lc.Change) -> str:
    parts = []
    added = len(change.add_users) + len(change.add_stations)
    removed = len(change.remove_users) + len(change.remove_stations)
    if added:
        parts.append(f"add {added}")
    if removed:
        parts.append(f"remove {removed}")
    return ", ".join(parts)


class LicenseConfigurationCommand(AppliedChange):
    """One Apply or OK of License Configuration for one key."""

    def __init__(
        self,
        db: Database,
        key: str,
        change: lc.Change,
        report: Callable[[str], None],
    ) -> None:
        name = catalog.describe(key).display_name
        super().__init__(
            f"License Configuration - {name} ({describe(change)})",
            lambda: lc.apply(db, key, change),
            lambda: lc.apply(db, key, change.inverse()),
            report,
        )
        self.key = key
        self.change = change


Save = Callable[[Database, HolderSettings], list[Note]]


class HolderSettingsCommand(AppliedChange):
    """One Apply or OK of Station or User Configuration: the holder's licensing settings
    go back to `before` on undo and to `after` on redo, checked by the rules each time."""

    def __init__(
        self,
        title: str,
        db: Database,
        save: Save,
        before: HolderSettings,
        after: HolderSettings,
        report: Callable[[str], None],
    ) -> None:
        super().__init__(
            f"{title} - {after.name}",
            lambda: save(db, after),
            lambda: save(db, before),
            report,
        )


Workgroup = tuple[tuple[str, ...], tuple[str, ...]]  # (interaction types, member names)


class WorkgroupCommand(AppliedChange):
    """One Apply or OK of Workgroup Configuration. `before` None: the dialog created the
    workgroup, so undo deletes it and redo creates it again."""

    def __init__(
        self,
        db: Database,
        name: str,
        before: Workgroup | None,
        after: Workgroup,
        report: Callable[[str], None],
    ) -> None:
        def save(state: Workgroup, create: bool) -> None:
            workgroups.save_workgroup(db, name, state[0], state[1], create=create)

        super().__init__(
            f"Workgroup Configuration - {name}",
            lambda: save(after, before is None),
            (lambda: workgroups.delete_workgroup(db, name))
            if before is None
            else (lambda: save(before, False)),
            report,
        )
