"""The Stations container's rows: one per station, with its licenses at a glance."""

from __future__ import annotations

from typing import ClassVar

from ia_licensing.console_api import ConsoleApi, StationRow
from ia_licensing.views.holder_table_model import HolderTableModel
from ia_licensing.views.row_feed import RowFeed
from ia_licensing.widgets.ordering import natural, yes_no
from ia_licensing.widgets.table_model import Column


class StationsTableModel(HolderTableModel[StationRow]):
    NAME = 0
    TYPE = 1
    LICENSED_MACHINE_NAME = 2
    ENABLED = 3
    BASIC_STATION = 4
    CLIENT_ACCESS = 5
    ACD_LEVEL = 6
    ADDITIONAL_LICENSES = 7

    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda r: r.name, lambda r: natural(r.name)),
        Column("Type", lambda r: r.station_type.label, lambda r: r.station_type.label),
        Column(
            "Licensed Machine Name",
            lambda r: r.licensed_machine_name,
            lambda r: r.licensed_machine_name.casefold(),
        ),
        Column("Enabled", lambda r: yes_no(r.enabled), lambda r: r.enabled),
        Column("Basic Station", lambda r: yes_no(r.basic_station), lambda r: r.basic_station),
        Column("Client Access", lambda r: yes_no(r.client_access), lambda r: r.client_access),
        Column("ACD Level", lambda r: r.acd_level, lambda r: r.acd_level),
        Column("Additional Licenses", lambda r: r.additional, lambda r: r.additional.casefold()),
    )


def stations_feed(api: ConsoleApi) -> RowFeed[StationRow]:
    """The Stations model fed from the console; only the stations a change names are read."""
    return RowFeed(
        api,
        StationsTableModel(),
        ConsoleApi.station_rows,
        lambda c: c.stations,
        first=lambda a, count: a.station_rows(a.station_names(limit=count)),
    )
