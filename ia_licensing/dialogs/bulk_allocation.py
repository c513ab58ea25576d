"""Allocate license… and Remove license… on the rows selected in Stations or Users.

One key for every selected holder, all-or-nothing in one transaction (R4 is checked for
the whole selection at once), run on a worker thread with a progress dialog (and Stop,
which rolls back) on large selections, and one step on Edit ▸ Undo. Keys a rule forbids
for this kind of holder are greyed out with the rule's message (R2, R7, R8, R12, R13, R17);
capacity is checked for the whole selection when OK is pressed, and a refusal is shown in
the dialog with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog, rules
from ia_licensing.console_api import ConsoleApi, ServiceError
from ia_licensing.console_api import left as left_of
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.dialogs.licensing_tab import refusal_tip
from ia_licensing.dialogs.undo_commands import AppliedChange
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.widgets.worker import Job, run_job

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
# Below this many holders the change takes well under a second: no progress dialog.
PROGRESS_THRESHOLD = 500


def _noun(kind: HolderKind, count: int) -> str:
    return f"{count:,} {kind.value}{'' if count == 1 else 's'}"


class BulkAllocationCommand(AppliedChange):
    """One bulk allocation or removal; undo reverses exactly the holders that changed."""

    def __init__(
        self,
        api: ConsoleApi,
        key: str,
        kind: HolderKind,
        changed: Sequence[str],
        *,
        allocate: bool,
        report: Callable[[str], None],
    ) -> None:
        verb = "Allocate" if allocate else "Remove"
        name = catalog.describe(key).display_name
        names = list(changed)
        super().__init__(
            f"{verb} {name} ({_noun(kind, len(names))})",
            lambda: api.bulk_change(key, kind, names, allocate=allocate),
            lambda: api.bulk_change(key, kind, names, allocate=not allocate),
            report,
        )
        self.key = key
        self.kind = kind
        self.changed = names
        self.allocate = allocate


def key_refusal(counts: KeyCounts, kind: HolderKind) -> Refusal | None:
    """What forbids `counts.key` for every holder of this kind, whoever they are."""
    refusal = rules.holder_refusal(counts.info, kind)
    if refusal is None and kind is HolderKind.STATION:
        refusal = rules.station_pool_refusal(counts)
    if refusal is None and not counts.purchased:
        refusal = rules.not_purchased_refusal(counts)
    return refusal


class BulkAllocationDialog(QDialog):
    committed = Signal(str)  # the key

    def __init__(
        self,
        api: ConsoleApi,
        kind: HolderKind,
        names: Sequence[str],
        *,
        allocate: bool,
        undo_stack: QUndoStack | None = None,
        report: Callable[[str], None] = lambda _message: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.kind = kind
        self.names = list(names)
        self.allocate = allocate
        self._undo_stack = undo_stack
        self._report = report
        self.job: Job | None = None
        self.progress_dialog: QProgressDialog | None = None
        verb = "Allocate License" if allocate else "Remove License"
        title = f"{verb} - {_noun(kind, len(self.names))}"
        self.setObjectName("bulkAllocationDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.keys_list = QListWidget()
        self.keys_list.setObjectName("bulkLicensesList")
        self.keys_list.setAccessibleName("Licenses")
        self.keys_list.itemSelectionChanged.connect(self._selection_changed)
        self.keys_list.itemDoubleClicked.connect(lambda _item: self.ok())
        self.problem = QLabel()
        self.problem.setObjectName("refusalLabel")
        self.problem.setAccessibleName("Refusal")
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Allocate" if allocate else "Remove")
        self.ok_button.setObjectName("bulkOkButton")
        self.ok_button.setAccessibleName(self.ok_button.text())
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("bulkCancelButton")
        self.cancel_button.setAccessibleName("Cancel")
        buttons.accepted.connect(self.ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        what = "allocate to" if allocate else "remove from"
        layout.addWidget(QLabel(f"The license to {what} the {_noun(kind, len(self.names))}:"))
        layout.addWidget(self.keys_list, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(460, 520)
        self.pools = self._pools()
        self._fill()
        self._selection_changed()

    def _fill(self) -> None:
        counts = self.api.key_counts()
        shown = sorted(counts.values(), key=lambda c: c.info.display_name.casefold())
        for row in shown:
            refusal = key_refusal(row, self.kind) if self.allocate else None
            if not self.allocate and rules.holder_refusal(row.info, self.kind) is not None:
                continue  # no holder of this kind can have it
            item = QListWidgetItem(f"{row.info.display_name}  ({self._left_words(row)})")
            item.setData(KEY_ROLE, row.key)
            if refusal is not None:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip(refusal_tip(refusal))
            self.keys_list.addItem(item)

    def _pools(self) -> list[Pool]:
        """The pools the holders count in: a station and an Assignable user count in
        Assignable, a Concurrent user in Concurrent."""
        if self.kind is not HolderKind.USER:
            return [Pool.ASSIGNABLE]
        methods = {row.method for row in self.api.user_rows(self.names)}
        return [p for p in (Pool.ASSIGNABLE, Pool.CONCURRENT) if p in methods] or [Pool.ASSIGNABLE]

    def _left_words(self, row: KeyCounts) -> str:
        """ "3 of 10 left", "0 of 10 left, 2 over", as the Licensing tab says it."""
        pools = self.pools
        parts = []
        for pool in pools:
            remaining, allowed = left_of(row, pool), row.allowed(pool)
            text = f"{max(remaining, 0)} of {allowed} left"
            if remaining < 0:  # over-allocated, e.g. after a smaller license was loaded (R6)
                text += f", {-remaining} over"
            parts.append(f"{pool.value.capitalize()}: {text}" if len(pools) > 1 else text)
        return "; ".join(parts)

    def select_key(self, key: str) -> None:
        for i in range(self.keys_list.count()):
            item = self.keys_list.item(i)
            if item.data(KEY_ROLE) == key and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.keys_list.setCurrentItem(item)

    def item_for(self, key: str) -> QListWidgetItem | None:
        for i in range(self.keys_list.count()):
            if self.keys_list.item(i).data(KEY_ROLE) == key:
                return self.keys_list.item(i)
        return None

    @property
    def key(self) -> str | None:
        items = self.keys_list.selectedItems()
        return str(items[0].data(KEY_ROLE)) if items else None

    def _selection_changed(self) -> None:
        self.ok_button.setEnabled(self.key is not None and self.job is None)

    def ok(self) -> None:
        """Allocate or Remove: the change runs on a worker thread (all or nothing), with a
        progress dialog whose Stop rolls it back on large selections."""
        key = self.key
        if key is None or self.job is not None:
            return
        api, kind, names, allocate = self.api, self.kind, self.names, self.allocate
        chunk = max(PROGRESS_THRESHOLD, len(names) // 20)

        def change(job: Job) -> list[str]:  # on the worker thread
            def step(done: int) -> bool:
                job.report("changed", done, len(names))
                return not job.cancelled()

            return api.bulk_change(key, kind, names, allocate=allocate, progress=step, chunk=chunk)

        self.ok_button.setEnabled(False)
        self.problem.hide()
        self.job = run_job(
            change,
            self,
            succeeded=lambda changed: self._done(key, changed),
            failed=self._refused,
        )
        self.job.finished.connect(self._stopped)
        progress = self._progress_dialog()
        if progress is not None:
            self.job.progressed.connect(lambda _phase, done, _total: progress.setValue(done))
            progress.canceled.connect(self.job.cancel)

    def _done(self, key: str, changed: list[str]) -> None:
        if changed and self._undo_stack is not None:
            self._undo_stack.push(
                BulkAllocationCommand(
                    self.api, key, self.kind, changed, allocate=self.allocate, report=self._report
                )
            )
        self.accept()
        self.committed.emit(key)

    def _refused(self, error: ServiceError) -> None:
        self.problem.setText(refusal_text(error))
        self.problem.show()

    def _stopped(self) -> None:
        self.job = None
        if self.progress_dialog is not None:
            self.progress_dialog.close()
        self._selection_changed()

    def _progress_dialog(self) -> QProgressDialog | None:
        if len(self.names) < PROGRESS_THRESHOLD:
            return None
        progress = QProgressDialog(f"{self.windowTitle()}…", "Stop", 0, len(self.names), self)
        progress.setObjectName("bulkProgressDialog")
        progress.setAccessibleName("Bulk allocation progress")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        self.progress_dialog = progress
        return progress

    def reject(self) -> None:
        """Cancel or Escape while the change runs: stop it (it rolls back) first."""
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
