"""The Stations container: every station with its licenses; Insert opens the Add Station
wizard, Delete removes (R15), double-click or Enter opens Station Configuration."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ia_licensing.console_api import ConsoleApi
from ia_licensing.dialogs.add_station_wizard import AddStationWizard
from ia_licensing.dialogs.station_configuration import StationConfigurationDialog
from ia_licensing.rules import HolderKind
from ia_licensing.views.holder_view import HolderContainerView
from ia_licensing.views.stations_table_model import stations_feed
from ia_licensing.widgets.host import ConsoleHost


class StationsView(HolderContainerView):
    EMPTY = "There are no stations. Press Insert to add one (the Add Station wizard)."
    KIND = HolderKind.STATION
    TITLE = "Stations"
    NOUN = "station"
    CONFIGURATION = StationConfigurationDialog
    DELETE = staticmethod(ConsoleApi.delete_stations)

    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        super().__init__(console, stations_feed(console.api), parent)
        self.wizard: AddStationWizard | None = None

    def insert(self) -> None:
        """Insert: the Add Station wizard (name, type, template → configuration → Licensing)."""
        wizard = AddStationWizard(self.api, prompts=self.console.prompts, parent=self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.added.connect(self._added)
        self.wizard = wizard
        wizard.open()

    def _added(self, name: str) -> None:
        self.wizard = None
        self.changed()
        self.select_name(name)
