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
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.console_api import ConsoleApi, MemberCoverage, ServiceError
from ia_licensing.dialogs.configuration_parts import ok_cancel_apply, refusal_label
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.dialogs.undo_commands import WorkgroupCommand

NOTE_STYLE = "background: #fff4d6; color: black;"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
GRANTS_LINE = (
    "Every member holds the licenses ticked here through this workgroup, and counts once "
    "per license however many ways they hold it (R32)."
)


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

        configuration = QWidget()
        configuration.setObjectName("workgroupConfigurationTab")
        configuration.setAccessibleName("Configuration")
        page = QVBoxLayout(configuration)
        page.addWidget(QLabel("Workgroup name:"))
        page.addWidget(self.name_edit)
        page.addWidget(types)
        page.addWidget(QLabel("Members:"))
        page.addWidget(self.members_list, 1)
        page.addLayout(adding)
        page.addWidget(self.notes_label)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workgroupEditorTabs")
        self.tabs.setAccessibleName("Workgroup Configuration pages")
        self.tabs.addTab(configuration, "Configuration")
        self.tabs.addTab(self._licensing_tab(), "Licensing")

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(box)

    def _licensing_tab(self) -> QWidget:
        """R32: the licenses granted to the workgroup, held by every member through it."""
        page = QWidget()
        page.setObjectName("workgroupLicensingTab")
        page.setAccessibleName("Licensing")
        title = QLabel("Licenses granted to the workgroup:")
        title.setObjectName("grantedLicensesLabel")
        title.setAccessibleName("Licenses granted to the workgroup")
        self.licenses_list = QListWidget()
        self.licenses_list.setObjectName("grantedLicensesList")
        self.licenses_list.setAccessibleName("Licenses granted to the workgroup")
        self.licenses_list.itemChanged.connect(self._licenses_edited)
        title.setBuddy(self.licenses_list)
        line = QLabel(GRANTS_LINE)
        line.setObjectName("grantsLine")
        line.setAccessibleName(GRANTS_LINE)
        line.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.licenses_list, 1)
        layout.addWidget(line)
        return page

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
        self._saved_licenses = frozenset(row.licenses if row else ())
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
        self._fill_licenses()
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

    def licenses(self) -> frozenset[str]:
        """The keys ticked on the Licensing tab."""
        items = (self.licenses_list.item(i) for i in range(self.licenses_list.count()))
        return frozenset(
            item.data(KEY_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked
        )

    @property
    def is_dirty(self) -> bool:
        return (
            self._new
            or self.types() != self._saved_types
            or self.members() != self._saved_members
            or self.licenses() != self._saved_licenses
        )

    def _fill_licenses(self) -> None:
        """Purchased keys a user may hold (R2, R7, R17), and any granted already."""
        self._counts = self.api.key_counts()
        offered = {
            k
            for k, c in self._counts.items()
            if c.purchased and rules.holder_refusal(c.info, rules.HolderKind.USER) is None
        }
        self.licenses_list.blockSignals(True)
        self.licenses_list.clear()
        for key in sorted(
            offered | self._saved_licenses,
            key=lambda k: catalog.describe(k).display_name.casefold(),
        ):
            item = QListWidgetItem(catalog.describe(key).display_name)
            item.setData(KEY_ROLE, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = key in self._saved_licenses
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.licenses_list.addItem(item)
        self.licenses_list.blockSignals(False)
        self._update_licenses()

    def _licenses_edited(self) -> None:
        self._update_licenses()
        self._update()

    def _update_licenses(self) -> None:
        """Grey out a key the rules forbid next to those ticked (one ACD level, IPA type or
        Analytics tier per holder, R11–R13), with the rule as tooltip; a ticked key can
        always be cleared. Capacity (R4) and each member's method are checked on Apply,
        which names the members concerned."""
        ticked = self.licenses()
        self.licenses_list.blockSignals(True)
        for i in range(self.licenses_list.count()):
            item = self.licenses_list.item(i)
            key = item.data(KEY_ROLE)
            info = catalog.describe(key)
            refusal = rules.holder_refusal(info, rules.HolderKind.USER) or rules.group_refusal(
                info, ticked - {key}
            )
            counts = self._counts.get(key)
            if refusal is None and (counts is None or not counts.purchased):
                refusal = rules.not_purchased_refusal(counts or rules.KeyCounts(key))
            flags = Qt.ItemFlag.ItemIsUserCheckable
            if key in ticked or refusal is None:
                flags |= Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
            item.setToolTip(f"{refusal.message} ({refusal.rule})" if refusal else "")
        self.licenses_list.blockSignals(False)

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
        licenses = tuple(sorted(self.licenses()))
        try:
            self.api.save_workgroup(self.name, types, members, create=self._new, licenses=licenses)
        except ServiceError as error:
            self._show_problem(refusal_text(error))
            return False
        if self._undo_stack is not None and self._report is not None:
            saved = tuple(t.value for t in sorted(self._saved_types))
            old = tuple(sorted(self._saved_licenses))
            before = None if self._new else (saved, tuple(self._saved_members), old)
            after = (types, members, licenses)
            self._undo_stack.push(
                WorkgroupCommand(self.api, self.name, before, after, self._report)
            )
        name = self.name
        self.load(name)
        self.committed.emit(name)
        return True

    def ok(self) -> None:
        if self.apply():
            self.accept()
