"""Workgroup Configuration - <name>: an ACD workgroup queue's interaction types and members.

The R18 notes of the members are worked out again at every tick of a type and every
member added or removed, from the members' ACD levels and their other workgroups, so the
administrator sees the effect before OK (R19); after OK the console refreshes, and the
notes count in the status bar follows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.catalog import InteractionType
from ia_licensing.console_api import ConsoleApi, MemberCoverage, ServiceError
from ia_licensing.dialogs.configuration_parts import ok_cancel_apply, refusal_label
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.dialogs.undo_commands import WorkgroupCommand

NOTE_STYLE = "background: #fff4d6; color: black;"


class WorkgroupEditor(QDialog):
    committed = Signal(str)

    def __init__(
        self,
        api: ConsoleApi,
        name: str | None = None,
        parent: QWidget | None = None,
        *,
        undo_stack: QUndoStack | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        """`name` None: a new workgroup (Insert in the Workgroups container). With an undo
        stack (and `report` for an undo refused later), each save can be undone."""
        super().__init__(parent)
        self.api = api
        self._undo_stack = undo_stack
        self._report = report
        self._new = name is None
        self.setObjectName("workgroupEditor")
        self._coverage: dict[str, MemberCoverage] = {}
        self._build()
        self.resize(560, 560)
        self.load(name)

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("workgroupNameEdit")
        self.name_edit.setAccessibleName("Workgroup name")
        types = QGroupBox("Queue interaction types")
        types.setObjectName("queueInteractionTypesGroup")
        types.setAccessibleName("Queue interaction types")
        row = QHBoxLayout(types)
        self.type_checks: dict[InteractionType, QCheckBox] = {}
        for kind in InteractionType:
            check = QCheckBox(kind.label)
            check.setObjectName(f"{kind.value}CheckBox")
            check.setAccessibleName(kind.label)
            check.toggled.connect(self._update)
            self.type_checks[kind] = check
            row.addWidget(check)

        self.members_list = QListWidget()
        self.members_list.setObjectName("membersList")
        self.members_list.setAccessibleName("Members")
        self.members_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.member_edit = QLineEdit()
        self.member_edit.setObjectName("memberNameEdit")
        self.member_edit.setAccessibleName("User to add")
        self.member_edit.setPlaceholderText("User name")
        completer = QCompleter(QStringListModel(self.api.user_names(), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.member_edit.setCompleter(completer)
        self.member_edit.returnPressed.connect(self.add_member)
        self.add_button = self._button("Add", "addMemberButton", "Add member")
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = self._button("Remove", "removeMemberButton", "Remove members")
        self.remove_button.clicked.connect(self.remove_selected)
        adding = QHBoxLayout()
        adding.addWidget(self.member_edit, 1)
        adding.addWidget(self.add_button)
        adding.addWidget(self.remove_button)

        self.notes_label = QLabel()
        self.notes_label.setObjectName("memberNotesLabel")
        self.notes_label.setAccessibleName("Members' ACD notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(NOTE_STYLE)
        self.problem = refusal_label()

        box, self.ok_button, self.cancel_button, self.apply_button = ok_cancel_apply(
            "workgroupButtons", self.ok, self.reject, self.apply
        )

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Workgroup name:"))
        layout.addWidget(self.name_edit)
        layout.addWidget(types)
        layout.addWidget(QLabel("Members:"))
        layout.addWidget(self.members_list, 1)
        layout.addLayout(adding)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.problem)
        layout.addWidget(box)

    def _button(self, text: str, object_name: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(object_name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        return button

    # --- state --------------------------------------------------------------------------------

    def load(self, name: str | None) -> None:
        found = [w for w in self.api.workgroup_rows() if w.name == name]
        row = found[0] if found else None
        self._saved_types = frozenset(row.interaction_types if row else ())
        self._saved_members = list(row.members if row else ())
        self._new = row is None
        title = "Workgroup Configuration - " + (row.name if row else "New Workgroup")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.name_edit.setText(row.name if row else "")
        self.name_edit.setReadOnly(not self._new)
        for kind, check in self.type_checks.items():
            check.blockSignals(True)
            check.setChecked(kind in self._saved_types)
            check.blockSignals(False)
        self.members_list.clear()
        self.members_list.addItems(self._saved_members)
        self._coverage = {
            c.name: c for c in self.api.member_coverage(self.name, self._saved_members)
        }
        self._show_problem("")
        self._update()

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    def types(self) -> frozenset[InteractionType]:
        return frozenset(k for k, check in self.type_checks.items() if check.isChecked())

    def members(self) -> list[str]:
        return [self.members_list.item(i).text() for i in range(self.members_list.count())]

    @property
    def is_dirty(self) -> bool:
        return (
            self._new or self.types() != self._saved_types or self.members() != self._saved_members
        )

    def member_notes(self) -> list[str]:
        """R18 for every member, with the types as ticked now (R19)."""
        found = []
        for member in self.members():
            coverage = self._coverage.get(member)
            note = coverage.note(self.types()) if coverage else None
            if note is not None:
                found.append(f"{note.subject}: {note.message} ({note.rule})")
        return found

    def _update(self) -> None:
        notes = self.member_notes()
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        self.apply_button.setEnabled(self.is_dirty)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    # --- editing ----------------------------------------------------------------------------

    def add_member(self) -> None:
        wanted = self.member_edit.text().strip()
        if not wanted:
            return
        found = self.api.member_coverage(self.name, [wanted])
        if not found:
            self._show_problem(f"There is no user named {wanted!r}")
            return
        coverage = found[0]
        if coverage.name not in self.members():
            self._coverage[coverage.name] = coverage
            self.members_list.addItem(coverage.name)
            self.members_list.sortItems()
        self.member_edit.clear()
        self._show_problem("")
        self._update()

    def remove_selected(self) -> None:
        for item in self.members_list.selectedItems():
            self.members_list.takeItem(self.members_list.row(item))
        self._update()

    def apply(self) -> bool:
        """Save types and members; False (and the reason shown) when refused."""
        if not self.is_dirty:
            return True
        types = tuple(t.value for t in sorted(self.types()))
        members = tuple(self.members())
        try:
            self.api.save_workgroup(self.name, types, members, create=self._new)
        except ServiceError as error:
            self._show_problem(refusal_text(error))
            return False
        if self._undo_stack is not None and self._report is not None:
            saved = tuple(t.value for t in sorted(self._saved_types))
            before = None if self._new else (saved, tuple(self._saved_members))
            self._undo_stack.push(
                WorkgroupCommand(self.api, self.name, before, (types, members), self._report)
            )
        name = self.name
        self.load(name)
        self.committed.emit(name)
        return True

    def ok(self) -> None:
        if self.apply():
            self.accept()
