"""The Users container (People ▸ Users): every user with their licenses; Insert asks for
a name and method, then opens User Configuration; Delete removes (R15); double-click or
Enter opens User Configuration."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ia_licensing.dialogs.user_configuration import AddUserDialog, UserConfigurationDialog
from ia_licensing.rules import HolderKind
from ia_licensing.services import users
from ia_licensing.views.holder_view import Console, HolderContainerView
from ia_licensing.views.users_table_model import UsersTableModel


class UsersView(HolderContainerView):
    KIND = HolderKind.USER
    TITLE = "Users"
    NOUN = "user"

    def __init__(self, console: Console, parent: QWidget | None = None) -> None:
        super().__init__(console, UsersTableModel(console.db, defer=True), parent)
        self.configuration_dialog: UserConfigurationDialog | None = None
        self.add_dialog: AddUserDialog | None = None

    def open_configuration(self, name: str) -> None:
        names = self.names_in_view()
        dialog = UserConfigurationDialog(
            self.db,
            names if name in names else [name],
            name,
            prompts=self.console.prompts,
            undo_stack=self.console.undo_stack,
            report=self.console.report,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.committed.connect(lambda _name: self.changed())
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.configuration_dialog = dialog
        dialog.open()

    def _closed(self, dialog: UserConfigurationDialog) -> None:
        if self.configuration_dialog is dialog:
            self.configuration_dialog = None
            self.select_name(dialog.name)

    def insert(self) -> None:
        """Insert: a user name and method, then User Configuration (User Licensing)."""
        dialog = AddUserDialog(self.db, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.add_dialog = dialog
        dialog.open()

    def _added(self, name: str) -> None:
        self.add_dialog = None
        self.changed()
        self.select_name(name)
        self.open_configuration(name)

    def delete_holder(self, name: str) -> None:
        users.delete_user(self.db, name)
