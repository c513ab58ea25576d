"""Issue 16, defect 4 in the console: counters that disagree with the allocation rows are
rewritten at start, said in the status bar and recorded in the audit trail (R30)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from ia_licensing import catalog
from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.models import Database, KeyUsage
from ia_licensing.services import allocation, audit, users
from tests.helpers.fakes import ScriptedPrompts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_tampered_counters_are_rewritten_at_start_with_a_message(
    qtbot: QtBot, licensed_db: Database, db_path: Path, settings: QSettings
) -> None:
    users.add_user(licensed_db, "u1")
    allocation.allocate(licensed_db, catalog.CLIENT_ACCESS, users=["u1"])
    with licensed_db.write() as session:
        session.execute(
            update(KeyUsage)
            .where(KeyUsage.key == catalog.CLIENT_ACCESS)
            .values(assignable_configured=0)
        )
    window = create_main_window(str(db_path), settings=settings, prompts=ScriptedPrompts())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    message = window.statusBar().currentMessage()
    assert "The counters of Client Access were assignable 0" in message
    assert "rewritten from the allocation rows" in message
    assert [e.action for e in audit.recent(licensed_db, 1)] == ["recount"]
    row = next(r for r in allocation.allocations(licensed_db) if r.key == catalog.CLIENT_ACCESS)
    assert row.assignable_configured == 1
    window.close()
    window.db.close()
