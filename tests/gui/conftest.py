"""GUI fixtures: settings in a temporary folder, scripted prompts and picker, a main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import allocation, licensing, users
from tests.helpers.database import ENTITLEMENTS
from tests.helpers.fakes import LicensePrompts, ScriptedChooser, ScriptedPrompts
from tests.helpers.license_files import PUBLIC, TRUST, license_for, signed


@pytest.fixture(autouse=True)
def application(qapp: QApplication) -> QApplication:
    """Every test here needs the QApplication, even one that only builds a table model (its
    icons come from the application's style) or a PDF report; asking for it here also marks
    each of them `gui` (tests/conftest.py)."""
    return qapp


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
    licensing.load_license(db, license_for(ENTITLEMENTS), TRUST)  # records the test key
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
