"""Layout: nothing truncated at the default size or at 800 × 600, every container says
what it would list when empty, and a refusal line does not move the list above it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow
from ia_licensing.console_api import StationType
from ia_licensing.containers import Container
from ia_licensing.dialogs.license_management import open_license_management
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.models import Database
from tests.helpers.console import api_of
from tests.helpers.database import add_stations
from tests.helpers.fakes import ScriptedPrompts
from tests.helpers.gui import click

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def headers_fit(table: QTableView) -> list[str]:
    """The header texts wider than their section."""
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    cut = []
    for column in range(header.count()):
        text = str(table.model().headerData(column, header.orientation()) or "")
        widest = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
        if widest + 8 > header.sectionSize(column) and not header.isSectionHidden(column):
            cut.append(text)
    return cut


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_the_empty_sessions_header_and_the_status_bar_fit(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.show_container(Container.SESSIONS)
    page = window.page(Container.SESSIONS)
    qtbot.waitExposed(page)
    table = page.table  # type: ignore[attr-defined]
    assert table.model().rowCount() == 0
    assert headers_fit(table) == []
    for label in (window.license_label, window.server_label, window.notes_label):
        qtbot.waitUntil(lambda label=label: label.width() >= label.sizeHint().width())


# Usage is a chart over a key picker, not a list: it has no empty list to explain.
@pytest.mark.parametrize("container", [c for c in Container if c is not Container.USAGE])
def test_every_container_says_what_it_would_list_when_empty(
    qtbot: QtBot, window: MainWindow, container: Container
) -> None:
    window.show_container(container)
    page = window.page(container)
    qtbot.waitExposed(page)
    state = page.empty_state  # type: ignore[attr-defined]
    if page.table.model().rowCount():  # type: ignore[attr-defined]
        page.filter_edit.setText("no such name at all")  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: page.table.model().rowCount() == 0)  # type: ignore[attr-defined]
        qtbot.waitUntil(state.label.isVisible)
        if container not in (Container.AUDIT,):
            assert state.label.text() == "No item matches the filter."
    else:
        assert state.label.isVisible()
        assert state.label.text().endswith(".") and len(state.label.text()) > 10


def test_workgroups_look_like_the_other_containers(qtbot: QtBot, window: MainWindow) -> None:
    window.show_container(Container.WORKGROUPS)
    page = window.page(Container.WORKGROUPS)
    qtbot.waitExposed(page)
    stations = window.page(Container.STATIONS)
    assert page.table.styleSheet() == stations.table.styleSheet()  # type: ignore[attr-defined]
    assert page.count_label.isVisibleTo(page)  # type: ignore[attr-defined]


def test_license_management_shows_keys_and_names_whole(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_license_management(window)
    qtbot.waitExposed(dialog)
    table = dialog.licenses_table
    metrics = table.fontMetrics()
    for column in (0, 1):
        widest = max(
            metrics.horizontalAdvance(str(table.model().index(r, column).data()))
            for r in range(table.model().rowCount())
        )
        assert table.columnWidth(column) >= widest, column
    assert headers_fit(table) == []
    dialog.accept()


def test_the_additional_licenses_list_does_not_jump_when_a_refusal_appears(
    qtbot: QtBot, db: Database
) -> None:
    add_stations(db, "s1")
    dialog = StationConfigurationDialog(api_of(db), ["s1"], "s1", prompts=ScriptedPrompts())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.licensing
    listed = tab.additional_list

    def where() -> tuple[QPoint, int]:
        return listed.mapTo(dialog, QPoint(0, 0)), listed.height()

    before = where()
    click(qtbot, tab.machine_name_check)
    tab.machine_name_edit.setText("  ")
    qtbot.waitUntil(tab.machine_name_problem.isVisible)
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(dialog.refusal_label.isVisible)
    assert isinstance(dialog.refusal_label, QLabel)
    assert where() == before


def test_a_new_station_s_long_name_with_an_icon_is_shown_whole(
    qtbot: QtBot, window: MainWindow, licensed_db: Database
) -> None:
    add_stations(licensed_db, "s1")
    window.refresh()
    window.show_container(Container.STATIONS)
    page = window.page(Container.STATIONS)
    qtbot.waitExposed(page)
    long_name = "reception-desk-second-floor-east-wing-07"
    window.api.add_station(
        long_name, StationType.WORKSTATION
    )  # no Basic Station: its note's icon is by its name
    window.refresh()
    table = page.table  # type: ignore[attr-defined]
    # The rows after the first page arrive from a worker: wait for the new one.
    qtbot.waitUntil(lambda: page.index_of(long_name).isValid())  # type: ignore[attr-defined]
    index = page.index_of(long_name)  # type: ignore[attr-defined]
    assert index.isValid() and index.data(Qt.ItemDataRole.DecorationRole) is not None
    text = table.fontMetrics().horizontalAdvance(long_name)
    assert table.columnWidth(0) >= text + 16 + 8
