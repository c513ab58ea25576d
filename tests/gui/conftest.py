"""GUI fixtures: settings in a temporary folder, scripted prompts and picker, a main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.dialogs.holder_picker import PickerRequest
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import allocation, demo, licensing, setup, users
from ia_licensing.services import license_configuration as lc
from ia_licensing.widgets.prompts import Prompts, SaveAnswer
from tests.conftest import ENTITLEMENTS
from tests.test_license_loading import PUBLIC, signed


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """No test reads or writes the real user settings, even through a default QSettings."""
    folder = tmp_path / "settings"
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    yield folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)


class ScriptedPrompts(Prompts):
    """Answers the console's questions from a script and records what was asked."""

    def __init__(self) -> None:
        self.answers: list[SaveAnswer] = []
        self.confirm_answers: list[bool] = []
        self.confirmed: list[str] = []
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.informed: list[str] = []

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.confirmed.append(text)
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def ask_save(self, parent: QWidget | None, title: str, text: str) -> SaveAnswer:
        self.asked.append(text)
        # Unscripted (e.g. pytest-qt closing a dialog left with pending edits): discard.
        # Never raise here: an exception in a Qt virtual such as reject() crashes PySide.
        return self.answers.pop(0) if self.answers else SaveAnswer.DISCARD

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(text)

    def information(self, parent: QWidget | None, title: str, text: str) -> None:
        self.informed.append(text)

    def about(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(title)


class LicensePrompts(ScriptedPrompts):
    """The scripted prompts, and the console's file chooser: it hands out `files` in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        return self.files.pop(0) if self.files else None

    save_file = open_file


class ScriptedChooser:
    """Stands in for the Add… picker: picks the named holders the picker would offer."""

    def __init__(self) -> None:
        self.next: list[str] = []
        self.requests: list[PickerRequest] = []

    def __call__(self, parent: QWidget, request: PickerRequest) -> list[lc.Eligible]:
        self.requests.append(request)
        offered = request.api.eligible(
            request.key,
            request.kind,
            request.pool,
            pending=request.pending,
            pending_configured=request.pending_configured,
        )
        wanted = {n.casefold() for n in self.next}
        self.next = []
        # Like the real picker: a greyed-out (refused) holder cannot be chosen.
        return [e for e in offered if e.name.casefold() in wanted and e.refusal is None]


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def chooser() -> ScriptedChooser:
    return ScriptedChooser()


@pytest.fixture
def licensed_db(db: Database) -> Database:
    """The test database with ENTITLEMENTS as a signed license file in force, so that the
    console's start-up re-verification (which rewrites seeded entitlements) keeps them."""
    server = setup.server(db)
    data = demo.demo_license(server.host_id, server.machine_name, 1, ENTITLEMENTS)
    licensing.load_license(db, data, TrustStore.default())
    return db


@pytest.fixture
def window(
    qtbot: QtBot,
    licensed_db: Database,
    db_path: Path,
    settings: QSettings,
    prompts: ScriptedPrompts,
    chooser: ScriptedChooser,
) -> Iterator[MainWindow]:
    """The console on the test database (ENTITLEMENTS in force)."""
    main = create_main_window(
        str(db_path), settings=settings, prompts=prompts, choose_holders=chooser
    )
    assert isinstance(main, MainWindow)
    qtbot.addWidget(main)
    qtbot.waitExposed(main)
    yield main
    main.close()
    main.db.close()


# --- a console that trusts only the test signing key (License Management, Load License) ---


@pytest.fixture
def license_prompts() -> LicensePrompts:
    return LicensePrompts()


@pytest.fixture
def loaded_db(db: Database) -> Database:
    """Serial 10 (Basic Station 5:0, Client Access 3:2, an arbitrary key) in force, signed
    with the test key; u1 and u2 hold Client Access."""
    licensing.load_license(db, signed(), TrustStore.from_public_key_files(PUBLIC))
    users.add_user(db, "u1")
    users.add_user(db, "u2")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["u1", "u2"])
    return db


@pytest.fixture
def console(
    qtbot: QtBot,
    loaded_db: Database,
    db_path: Path,
    settings: QSettings,
    license_prompts: LicensePrompts,
) -> Iterator[MainWindow]:
    window = create_main_window(
        str(db_path),
        settings=settings,
        prompts=license_prompts,
        trust=TrustStore.from_public_key_files(PUBLIC),
        file_chooser=license_prompts,
    )
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.db.close()


def status_notes(window: MainWindow) -> str:
    """The status bar's note count once every count requested so far has arrived (they
    are counted off the GUI thread: views/notes_counter.py)."""
    window.notes_counter.wait()
    QCoreApplication.processEvents()  # delivers the queued result
    return window.notes_label.text()
