"""The seam between a container and the console: the Stations model is fed from a fake
ConsoleApi, and reads only what the change feed names (a logon elsewhere names nothing)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ia_licensing.console_api import Changes, StationRow, StationType
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.views.stations_table_model import StationsTableModel
from tests.helpers.fakes import FakeConsoleApi


def station(name: str, *, basic: bool = False) -> StationRow:
    return StationRow(name, StationType.WORKSTATION, "", True, True, basic, False, "", "", (), "")


def feed_of(api: FakeConsoleApi) -> RowFeed[StationRow]:
    return RowFeed(
        api,  # type: ignore[arg-type]  # the fake has what the feed uses
        StationsTableModel(),
        lambda a, names: a.station_rows(names),
        lambda changes: changes.stations,
    )


def logon(newest: int) -> Changes:
    return Changes(newest, frozenset(), frozenset(), False, True, True, False)


def test_nothing_is_read_until_the_container_is_shown(qapp: object) -> None:
    api = FakeConsoleApi(stations={"s1": station("s1")})
    feed = feed_of(api)
    feed.refresh()
    assert api.reads == [] and feed.model.rowCount() == 0
    feed.ensure_loaded()
    feed.ensure_loaded()
    assert api.reads == [None] and feed.model.names() == ["s1"]


def test_a_logon_elsewhere_reads_no_station(qtbot: QtBot, qapp: object) -> None:
    api = FakeConsoleApi(stations={"s1": station("s1"), "s2": station("s2")})
    feed = feed_of(api)
    feed.ensure_loaded()
    api.pending.append(logon(7))
    with (
        qtbot.assertNotEmitted(feed.model.modelReset),
        qtbot.assertNotEmitted(feed.model.dataChanged),
    ):
        feed.refresh()
    assert api.reads == [None]  # the first read only


def test_an_edit_reads_only_the_station_it_names(qtbot: QtBot, qapp: object) -> None:
    api = FakeConsoleApi(stations={"s1": station("s1"), "s2": station("s2")})
    feed = feed_of(api)
    feed.ensure_loaded()
    api.stations["s2"] = station("s2", basic=True)
    api.pending.append(Changes(3, frozenset({"s2"}), frozenset(), False, True, False, False))
    with qtbot.waitSignal(feed.model.dataChanged), qtbot.assertNotEmitted(feed.model.modelReset):
        feed.refresh()
    assert api.reads == [None, frozenset({"s2"})]
    assert feed.model.row_at(feed.model.row_of("s2")).basic_station


def test_a_change_it_cannot_place_reads_everything(qapp: object) -> None:
    api = FakeConsoleApi(stations={"s1": station("s1")})
    feed = feed_of(api)
    feed.ensure_loaded()
    api.stations["s0"] = station("s0")
    api.pending.append(Changes.everything(9))
    feed.refresh()
    assert api.reads == [None, None] and feed.model.names() == ["s0", "s1"]
