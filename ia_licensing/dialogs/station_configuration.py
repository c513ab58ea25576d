"""Station Configuration - <name>: the station's settings and its Licensing tab.

The Configuration tab shows what the station is (type, connection type, remote number) and
whether it is enabled, which decides whether its licenses count (R3); the Licensing tab has
the spec's fields. Saving an enabled station without Basic Station shows the R9 message
and saves.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from ia_licensing.console_api import ConsoleApi, HolderSettings
from ia_licensing.dialogs.holder_configuration import HolderConfigurationDialog
from ia_licensing.dialogs.licensing_tab import refusal_tip
from ia_licensing.rules import HolderKind

CONNECTION_TYPES = {"line": "Line", "sip": "SIP"}


class StationConfigurationDialog(HolderConfigurationDialog):
    TITLE = "Station Configuration"
    OBJECT_NAME = "stationConfigurationDialog"
    KIND = HolderKind.STATION
    SAVE = staticmethod(ConsoleApi.save_station)

    def _other_tabs(self) -> list[tuple[QWidget, str]]:
        page = QWidget()
        page.setObjectName("configurationTab")
        page.setAccessibleName("Configuration")
        form = QFormLayout(page)
        self.type_label = self._value("stationTypeLabel", "Station type")
        self.connection_label = self._value("connectionTypeLabel", "Connection type")
        self.remote_number_label = self._value("remoteNumberLabel", "Remote number")
        self.enabled_check = QCheckBox("Enabled")
        self.enabled_check.setObjectName("stationEnabledCheckBox")
        self.enabled_check.setAccessibleName("Enabled")
        self.enabled_check.toggled.connect(self._enabled_toggled)
        form.addRow("Station type:", self.type_label)
        form.addRow("Connection type:", self.connection_label)
        form.addRow("Remote number:", self.remote_number_label)
        form.addRow("", self.enabled_check)
        return [(page, "Configuration")]

    def _value(self, object_name: str, accessible: str) -> QLabel:
        label = QLabel()
        label.setObjectName(object_name)
        label.setAccessibleName(accessible)
        return label

    def _read(self, name: str) -> HolderSettings:
        info = self.api.get_station(name)
        self._saved_enabled = info.enabled
        self.type_label.setText(info.station_type.label)
        self.connection_label.setText(CONNECTION_TYPES.get(info.connection_type, "Line"))
        self.remote_number_label.setText(info.remote_number or "—")
        self.enabled_check.blockSignals(True)
        self.enabled_check.setChecked(info.enabled)
        self.enabled_check.blockSignals(False)
        return HolderSettings(
            info.name,
            frozenset(info.keys),
            info.licenses_enabled,
            info.enabled,
            machine_name=info.licensed_machine_name,
            acd_types=frozenset(info.acd_types),
        )

    def load(self, name: str) -> None:
        super().load(name)
        self._update_enabled()

    def _enabled_toggled(self, enabled: bool) -> None:
        self.licensing.set_holder_enabled(enabled)
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "_saved_enabled"):
            self._update_enabled()

    def _update_enabled(self) -> None:
        """Enabling a station makes its licenses count again: checked like new allocations."""
        target = replace(self.licensing.settings(), enabled=True)
        refusal = self.licensing.start_counting_refusal(target)
        checked = self.enabled_check.isChecked()
        self.enabled_check.setEnabled(checked or refusal is None)
        self.enabled_check.setToolTip(refusal_tip(refusal) if refusal and not checked else "")

    @property
    def is_dirty(self) -> bool:
        enabled_changed = self.enabled_check.isChecked() != getattr(self, "_saved_enabled", True)
        return self.licensing.is_dirty or enabled_changed

    def _taken_by(self, machine_name: str) -> str | None:
        return self.api.machine_name_taken_by(machine_name, self.name)
