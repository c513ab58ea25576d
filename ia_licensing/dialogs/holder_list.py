"""One list of License Configuration (User Name or Station Name) with its pending edits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QListView,
    QPushButton,
    QWidget,
)

from ia_licensing.console_api import Eligible, EligibleWorkgroup, GrantHolder, Holder
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.widgets.ordering import natural


@dataclass(frozen=True)
class Prepared:
    """A list's holders made ready to show (`prepare`): by folded name, and sorted."""

    base: dict[str, Any]  # Holder (GrantHolder for workgroups)
    shown: list[str]


def prepare(holders: Iterable[Any]) -> Prepared:
    """What `HolderList.load` needs, worked out where it is called: a worker thread may,
    so that 100,000 names are not sorted on the GUI thread."""
    base = {h.name.casefold(): h for h in holders}
    return Prepared(base, sorted((h.name for h in base.values()), key=natural))


class HolderList(QWidget):
    """The names holding the key in one tab's list, plus what the dialog has not saved.

    A list can hold tens of thousands of names (Client Access at 50,000 users), so it is a
    QListView on a QStringListModel, never an item widget.
    """

    add_requested = Signal()
    changed = Signal()

    NOUN: str | None = None  # the list's title, when not the holders' kind's

    def __init__(
        self, kind: HolderKind, pool: Pool, object_prefix: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.pool = pool
        noun = self.NOUN or ("User Name" if kind is HolderKind.USER else "Station Name")
        where = f"{pool.label} {noun}"
        self.setObjectName(f"{object_prefix}List")
        self.setAccessibleName(where)
        self._base: dict[str, Any] = {}  # Holder (GrantHolder in a WorkgroupList)
        self._added: dict[str, Any] = {}  # Eligible (EligibleWorkgroup)
        self._removed: dict[str, Any] = {}

        self.title = QLabel(noun)
        self.title.setObjectName(f"{object_prefix}Label")
        self.title.setAccessibleName(f"{where} label")
        self.model = QStringListModel(self)
        self.view = QListView()
        self.view.setObjectName(f"{object_prefix}View")
        self.view.setAccessibleName(f"{where} list")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.title.setBuddy(self.view)

        self.add_button = QPushButton("Add...")
        self.add_button.setObjectName(f"{object_prefix}AddButton")
        self.add_button.setAccessibleName(f"Add {noun.split()[0].lower()}s ({pool.label})")
        self.add_button.clicked.connect(self.add_requested)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName(f"{object_prefix}DeleteButton")
        self.delete_button.setAccessibleName(
            f"Delete the selected {noun.split()[0].lower()}s ({pool.label})"
        )
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title, 0, 0)
        layout.addWidget(self.view, 1, 0, 3, 1)
        layout.addWidget(self.add_button, 1, 1)
        layout.addWidget(self.delete_button, 2, 1)
        layout.setRowStretch(3, 1)
        self._update_buttons()

    # --- state --------------------------------------------------------------------------

    def load(self, holders: Iterable[Holder] | Prepared) -> None:
        """Show what is stored and forget pending edits."""
        ready = holders if isinstance(holders, Prepared) else prepare(holders)
        self._base.clear()  # in place: a mirrored list shares these dictionaries
        self._base.update(ready.base)
        self._added.clear()
        self._removed.clear()
        self.view.setEnabled(True)
        self._show(ready.shown)

    def set_reading(self) -> None:
        """While the holders are read: nothing to edit, and the list says so."""
        self._base.clear()
        self._added.clear()
        self._removed.clear()
        self.model.setStringList(["Reading…"])
        self.view.setEnabled(False)
        self.add_button.setEnabled(False)
        self.delete_button.setEnabled(False)

    def add(self, holders: Iterable[Eligible]) -> None:
        for holder in holders:
            fold = holder.name.casefold()
            if fold in self._removed:
                del self._removed[fold]  # adding back what was removed cancels the removal
            elif fold not in self._base:
                self._added[fold] = holder
        self._show()

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            fold = name.casefold()
            if fold in self._added:
                del self._added[fold]
            elif fold in self._base:
                self._removed[fold] = self._base[fold]
        self._show()

    def delete_selected(self) -> None:
        self.remove(self.selected_names())

    def selected_names(self) -> list[str]:
        return [str(i.data()) for i in self.view.selectionModel().selectedIndexes()]

    def select_names(self, names: Iterable[str]) -> None:
        wanted = {n.casefold() for n in names}
        selection = self.view.selectionModel()
        selection.clearSelection()
        for row, name in enumerate(self.model.stringList()):
            if name.casefold() in wanted:
                selection.select(self.model.index(row, 0), selection.SelectionFlag.Select)

    def names(self) -> list[str]:
        return self.model.stringList()

    @property
    def is_dirty(self) -> bool:
        return bool(self._added or self._removed)

    def added_names(self) -> frozenset[str]:
        return frozenset(h.name for h in self._added.values())

    def removed_names(self) -> frozenset[str]:
        return frozenset(h.name for h in self._removed.values())

    def configured_delta(self) -> int:
        """How many more holders count in the pool once the pending edits are saved."""
        added = sum(self._counted(h) for h in self._added.values())
        return added - sum(self._counted(h) for h in self._removed.values())

    def _counted(self, holder: Holder | Eligible) -> int:
        return 1 if holder.counting else 0

    def _show(self, ready: list[str] | None = None) -> None:
        self._render(ready)
        self.changed.emit()

    def _render(self, ready: list[str] | None = None) -> None:
        if ready is None:
            shown = [h.name for f, h in self._base.items() if f not in self._removed]
            shown += [h.name for h in self._added.values()]
            ready = sorted(shown, key=natural)  # user2 before user10
        self.model.setStringList(ready)
        self._update_buttons()

    # --- enabling -------------------------------------------------------------------------

    def set_refused(self, reason: str | None) -> None:
        """Disable the whole list when a rule forbids this kind of holder (R7, R12, R13)."""
        for widget in (self.title, self.view, self.add_button, self.delete_button):
            widget.setToolTip(reason or "")
        self.setEnabled(reason is None)
        self.add_button.setEnabled(True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.view.selectionModel().selectedIndexes()))


class WorkgroupList(HolderList):
    """The Workgroup Name list (R32): workgroups granted the key. It shows on the Assignable
    and on the Concurrent tab, one list of pending edits seen from each pool: a workgroup's
    members count in their own method's pool, so each tab's Total configured moves by the
    members who hold the key through that workgroup alone."""

    NOUN = "Workgroup Name"

    def __init__(self, pool: Pool, object_prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(HolderKind.USER, pool, object_prefix, parent)
        self.add_button.setAccessibleName(f"Add workgroups ({pool.label})")
        self.delete_button.setAccessibleName(f"Delete the selected workgroups ({pool.label})")

    def mirror(self, other: WorkgroupList) -> None:
        """Share pending edits with `other` (the same list on the other tab)."""
        other._base, other._added, other._removed = self._base, self._added, self._removed
        self.changed.connect(other._render)
        other.changed.connect(self._render)

    def load(self, holders: Iterable[GrantHolder] | Prepared) -> None:  # type: ignore[override]
        super().load(holders)  # type: ignore[arg-type]

    def add(self, holders: Iterable[EligibleWorkgroup]) -> None:  # type: ignore[override]
        super().add(holders)  # type: ignore[arg-type]

    def _counted(self, holder: Any) -> int:
        return int(holder.in_pool(self.pool))
