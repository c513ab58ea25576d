"""The Users container (People ▸ Users): every user with their licenses; Insert asks for
a name and method, then opens User Configuration; Delete removes (R15); double-click or
Enter opens User Configuration."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ia_licensing.console_api import ConsoleApi
from ia_licensing.dialogs.user_configuration import AddUserDialog, UserConfigurationDialog
from ia_licensing.rules import HolderKind
from ia_licensing.views.holder_view import HolderContainerView
from ia_licensing.views.users_table_model import users_feed
from ia_licensing.widgets.host import ConsoleHost


class UsersView(HolderContainerView):
    EMPTY = "There are no users. Press Insert to add one."
    KIND = HolderKind.USER
    TITLE = "Users"
    NOUN = "user"
    CONFIGURATION = UserConfigurationDialog
    DELETE = staticmethod(ConsoleApi.delete_users)

    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        super().__init__(console, users_feed(console.api), parent)
        self.add_dialog: AddUserDialog | None = None

    def insert(self) -> None:
        """Insert: a user name and method, then User Configuration (User Licensing)."""
        dialog = AddUserDialog(self.api, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.add_dialog = dialog
        dialog.open()

    def _added(self, name: str) -> None:
        self.add_dialog = None
        self.changed()
        self.select_name(name)
        self.open_configuration(name)
