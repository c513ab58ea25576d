"""License Configuration - <name>: who holds one access key, edited as one change.

The dialog keeps the administrator's additions and removals pending (the counts update
live) until Apply or OK commits them through the services in one all-or-nothing step; a
refusal is shown in the dialog and nothing is written. << and >> walk the keys in the
order of the Licenses Allocation container. Each commit is pushed on the main window's
undo stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog, rules
from ia_licensing.console_api import Change, ConsoleApi, KeyHolders, Refused, ServiceError
from ia_licensing.dialogs.configuration_parts import (
    confirm_auto_save_box,
    leave_allowed,
    navigation_button,
    neighbour,
    ok_cancel_apply,
    refusal_label,
)
from ia_licensing.dialogs.holder_list import HolderList, Prepared, WorkgroupList, prepare
from ia_licensing.dialogs.holder_picker import Chooser, HolderPickerDialog, PickerRequest
from ia_licensing.dialogs.undo_commands import LicenseConfigurationCommand
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.widgets.prompts import Prompts
from ia_licensing.widgets.words import sentence, with_rule
from ia_licensing.widgets.worker import Job, run_job, settle_heap

ASSIGNABLE_TAB, CONCURRENT_TAB = 0, 1


def refusal_text(error: ServiceError) -> str:
    if isinstance(error, Refused):
        return "\n".join(with_rule(r.message, r.rule) for r in error.refusals)
    return sentence(str(error))


class LicenseConfigurationDialog(QDialog):
    committed = Signal(str)  # the key whose holders were saved
    holders_loaded = Signal(str)  # the key whose holders are now shown

    def __init__(
        self,
        api: ConsoleApi,
        keys: Sequence[str],
        key: str,
        *,
        undo_stack: QUndoStack | None = None,
        prompts: Prompts | None = None,
        choose_holders: Chooser | None = None,
        report: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api = api
        self._keys = list(keys) if key in keys else [key]
        self._undo_stack = undo_stack
        self._prompts = prompts or Prompts()
        self._choose = choose_holders or HolderPickerDialog.choose
        self._report = report or (lambda _message: None)
        self.setObjectName("licenseConfigurationDialog")
        self._holders: KeyHolders | None = None
        self._loading: Job | None = None
        self._build()
        self.resize(560, 720)
        self.load(key)

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.assignable_users = HolderList(HolderKind.USER, Pool.ASSIGNABLE, "assignableUser")
        self.stations = HolderList(HolderKind.STATION, Pool.ASSIGNABLE, "station")
        self.concurrent_users = HolderList(HolderKind.USER, Pool.CONCURRENT, "concurrentUser")
        # R32: one list of workgroups granted the key, shown on both tabs.
        self.assignable_workgroups = WorkgroupList(Pool.ASSIGNABLE, "assignableWorkgroup")
        self.concurrent_workgroups = WorkgroupList(Pool.CONCURRENT, "concurrentWorkgroup")
        self.assignable_workgroups.mirror(self.concurrent_workgroups)
        for holder_list in self._all_lists():
            holder_list.changed.connect(self._update_counts)
            holder_list.add_requested.connect(lambda h=holder_list: self._add_to(h))

        assignable = QWidget()
        assignable.setObjectName("assignableTab")
        assignable.setAccessibleName("Assignable")
        tab_layout = QVBoxLayout(assignable)
        tab_layout.addWidget(self.assignable_users)
        tab_layout.addWidget(self.stations)
        tab_layout.addWidget(self.assignable_workgroups)
        concurrent = QWidget()
        concurrent.setObjectName("concurrentTab")
        concurrent.setAccessibleName("Concurrent")
        concurrent_layout = QVBoxLayout(concurrent)
        concurrent_layout.addWidget(self.concurrent_users)
        # As IA's picture of the tab: a Station Name section, greyed out (R8: licenses on
        # stations are Assignable only).
        self.concurrent_stations = HolderList(
            HolderKind.STATION, Pool.CONCURRENT, "concurrentStation"
        )
        self.concurrent_stations.setEnabled(False)
        self.concurrent_stations.setToolTip("Licenses on stations are Assignable only. (R8)")
        concurrent_layout.addWidget(self.concurrent_stations)
        concurrent_layout.addWidget(self.concurrent_workgroups)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("licenseConfigurationTabs")
        self.tabs.setAccessibleName("License allocation methods")
        self.tabs.addTab(assignable, "Assignable")
        self.tabs.addTab(concurrent, "Concurrent")
        self.tabs.currentChanged.connect(self._update_counts)

        self.number_label = self._label("numberOfLicensesLabel", "Number of licenses")
        self.total_label = self._label("totalConfiguredLabel", "Total configured")
        self.refusal_label = refusal_label()

        self.previous_button = navigation_button("<<", "previousLicenseButton", "Previous license")
        self.next_button = navigation_button(">>", "nextLicenseButton", "Next license")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(+1))
        self.confirm_auto_save = confirm_auto_save_box(
            "Checked: ask before saving when you move to another license or close.\n"
            "Cleared: changes are saved when you move to another license."
        )
        box, self.ok_button, self.cancel_button, self.apply_button = ok_cancel_apply(
            "licenseConfigurationButtons", self.ok, self.cancel, self.apply
        )

        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        bottom.addWidget(self.confirm_auto_save)
        bottom.addStretch(1)
        bottom.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.number_label)
        layout.addWidget(self.total_label)
        layout.addWidget(self.refusal_label)
        layout.addLayout(bottom)

    def _label(self, object_name: str, accessible: str) -> QLabel:
        label = QLabel()
        label.setObjectName(object_name)
        label.setAccessibleName(accessible)
        return label

    def _lists(self) -> tuple[HolderList, HolderList, HolderList]:
        return self.assignable_users, self.stations, self.concurrent_users

    def _all_lists(self) -> tuple[HolderList, ...]:
        return (*self._lists(), self.assignable_workgroups, self.concurrent_workgroups)

    def _pool_lists(self, pool: Pool) -> tuple[HolderList, ...]:
        if pool is Pool.ASSIGNABLE:
            return self.assignable_users, self.stations, self.assignable_workgroups
        return self.concurrent_users, self.concurrent_workgroups

    # --- loading a key ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self._key

    @property
    def is_loaded(self) -> bool:
        """The holders of the key shown have been read (they are read on a worker thread)."""
        return self._holders is not None and self._holders.key == self._key

    def load(self, key: str) -> None:
        """Show `key` as stored, forgetting pending edits: the dialog at once, the holders
        when they have been read (a key held by 100,000 takes most of a second)."""
        info = catalog.describe(key)
        self._key = info.key
        self._holders = None
        title = f"License Configuration - {info.display_name}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        for holder_list in self._all_lists():
            holder_list.set_reading()
        self._set_navigation()
        self._show_refusal(None)
        self._update_counts()
        api = self._api

        def read(_job: Job) -> tuple[KeyHolders, tuple[Prepared, ...]]:  # on a worker thread
            holders = api.holders_of(info.key)
            lists = (
                holders.assignable_users,
                holders.stations,
                holders.concurrent_users,
                holders.workgroups,
            )
            return holders, tuple(map(prepare, lists))

        def show(result: tuple[KeyHolders, tuple[Prepared, ...]]) -> None:
            if self._loading is job:  # not a key left meanwhile (<< and >>)
                self._show_holders(*result)

        job = run_job(
            read, self, succeeded=show, failed=lambda e: self._show_refusal(refusal_text(e))
        )
        self._loading = job

    def _show_holders(self, holders: KeyHolders, lists: tuple[Prepared, ...]) -> None:
        self._holders = holders
        info = catalog.describe(holders.key)
        *own, workgroups = lists
        for holder_list, ready in zip(self._lists(), own, strict=True):
            holder_list.load(ready)
        # One list of pending edits seen from both tabs (R32): each tab shows it loaded.
        self.assignable_workgroups.load(workgroups)
        self.concurrent_workgroups.load(workgroups)
        user_refusal = rules.holder_refusal(info, HolderKind.USER)
        station_refusal = rules.holder_refusal(info, HolderKind.STATION)
        self.assignable_users.set_refused(user_refusal.message if user_refusal else None)
        self.concurrent_users.set_refused(user_refusal.message if user_refusal else None)
        for workgroup_list in (self.assignable_workgroups, self.concurrent_workgroups):
            workgroup_list.set_refused(user_refusal.message if user_refusal else None)
        self.stations.set_refused(station_refusal.message if station_refusal else None)
        # R8: stations are Assignable only, so a station-only key has no Concurrent tab.
        concurrent_ok = user_refusal is None
        self.tabs.setTabEnabled(CONCURRENT_TAB, concurrent_ok)
        self.tabs.setTabToolTip(
            CONCURRENT_TAB,
            "" if concurrent_ok else f"{info.display_name} is Assignable only (R8)",
        )
        if not concurrent_ok:
            self.tabs.setCurrentIndex(ASSIGNABLE_TAB)
        self._update_counts()
        settle_heap()
        self.holders_loaded.emit(holders.key)

    def _set_navigation(self) -> None:
        position = self._keys.index(self._key) if self._key in self._keys else -1
        self.previous_button.setEnabled(position > 0)
        self.next_button.setEnabled(0 <= position < len(self._keys) - 1)

    @property
    def pool(self) -> Pool:
        return Pool.CONCURRENT if self.tabs.currentIndex() == CONCURRENT_TAB else Pool.ASSIGNABLE

    def pending_configured(self, pool: Pool) -> int:
        return sum(h.configured_delta() for h in self._pool_lists(pool))

    def total_configured(self, pool: Pool) -> int:
        assert self._holders is not None
        return self._holders.counts.configured(pool) + self.pending_configured(pool)

    def _update_counts(self) -> None:
        if self._holders is None:
            self.number_label.setText("Number of licenses: reading…")
            self.total_label.setText("Total configured: reading…")
            self.apply_button.setEnabled(False)
            return
        pool = self.pool
        allowed = self._holders.counts.allowed(pool)
        total = self.total_configured(pool)
        self.number_label.setText(f"Number of licenses: {allowed:,}")
        self.total_label.setText(f"Total configured: {total:,}")
        # Assignable may not exceed what is allowed (R4); Concurrent may (R5).
        over = pool is Pool.ASSIGNABLE and total > allowed
        self.total_label.setStyleSheet("color: #b00020;" if over else "")
        self.apply_button.setEnabled(self.is_dirty)

    # --- editing ---------------------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        return any(h.is_dirty for h in self._all_lists())

    def change(self) -> Change:
        users = (self.assignable_users, self.concurrent_users)
        return Change(
            add_users=frozenset().union(*(h.added_names() for h in users)),
            add_stations=self.stations.added_names(),
            remove_users=frozenset().union(*(h.removed_names() for h in users)),
            remove_stations=self.stations.removed_names(),
            add_workgroups=self.assignable_workgroups.added_names(),
            remove_workgroups=self.assignable_workgroups.removed_names(),
        )

    def _add_to(self, holder_list: HolderList) -> None:
        request = PickerRequest(
            self._api,
            self.key,
            catalog.describe(self.key).display_name,
            holder_list.kind,
            holder_list.pool,
            self.change(),
            self.pending_configured(holder_list.pool),
            workgroups=isinstance(holder_list, WorkgroupList),
        )
        chosen = self._choose(self, request)
        if chosen:
            holder_list.add(chosen)  # type: ignore[arg-type]

    def _show_refusal(self, text: str | None) -> None:
        self.refusal_label.setText(text or "")
        self.refusal_label.setVisible(bool(text))

    def apply(self) -> bool:
        """Commit the pending edits; False (and the refusal shown) when refused."""
        change = self.change()
        if change.is_empty:
            return True
        try:
            self._api.apply_license_change(self.key, change)
        except ServiceError as error:
            self._show_refusal(refusal_text(error))
            return False
        if self._undo_stack is not None:
            self._undo_stack.push(
                LicenseConfigurationCommand(self._api, self.key, change, self._report)
            )
        key = self.key
        self.load(key)
        self.committed.emit(key)
        return True

    def ok(self) -> None:
        if self.apply():
            self.accept()

    def cancel(self) -> None:
        """Cancel discards the pending edits without asking."""
        super().reject()

    def _leave_allowed(self, *, closing: bool) -> bool:
        return leave_allowed(
            self,
            self._prompts,
            self.confirm_auto_save,
            dirty=self.is_dirty,
            closing=closing,
            apply=self.apply,
            subject=catalog.describe(self.key).display_name,
        )

    def go(self, step: int) -> None:
        """<< and >>: the previous or next license of the container's order."""
        target = neighbour(self._keys, self.key, step)
        if target is not None and self._leave_allowed(closing=False):
            self.load(target)

    def reject(self) -> None:
        """Escape or the window's close button."""
        if self._leave_allowed(closing=True):
            super().reject()
