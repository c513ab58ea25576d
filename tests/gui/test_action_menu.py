"""The Action menu and the toolbar mirror the container's context menu, as in MMC."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow
from ia_licensing.containers import Container
from ia_licensing.dialogs.holder_configuration import HolderConfigurationDialog
from ia_licensing.models import Database
from ia_licensing.views.stations_view import StationsView
from tests.helpers.database import add_stations
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import choose_from_menu

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def stations(qtbot: QtBot, window: MainWindow, db: Database, *names: str) -> StationsView:
    add_stations(db, *names)
    window.refresh()
    window.show_container(Container.STATIONS)
    page = window.page(Container.STATIONS)
    assert isinstance(page, StationsView)
    qtbot.waitExposed(page)
    return page


def test_the_action_menu_sits_between_edit_and_view(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Action", "&View", "&Help"]


def test_action_properties_opens_the_selected_station(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    page = stations(qtbot, window, licensed_db, "s1", "s2")
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(page.index_of("s2")).center(),
    )
    actions = window.container_actions
    assert actions.properties.isEnabled() and actions.delete.isEnabled()
    choose_from_menu(qtbot, window, actions.properties)
    qtbot.waitUntil(lambda: page.configuration_dialog is not None)
    dialog = page.configuration_dialog
    assert isinstance(dialog, HolderConfigurationDialog)
    assert "s2" in dialog.windowTitle()
    dialog.reject()


def test_the_action_menu_offers_the_context_menus_extras(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    stations(qtbot, window, licensed_db, "s1")
    bar = window.menuBar()
    where = bar.actionGeometry(window.action_menu.menuAction()).center()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(window.action_menu.isVisible)
    texts = [a.text() for a in window.action_menu.actions() if not a.isSeparator()]
    assert texts == [
        "&New...",
        "P&roperties...",
        "&Delete",
        "&Allocate license...",
        "&Remove license...",
        "Re&fresh",
        "E&xport Report...",
    ]
    window.action_menu.close()


def test_toolbar_delete_deletes_the_selected_station(
    qtbot: QtBot, window: MainWindow, licensed_db: Database, prompts: ScriptedPrompts
) -> None:
    page = stations(qtbot, window, licensed_db, "s1", "s2")
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(page.index_of("s1")).center(),
    )
    prompts.confirm_answers = [True]
    button = window.toolbar.widgetForAction(window.container_actions.delete)
    assert isinstance(button, QToolButton) and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [r.name for r in page.rows_in_view()] == ["s2"])
    assert prompts.confirmed


def test_nothing_to_open_or_delete_in_the_audit(qtbot: QtBot, window: MainWindow) -> None:
    window.show_container(Container.AUDIT)
    actions = window.container_actions
    assert not actions.new.isEnabled()
    assert not actions.properties.isEnabled()
    assert not actions.delete.isEnabled()
    assert actions.refresh.isEnabled() and actions.export.isEnabled()
