"""Allocate license… and Remove license… from the Stations and Users context menus:
all-or-nothing, a progress dialog on large selections, one step on Edit ▸ Undo."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ia_licensing import catalog
from ia_licensing.app import MainWindow
from ia_licensing.console_api import ConsoleApi
from ia_licensing.containers import Container
from ia_licensing.dialogs.bulk_allocation import BulkAllocationDialog
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind
from ia_licensing.services import allocation, licensing, stations, users
from ia_licensing.views.stations_view import StationsView
from ia_licensing.views.users_view import UsersView
from tests.helpers.console import api_of
from tests.helpers.database import ENTITLEMENTS, add_stations, add_users, snapshot
from tests.helpers.gui import choose_from_context_menu

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS


def view_of(window: MainWindow, container: Container) -> StationsView | UsersView:
    window.show_container(container)
    view = window.page(container)
    assert isinstance(view, StationsView | UsersView)
    view.refresh()
    return view


def bulk(
    qtbot: QtBot, view: StationsView | UsersView, names: list[str], action: str
) -> BulkAllocationDialog:
    view.select_names(names)
    first = view.proxy.mapFromSource(view.model.index(view.model.row_of(names[0]), 0)).row()
    choose_from_context_menu(qtbot, view.table, first, getattr(view, action))
    dialog = view.bulk_dialog
    assert isinstance(dialog, BulkAllocationDialog)
    return dialog


def station_keys(db: Database) -> dict[str, tuple[str, ...]]:
    return {s.name: s.keys for s in stations.list_stations(db)}


def test_allocate_to_selected_stations_is_one_undoable_step(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "a", "b", "c")
    allocation.allocate(licensed_db, BASIC, stations=["a"])
    view = view_of(window, Container.STATIONS)
    dialog = bulk(qtbot, view, ["a", "b"], "allocate_action")
    assert dialog.windowTitle() == "Allocate License - 2 stations"
    dialog.select_key(BASIC)
    with qtbot.waitSignal(dialog.committed):  # the change runs on a worker thread
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert station_keys(licensed_db) == {"a": (BASIC,), "b": (BASIC,), "c": ()}
    assert view.model.index(view.model.row_of("b"), 4).data() == "Yes"
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Allocate Basic Station (1 station)"
    window.undo_stack.undo()  # only b changed, so only b loses it
    assert station_keys(licensed_db) == {"a": (BASIC,), "b": (), "c": ()}
    assert view.model.index(view.model.row_of("b"), 4).data() == "No"
    window.undo_stack.redo()
    assert station_keys(licensed_db)["b"] == (BASIC,)


def test_keys_a_rule_forbids_are_greyed_out_with_the_reason(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "a")
    dialog = bulk(qtbot, view_of(window, Container.STATIONS), ["a"], "allocate_action")
    analytics = dialog.item_for(catalog.ANALYTICS_CORE)
    assert analytics is not None and not analytics.flags() & Qt.ItemFlag.ItemIsEnabled
    assert analytics.toolTip().endswith("(R13)")
    dialer = dialog.item_for("I3_ACCESS_DIALER_ADDON")
    assert dialer is not None and dialer.toolTip().endswith("(R8)")
    client = dialog.item_for(CLIENT)
    assert client is not None and client.text() == "Client Access  (3 of 3 left)"
    dialog.reject()


def test_basic_station_is_not_offered_to_users(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann")
    dialog = bulk(qtbot, view_of(window, Container.USERS), ["ann"], "allocate_action")
    basic = dialog.item_for(BASIC)
    assert basic is not None and basic.toolTip() == (
        "Basic Station can only be allocated to stations. (R7)"
    )
    dialog.reject()


def test_a_selection_over_the_allowed_count_is_refused_as_a_whole(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "u1", "u2", "u3", "u4")
    before = snapshot(licensed_db)
    dialog = bulk(
        qtbot, view_of(window, Container.USERS), ["u1", "u2", "u3", "u4"], "allocate_action"
    )
    dialog.select_key(CLIENT)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert "(R4)" in dialog.problem.text()
    assert "4 more holders would exceed it" in dialog.problem.text()
    assert snapshot(licensed_db) == before
    assert window.undo_stack.count() == 0
    dialog.reject()


def test_remove_from_selected_users_and_undo(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_users(licensed_db, "ann", "bob", "cy")
    allocation.allocate(licensed_db, CLIENT, users=["ann", "bob"])
    view = view_of(window, Container.USERS)
    dialog = bulk(qtbot, view, ["ann", "bob", "cy"], "remove_action")
    assert dialog.windowTitle() == "Remove License - 3 users"
    assert dialog.item_for(BASIC) is None  # users never hold it
    dialog.select_key(CLIENT)
    with qtbot.waitSignal(dialog.committed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [u.keys for u in users.list_users(licensed_db)] == [(), (), ()]
    assert window.undo_stack.undoText() == "Remove Client Access (2 users)"
    window.undo_stack.undo()
    assert [u.keys for u in users.list_users(licensed_db)] == [(CLIENT,), (CLIENT,), ()]


def test_a_large_selection_shows_a_progress_dialog(qtbot: QtBot, db: Database) -> None:
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (2000, 0)}, "bigger")
    names = [f"agent{i:04}" for i in range(1200)]
    with db.write() as session:
        for name in names:
            users.add_user_in(session, name)
    dialog = BulkAllocationDialog(api_of(db), HolderKind.USER, names, allocate=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_key(CLIENT)
    with qtbot.waitSignal(dialog.committed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.progress_dialog.objectName() == "bulkProgressDialog"
    assert dialog.progress_dialog.maximum() == 1200
    row = next(r for r in allocation.allocations(db) if r.key == CLIENT)
    assert row.assignable_configured == 1200


class HeldBulk(ConsoleApi):
    """The bulk change waits after its first chunk until the dialog asks it to stop."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, TrustStore.default())
        self.first_chunk = threading.Event()

    def bulk_change(self, *args: Any, progress: Any = None, **kwargs: Any) -> list[str]:
        def held(done: int) -> bool:
            self.first_chunk.set()
            deadline = time.monotonic() + 10  # on the worker thread, never the test's
            while (going_on := progress(done)) and time.monotonic() < deadline:
                self.first_chunk.wait(0.005)
            return bool(going_on)

        return super().bulk_change(*args, progress=held, **kwargs)


def test_stop_during_a_large_bulk_allocation_changes_nothing(qtbot: QtBot, db: Database) -> None:
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (2000, 0)}, "bigger")
    names = [f"agent{i:04}" for i in range(1200)]
    with db.write() as session:
        for name in names:
            users.add_user_in(session, name)
    before = snapshot(db)
    api = HeldBulk(db)
    dialog = BulkAllocationDialog(api, HolderKind.USER, names, allocate=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_key(CLIENT)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(api.first_chunk.is_set)  # 500 allocated, not committed
    progress = dialog.progress_dialog
    assert progress is not None and progress.isVisible()
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Stop
    qtbot.waitUntil(lambda: dialog.job is None)
    assert "Stopped: nothing was changed." in dialog.problem.text()
    assert snapshot(db) == before


def test_concurrent_users_count_the_concurrent_pool(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    from ia_licensing.rules import Pool

    add_users(licensed_db, "c1", "c2", method=Pool.CONCURRENT)
    dialog = bulk(qtbot, view_of(window, Container.USERS), ["c1", "c2"], "allocate_action")
    client = dialog.item_for(CLIENT)
    assert client is not None and client.text() == "Client Access  (2 of 2 left)"
    dialog.reject()


def test_an_over_allocated_license_says_how_many_over(qtbot: QtBot, db: Database) -> None:
    from ia_licensing.rules import KeyCounts

    add_stations(db, "s1")
    dialog = BulkAllocationDialog(api_of(db), HolderKind.STATION, ["s1"], allocate=True)
    qtbot.addWidget(dialog)
    counts = KeyCounts(CLIENT, assigned=10, pooled=0, assignable_configured=12)
    assert dialog._left_words(counts) == "0 of 10 left, 2 over"
