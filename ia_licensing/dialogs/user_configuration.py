"""User Configuration - <name> with its Licensing tab, and the small dialog Insert opens.

The Licensing tab has the spec's fields for a user: License allocation method (R16),
Client Access, ACD Access with its media levels (R11), ACD Social Media, IPA with its four
types (R12), Analytics with Core, Designer or Enterprise (R13), Enable Licenses (R14) and
Additional Licenses (R2). The user's workgroups are shown with the R18 note as it would be
after saving the pending ACD level, so the administrator sees the effect before OK (R19).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog, rules
from ia_licensing.console_api import ConsoleApi, HolderSettings, MemberCoverage, ServiceError
from ia_licensing.dialogs.holder_configuration import HolderConfigurationDialog
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.widgets.words import with_rule

NOTE_STYLE = "background: #fff4d6; color: black; padding: 4px;"


class UserConfigurationDialog(HolderConfigurationDialog):
    TITLE = "User Configuration"
    OBJECT_NAME = "userConfigurationDialog"
    KIND = HolderKind.USER
    SAVE = staticmethod(ConsoleApi.save_user)
    _coverage: MemberCoverage | None = None

    def _other_tabs(self) -> list[tuple[QWidget, str]]:
        page = QWidget()
        page.setObjectName("configurationTab")
        page.setAccessibleName("Configuration")
        form = QFormLayout(page)
        # What IA's Configuration tab says of a user that licensing depends on: who it is,
        # how its licenses are counted, and what its workgroups bring.
        self.user_id_label = QLabel()
        self.user_id_label.setObjectName("userIdLabel")
        self.user_id_label.setAccessibleName("User ID")
        form.addRow("User ID:", self.user_id_label)
        self.method_label = QLabel()
        self.method_label.setObjectName("licenseTypeLabel")
        self.method_label.setAccessibleName("License type")
        form.addRow("License type:", self.method_label)
        self.inherited_label = QLabel()
        self.inherited_label.setObjectName("inheritedLicensesLabel")
        self.inherited_label.setAccessibleName("Licenses through workgroups")
        self.inherited_label.setWordWrap(True)
        form.addRow("Licenses through workgroups:", self.inherited_label)
        self.workgroups_label = QLabel()
        self.workgroups_label.setObjectName("workgroupsLabel")
        self.workgroups_label.setAccessibleName("Workgroup queue interaction types")
        self.workgroups_label.setWordWrap(True)
        form.addRow("Workgroups route:", self.workgroups_label)
        self.note_label = QLabel()
        self.note_label.setObjectName("acdNoteLabel")
        self.note_label.setAccessibleName("ACD routing note")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.licensing.changed.connect(self._update_note)
        return [(page, "Configuration"), (self._security_rights(), "Security Rights")]

    def _security_rights(self) -> QWidget:
        """Security Rights ▸ Client Rights, with the one right licensing depends on (R24)."""
        page = QWidget()
        page.setObjectName("securityRightsTab")
        page.setAccessibleName("Security Rights")
        client_rights = QGroupBox("Client Rights")
        client_rights.setObjectName("clientRightsGroup")
        client_rights.setAccessibleName("Client Rights")
        self.remote_login_check = QCheckBox(rules.REMOTE_LOGIN_RIGHT)
        self.remote_login_check.setObjectName("remoteLoginCheckBox")
        self.remote_login_check.setAccessibleName(rules.REMOTE_LOGIN_RIGHT)
        self.remote_login_check.setToolTip(
            "Lets the user log on with a remote phone number (a Dynamic Remote station, "
            "which takes a free Basic Station license). Selected by default (R24)."
        )
        self.remote_login_check.toggled.connect(self._update_buttons)
        box = QVBoxLayout(client_rights)
        box.addWidget(self.remote_login_check)
        layout = QVBoxLayout(page)
        layout.addWidget(client_rights)
        layout.addStretch(1)
        return page

    def _pending(self) -> HolderSettings:
        return replace(self.licensing.settings(), remote_login=self.remote_login_check.isChecked())

    @property
    def is_dirty(self) -> bool:
        stored = getattr(self, "_stored", None)
        changed = stored is not None and self.remote_login_check.isChecked() != stored.remote_login
        return self.licensing.is_dirty or changed

    def _build(self) -> None:
        super()._build()
        # The R18 note also sits under the tabs, where the Licensing tab's edits are made.
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.note_label)

    def _read(self, name: str) -> HolderSettings:
        info = self.api.get_user(name)
        found = self.api.member_coverage("", [info.name])
        self._coverage = found[0] if found else None
        types = sorted(self._coverage.other_types) if self._coverage else []
        self.workgroups_label.setText(", ".join(t.label for t in types) or "no workgroup queue")
        self.user_id_label.setText(info.name)
        through = [
            f"{catalog.describe(key).display_name} (from {', '.join(groups)})"
            for key, groups in sorted(info.inherited.items())
        ]
        self.inherited_label.setText("; ".join(through) or "none")
        self.licensing.set_inherited(info.inherited)  # ticked and greyed (R32)
        self.remote_login_check.blockSignals(True)
        self.remote_login_check.setChecked(info.remote_login)
        self.remote_login_check.blockSignals(False)
        return HolderSettings(
            info.name,
            frozenset(info.keys),
            info.licenses_enabled,
            method=info.method,
            acd_types=frozenset(info.acd_types),
            remote_login=info.remote_login,
            inherited=frozenset(info.inherited),
        )

    def load(self, name: str) -> None:
        super().load(name)
        self._update_note()

    def _update_note(self) -> None:
        """R18 for the pending ACD level (cleared Enable Licenses grants nothing, R14)."""
        pending = self.licensing.settings()
        self.method_label.setText(pending.method.label)
        level = rules.acd_level_of(pending.held) if pending.licenses_enabled else None
        types = self._coverage.other_types if self._coverage else frozenset()
        note = rules.acd_coverage_note(pending.name, level, types, pending.acd_types)
        self.note_label.setText(with_rule(note.message, note.rule) if note else "")
        self.note_label.setVisible(note is not None)


class AddUserDialog(QDialog):
    """Insert in the Users container: a user name and License allocation method."""

    added = Signal(str)

    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("addUserDialog")
        self.setWindowTitle("Add User")
        self.setAccessibleName("Add User")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("userNameEdit")
        self.name_edit.setAccessibleName("User name")
        self.assignable_radio = QRadioButton("Assignable")
        self.assignable_radio.setObjectName("assignableRadio")
        self.assignable_radio.setAccessibleName("Assignable")
        self.assignable_radio.setChecked(True)
        self.concurrent_radio = QRadioButton("Concurrent")
        self.concurrent_radio.setObjectName("concurrentRadio")
        self.concurrent_radio.setAccessibleName("Concurrent")
        group = QButtonGroup(self)
        group.addButton(self.assignable_radio)
        group.addButton(self.concurrent_radio)
        method = QHBoxLayout()
        method.addWidget(self.assignable_radio)
        method.addWidget(self.concurrent_radio)
        self.problem = QLabel()
        self.problem.setObjectName("refusalLabel")
        self.problem.setAccessibleName("Refusal")
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setAccessibleName("OK")
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAccessibleName("Cancel")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("User name:", self.name_edit)
        form.addRow("License allocation method:", method)
        form.addRow(self.problem)
        form.addRow(buttons)

    def add(self) -> None:
        name = self.name_edit.text().strip()
        method = Pool.CONCURRENT if self.concurrent_radio.isChecked() else Pool.ASSIGNABLE
        try:
            self.api.add_user(name, method)
        except ServiceError as error:
            self.problem.setText(refusal_text(error))
            self.problem.show()
            return
        self.accept()
        self.added.emit(name)
