"""A container opens on its first page and reads the rest on a worker thread: sorting and
filtering done while the rows arrive hold for the whole set once it has arrived, and a
change made meanwhile is read after it."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing.console_api import Changes, StationRow, StationType
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.views.stations_table_model import StationsTableModel
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from tests.helpers.fakes import FakeConsoleApi


def station(name: str, machine: str = "") -> StationRow:
    return StationRow(
        name, StationType.WORKSTATION, machine, True, True, True, False, "", "", (), ""
    )


class SlowApi(FakeConsoleApi):
    """Reading every row waits until the test lets it finish: rows arrive when it says."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(stations={n: station(n, machine=f"pc-{n[::-1]}") for n in names})
        self.release = threading.Event()

    def station_rows(self, names: Iterable[str] | None = None) -> list[object]:
        if names is None:
            assert self.release.wait(10), "the test never let the rows arrive"
        return super().station_rows(names)


def feed_of(api: SlowApi) -> tuple[RowFeed[StationRow], SortFilterProxy]:
    feed = RowFeed(
        api,  # type: ignore[arg-type]  # the fake has what the feed uses
        StationsTableModel(),
        lambda a, names: a.station_rows(names),
        lambda changes: changes.stations,
        first=lambda a, count: a.station_rows(sorted(a.stations)[:count]),
    )
    proxy = SortFilterProxy()
    proxy.setSourceModel(feed.model)
    return feed, proxy


def names(proxy: SortFilterProxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


ALL = [f"s{i}" for i in range(1, 251)]


def test_the_first_page_is_shown_at_once_and_the_rest_arrives(qtbot: QtBot) -> None:
    api = SlowApi(ALL)
    feed, proxy = feed_of(api)
    feed.load_in_background()
    assert proxy.rowCount() == 100 and not feed.complete  # the first page, before the rest
    api.release.set()
    qtbot.waitUntil(lambda: feed.complete)
    assert names(proxy)[:4] == ["s1", "s2", "s3", "s4"] and proxy.rowCount() == 250


def test_a_sort_made_while_rows_arrive_holds_for_every_row(qtbot: QtBot) -> None:
    api = SlowApi(ALL)
    feed, proxy = feed_of(api)
    feed.load_in_background()
    proxy.sort(StationsTableModel.LICENSED_MACHINE_NAME, Qt.SortOrder.DescendingOrder)
    api.release.set()  # the worker ordered them by name, before the sort changed
    qtbot.waitUntil(lambda: feed.complete)
    machines = [feed.model.row_at(r).licensed_machine_name for r in range(250)]
    assert machines == sorted(machines, reverse=True)


def test_a_sort_made_before_rows_arrive_is_worked_out_off_the_gui_thread(qtbot: QtBot) -> None:
    api = SlowApi(ALL)
    feed, proxy = feed_of(api)
    proxy.sort(StationsTableModel.NAME, Qt.SortOrder.DescendingOrder)
    feed.load_in_background()
    api.release.set()
    qtbot.waitUntil(lambda: feed.complete)
    assert names(proxy)[:3] == ["s250", "s249", "s248"]


def test_a_filter_typed_while_rows_arrive_holds_for_every_row(qtbot: QtBot) -> None:
    api = SlowApi(ALL)
    feed, proxy = feed_of(api)
    feed.load_in_background()
    proxy.set_filter_text("0")
    first_page = names(proxy)
    assert first_page and all("0" in n for n in first_page) and "s20" not in first_page
    api.release.set()
    qtbot.waitUntil(lambda: feed.complete)
    assert sorted(names(proxy)) == sorted(n for n in ALL if "0" in n)


def test_a_change_made_while_rows_arrive_is_read_after_them(qtbot: QtBot) -> None:
    api = SlowApi(ALL)
    feed, _proxy = feed_of(api)
    feed.load_in_background()
    feed.refresh()  # the watcher's poll meanwhile: nothing is read from a first page
    api.stations["s7"] = station("s7", machine="moved")
    api.pending.append(Changes(5, frozenset({"s7"}), frozenset(), False, True, False, False))
    api.release.set()
    qtbot.waitUntil(lambda: feed.complete)
    assert feed.model.row_at(feed.model.row_of("s7")).licensed_machine_name == "moved"
    assert api.reads[-1] == frozenset({"s7"})  # read once the rest had arrived


def test_what_needs_every_row_now_reads_them_now(qtbot: QtBot) -> None:
    """<< and >> in a Configuration dialog need the whole order: no waiting on a worker."""
    api = SlowApi(ALL)
    feed, _proxy = feed_of(api)
    feed.load_in_background()
    api.release.set()
    feed.ensure_loaded()
    assert feed.complete and feed.model.rowCount() == 250
