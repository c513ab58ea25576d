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
from ia_licensing.console_api import Change, ConsoleApi, HolderSettings, ServiceError
from ia_licensing.rules import Note


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


def describe(change: Change) -> str:
    parts = []
    added = len(change.add_users) + len(change.add_stations) + len(change.add_workgroups)
    removed = len(change.remove_users) + len(change.remove_stations) + len(change.remove_workgroups)
    if added:
        parts.append(f"add {added}")
    if removed:
        parts.append(f"remove {removed}")
    return ", ".join(parts)


class LicenseConfigurationCommand(AppliedChange):
    """One Apply or OK of License Configuration for one key."""

    def __init__(
        self,
        api: ConsoleApi,
        key: str,
        change: Change,
        report: Callable[[str], None],
    ) -> None:
        name = catalog.describe(key).display_name
        super().__init__(
            f"License Configuration - {name} ({describe(change)})",
            lambda: api.apply_license_change(key, change),
            lambda: api.apply_license_change(key, change.inverse()),
            report,
        )
        self.key = key
        self.change = change


Save = Callable[[ConsoleApi, HolderSettings], list[Note]]


class HolderSettingsCommand(AppliedChange):
    """One Apply or OK of Station or User Configuration: the holder's licensing settings
    go back to `before` on undo and to `after` on redo, checked by the rules each time."""

    def __init__(
        self,
        title: str,
        api: ConsoleApi,
        save: Save,
        before: HolderSettings,
        after: HolderSettings,
        report: Callable[[str], None],
    ) -> None:
        super().__init__(
            f"{title} - {after.name}",
            lambda: save(api, after),
            lambda: save(api, before),
            report,
        )


# (interaction types, member names, licenses granted to the workgroup, R32)
Workgroup = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class WorkgroupCommand(AppliedChange):
    """One Apply or OK of Workgroup Configuration. `before` None: the dialog created the
    workgroup, so undo deletes it and redo creates it again."""

    def __init__(
        self,
        api: ConsoleApi,
        name: str,
        before: Workgroup | None,
        after: Workgroup,
        report: Callable[[str], None],
    ) -> None:
        def save(state: Workgroup, create: bool) -> None:
            api.save_workgroup(name, state[0], state[1], create=create, licenses=state[2])

        super().__init__(
            f"Workgroup Configuration - {name}",
            lambda: save(after, before is None),
            (lambda: api.delete_workgroup(name))
            if before is None
            else (lambda: save(before, False)),
            report,
        )
