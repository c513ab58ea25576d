"""License Configuration opens at once and reads the key's holders on a worker thread: the
lists say "Reading…" and take no edits until they have arrived; the holders of a key left
meanwhile (<< or >>) are never shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.console_api import ConsoleApi, KeyHolders
from ia_licensing.dialogs.license_configuration import LicenseConfigurationDialog
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import allocation
from tests.helpers.database import add_users

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CLIENT, MEDIA_1 = catalog.CLIENT_ACCESS, catalog.ACD_MEDIA_1


class HeldApi(ConsoleApi):
    """Reading a key's holders waits until the test lets it go on."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, TrustStore.default())
        self.go_on: dict[str, threading.Event] = {}

    def holders_of(self, key: str) -> KeyHolders:
        assert self.go_on.setdefault(key, threading.Event()).wait(10)
        return super().holders_of(key)


def test_the_dialog_shows_before_the_holders_are_read(qtbot: QtBot, db: Database) -> None:
    add_users(db, "alice")
    allocation.allocate(db, CLIENT, users=["alice"])
    api = HeldApi(db)
    dialog = LicenseConfigurationDialog(api, [CLIENT], CLIENT)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "License Configuration - Client Access"
    assert dialog.assignable_users.names() == ["Reading…"]
    assert not dialog.assignable_users.add_button.isEnabled()
    assert dialog.total_label.text() == "Total configured: reading…"
    with qtbot.waitSignal(dialog.holders_loaded):
        api.go_on.setdefault(CLIENT, threading.Event()).set()
    assert dialog.assignable_users.names() == ["alice"]
    assert dialog.assignable_users.add_button.isEnabled()
    assert dialog.total_label.text() == "Total configured: 1"


def test_the_holders_of_a_key_left_meanwhile_are_not_shown(qtbot: QtBot, db: Database) -> None:
    add_users(db, "alice")
    allocation.allocate(db, CLIENT, users=["alice"])
    api = HeldApi(db)
    dialog = LicenseConfigurationDialog(api, [CLIENT, MEDIA_1], CLIENT)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)  # before they arrive
    api.go_on.setdefault(CLIENT, threading.Event()).set()
    with qtbot.waitSignal(dialog.holders_loaded) as loaded:
        api.go_on.setdefault(MEDIA_1, threading.Event()).set()
    assert loaded.args == [MEDIA_1] and dialog.key == MEDIA_1
    assert dialog.assignable_users.names() == []
