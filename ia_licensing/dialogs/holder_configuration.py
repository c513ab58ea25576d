"""What Station Configuration and User Configuration share: tabs with a Licensing tab,
<< and >> through the container's order, Confirm auto-save, OK, Cancel and Apply.

The Licensing tab keeps the administrator's choices pending until Apply or OK saves them
in one transaction; a refusal is shown in the dialog and nothing is written. Each save
goes on the console's undo stack, so Edit ▸ Undo puts the holder's settings back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.console_api import ConsoleApi, HolderSettings, ServiceError
from ia_licensing.dialogs.configuration_parts import (
    confirm_auto_save_box,
    leave_allowed,
    navigation_button,
    neighbour,
    ok_cancel_apply,
    refusal_label,
)
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.dialogs.licensing_tab import LicensingTab
from ia_licensing.dialogs.undo_commands import HolderSettingsCommand
from ia_licensing.rules import HolderKind, Note
from ia_licensing.widgets.prompts import Prompts


class HolderConfigurationDialog(QDialog):
    committed = Signal(str)  # the holder whose settings were saved
    TITLE = ""
    OBJECT_NAME = ""
    KIND = HolderKind.STATION

    # The service call that stores a holder's settings, used by Apply and by Undo/Redo.
    SAVE: ClassVar[staticmethod[[ConsoleApi, HolderSettings], list[Note]]]

    def __init__(
        self,
        api: ConsoleApi,
        names: Sequence[str],
        name: str,
        *,
        prompts: Prompts | None = None,
        undo_stack: QUndoStack | None = None,
        report: Callable[[str], None] | None = None,  # how an undo refused later is told
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self._undo_stack = undo_stack
        self._report = report
        self._names = list(names) if name in names else [name]
        self._prompts = prompts or Prompts()
        self._name = name
        self.setObjectName(self.OBJECT_NAME)
        self.licensing = LicensingTab(self.KIND, machine_name_taken_by=self._taken_by)
        self.licensing.changed.connect(self._update_buttons)
        self._build()
        self.resize(900, 600)
        self.load(name)

    # --- what each dialog says ----------------------------------------------------------------

    def _read(self, name: str) -> HolderSettings:
        raise NotImplementedError

    def _other_tabs(self) -> list[tuple[QWidget, str]]:
        return []

    def _taken_by(self, machine_name: str) -> str | None:
        return None

    def _pending(self) -> HolderSettings:
        """The settings OK/Apply would save: the Licensing tab's, and the other tabs'."""
        return self.licensing.settings()

    # --- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName(f"{self.OBJECT_NAME}Tabs")
        self.tabs.setAccessibleName(f"{self.TITLE} pages")
        for widget, title in self._other_tabs():
            self.tabs.addTab(widget, title)
        self.tabs.addTab(self.licensing, "Licensing")
        self.tabs.setCurrentWidget(self.licensing)

        self.refusal_label = refusal_label()
        noun = "station" if self.KIND is HolderKind.STATION else "user"
        self.previous_button = navigation_button(
            "<<", f"previous{noun.title()}Button", f"Previous {noun}"
        )
        self.next_button = navigation_button(">>", f"next{noun.title()}Button", f"Next {noun}")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(+1))
        self.confirm_auto_save = confirm_auto_save_box(
            f"Checked: ask before saving when you move to another {noun}.\n"
            f"Cleared: changes are saved when you move to another {noun}."
        )
        box, self.ok_button, self.cancel_button, self.apply_button = ok_cancel_apply(
            "configurationButtons", self.ok, self.cancel, self.apply
        )

        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        bottom.addWidget(self.confirm_auto_save)
        bottom.addStretch(1)
        bottom.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.refusal_label)
        layout.addLayout(bottom)

    # --- loading and saving -----------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    def load(self, name: str) -> None:
        """Show `name` as stored, forgetting pending edits."""
        settings = self._read(name)
        self._stored = settings
        self._name = settings.name
        title = f"{self.TITLE} - {settings.name}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.licensing.load(settings, self.api.key_counts())
        position = self._names.index(name) if name in self._names else -1
        self.previous_button.setEnabled(position > 0)
        self.next_button.setEnabled(0 <= position < len(self._names) - 1)
        self._show_refusal(None)
        self._update_buttons()

    @property
    def is_dirty(self) -> bool:
        return self.licensing.is_dirty

    def _update_buttons(self) -> None:
        self.apply_button.setEnabled(self.is_dirty)

    def _show_refusal(self, text: str | None) -> None:
        self.refusal_label.setText(text or "")
        self.refusal_label.setVisible(bool(text))

    def apply(self) -> bool:
        """Save the pending settings; False (and the refusal shown) when refused."""
        if not self.is_dirty:
            return True
        before, after = self._stored, self._pending()
        try:
            notes = type(self).SAVE(self.api, after)
        except ServiceError as error:
            self._show_refusal(refusal_text(error))
            return False
        if self._undo_stack is not None and self._report is not None:
            self._undo_stack.push(
                HolderSettingsCommand(
                    self.TITLE, self.api, type(self).SAVE, before, after, self._report
                )
            )
        name = self._name
        self.load(name)
        self.committed.emit(name)
        for note in notes:
            # Saved, but the administrator must know at once (R9 is a message in IA too).
            self._prompts.error(self, self.windowTitle(), f"{note.message} ({note.rule})")
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
            subject=self._name,
        )

    def go(self, step: int) -> None:
        """<< and >>: the previous or next holder in the container's order."""
        target = neighbour(self._names, self._name, step)
        if target is not None and self._leave_allowed(closing=False):
            self.load(target)

    def reject(self) -> None:
        """Escape or the window's close button."""
        if self._leave_allowed(closing=True):
            super().reject()
