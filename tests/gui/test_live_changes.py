"""Changes made by another process while the console is open: a logon through the command
line (another process, as the IC server's would be) moves Licenses Allocation's Concurrent
In Use, and the open Stations container reads and repaints nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.rules import Pool
from ia_licensing.services import stations, users
from ia_licensing.views.stations_view import StationsView
from tests.helpers.database import add_stations

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
CLIENT = catalog.CLIENT_ACCESS


def click_container(qtbot: QtBot, window: MainWindow, container: Container) -> None:
    tree = window.tree
    item: QTreeWidgetItem = window._items[container]
    tree.scrollToItem(item)
    where = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert window.current_container is container


def in_use(window: MainWindow) -> str:
    model = window.licenses_allocation.model
    return str(model.index(model.row_of(CLIENT), model.CONCURRENT_IN_USE).data())


def test_a_logon_in_another_process_moves_in_use_and_leaves_stations_untouched(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    stations.add_station(window.db, "desk", keys=frozenset({catalog.BASIC_STATION}))
    add_stations(window.db, "other1", "other2")
    users.add_user(window.db, "carol", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    window.refresh()
    assert in_use(window) == "0"
    click_container(qtbot, window, Container.STATIONS)
    view = window.page(Container.STATIONS)
    assert isinstance(view, StationsView)
    qtbot.waitUntil(lambda: view.feed.complete)
    before = view.model.rows
    with (
        qtbot.assertNotEmitted(view.model.modelReset),
        qtbot.assertNotEmitted(view.model.dataChanged),
        qtbot.assertNotEmitted(view.model.rowsInserted),
        qtbot.assertNotEmitted(view.model.layoutChanged),
        qtbot.waitSignal(window.change_watcher.changed, timeout=10_000),
    ):
        command = ["logon", "carol", "--station", "desk"]
        cli = [sys.executable, "-m", "ia_licensing.cli", "--db", str(db_path)]
        subprocess.run([*cli, *command], check=True, capture_output=True)
    assert all(a is b for a, b in zip(view.model.rows, before, strict=True))  # not even read
    click_container(qtbot, window, Container.LICENSES_ALLOCATION)
    assert in_use(window) == "1"
