"""The Add Station wizard, as IA's Stations container opens it on Insert.

Station (name, type, template to copy settings from) → Configuration (connection type Line
or SIP, remote number for Remote stations) → Licensing (the Licensing tab's fields). Finish
adds the station with its licenses in one transaction; a refusal is shown on the Licensing
page and nothing is written. Saving an enabled station without Basic Station shows R9.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ia_licensing import catalog
from ia_licensing.console_api import (
    ConsoleApi,
    HolderSettings,
    NotFound,
    ServiceError,
    StationInfo,
    StationType,
)
from ia_licensing.dialogs.license_configuration import refusal_text
from ia_licensing.dialogs.licensing_tab import LicensingTab
from ia_licensing.rules import HolderKind
from ia_licensing.widgets.prompts import Prompts
from ia_licensing.widgets.words import with_rule

SIP_NOT_REMOTE = (
    "A SIP device or IP phone is a local Workstation with Connection Type SIP, not a "
    "Remote station (SIP Stations)"
)


def _problem_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setAccessibleName("Problem")
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class StationPage(QWizardPage):
    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("stationPage")
        self.setAccessibleName("Station")
        self.setTitle("Station")
        self.setSubTitle("Provide a station name, station type, and station template.")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("stationNameEdit")
        self.name_edit.setAccessibleName("Station name")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("stationTypeCombo")
        self.type_combo.setAccessibleName("Station type")
        for station_type in StationType:
            self.type_combo.addItem(station_type.label, station_type)
        self.template_edit = QLineEdit()
        self.template_edit.setObjectName("stationTemplateEdit")
        self.template_edit.setAccessibleName("Station template")
        self.template_edit.setPlaceholderText("(none) - type a station to copy its settings")
        # A completer over the names, not a combo box: there may be 50,000 stations.
        names = api.station_names()
        completer = QCompleter(QStringListModel(names, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.template_edit.setCompleter(completer)
        self.problem = _problem_label("stationPageProblem")
        form = QFormLayout(self)
        form.addRow("Station name:", self.name_edit)
        form.addRow("Station type:", self.type_combo)
        form.addRow("Template:", self.template_edit)
        form.addRow(self.problem)
        self.registerField("name*", self.name_edit)
        self.template: StationInfo | None = None

    @property
    def station_type(self) -> StationType:
        return StationType(self.type_combo.currentData())

    def validatePage(self) -> bool:
        name = self.name_edit.text().strip()
        try:
            self.api.get_station(name)
            _show(self.problem, f"A station named {name!r} already exists")
            return False
        except NotFound:
            pass
        template = self.template_edit.text().strip()
        try:
            self.template = self.api.get_station(template) if template else None
        except NotFound:
            _show(self.problem, f"There is no station named {template!r} to copy settings from")
            return False
        _show(self.problem, "")
        return True


class ConfigurationPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("configurationPage")
        self.setAccessibleName("Configuration")
        self.setTitle("Configuration")
        self.setSubTitle("Configure the station.")
        self.line_radio = QRadioButton("Line")
        self.line_radio.setObjectName("lineRadio")
        self.line_radio.setAccessibleName("Connection type Line")
        self.sip_radio = QRadioButton("SIP")
        self.sip_radio.setObjectName("sipRadio")
        self.sip_radio.setAccessibleName("Connection type SIP")
        self.connection_group = QButtonGroup(self)
        self.connection_group.addButton(self.line_radio)
        self.connection_group.addButton(self.sip_radio)
        self.line_radio.setChecked(True)
        self.remote_number_edit = QLineEdit()
        self.remote_number_edit.setObjectName("remoteNumberEdit")
        self.remote_number_edit.setAccessibleName("Remote number")
        self.remote_number_edit.setPlaceholderText("The phone number the remote station uses")
        self.problem = _problem_label("configurationPageProblem")
        connection = QHBoxLayout()
        connection.addWidget(self.line_radio)
        connection.addWidget(self.sip_radio)
        connection.addStretch(1)
        form = QFormLayout(self)
        form.addRow("Connection type:", connection)
        form.addRow("Remote number:", self.remote_number_edit)
        form.addRow(self.problem)

    def _wizard(self) -> AddStationWizard:
        wizard = self.wizard()
        assert isinstance(wizard, AddStationWizard)
        return wizard

    def initializePage(self) -> None:
        page = self._wizard().station_page
        remote = page.station_type is StationType.REMOTE
        template = page.template
        if template is not None:
            (self.sip_radio if template.connection_type == "sip" else self.line_radio).setChecked(
                True
            )
            self.remote_number_edit.setText(template.remote_number or "")
        if remote:
            self.line_radio.setChecked(True)
        self.sip_radio.setEnabled(not remote)
        self.sip_radio.setToolTip(SIP_NOT_REMOTE if remote else "")
        self.remote_number_edit.setEnabled(remote)
        self.remote_number_edit.setToolTip("" if remote else "Only Remote stations have one")

    @property
    def connection_type(self) -> str:
        return "sip" if self.sip_radio.isChecked() else "line"

    @property
    def remote_number(self) -> str | None:
        number = self.remote_number_edit.text().strip()
        return number if self.remote_number_edit.isEnabled() and number else None

    def validatePage(self) -> bool:
        if self.remote_number_edit.isEnabled() and not self.remote_number:
            _show(self.problem, "A Remote station needs the remote number it connects with")
            return False
        _show(self.problem, "")
        return True


class LicensingPage(QWizardPage):
    def __init__(self, api: ConsoleApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setObjectName("licensingPage")
        self.setAccessibleName("Licensing")
        self.setTitle("Licensing")
        self.setSubTitle(
            "Allocate licenses to the new station. Click Next. Continue setting up the new "
            "station, or click Finish to add it now."
        )
        # IA continues after this page; Finish is offered here too. Either adds the station,
        # so there is no going back past it (a commit page).
        self.setFinalPage(True)
        self.setCommitPage(True)
        self.licensing = LicensingTab(HolderKind.STATION, machine_name_taken_by=self._taken_by)
        self.problem = _problem_label("refusalLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.licensing, 1)
        layout.addWidget(self.problem)

    def _taken_by(self, machine_name: str) -> str | None:
        return self.api.machine_name_taken_by(machine_name, "")

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, AddStationWizard)
        name = wizard.station_page.name_edit.text().strip()
        template = wizard.station_page.template
        settings = HolderSettings(name)
        if template is not None:
            settings = HolderSettings(
                name,
                frozenset(template.keys),
                template.licenses_enabled,
                acd_types=frozenset(template.acd_types),
            )
        self.licensing.load(settings, self.api.key_counts(), new=True)
        _show(self.problem, "")

    def validatePage(self) -> bool:
        wizard = self.wizard()
        assert isinstance(wizard, AddStationWizard)
        return wizard.add()


class ContinuePage(QWizardPage):
    """After the Licensing page: the station is added; what comes next in setting it up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("continuePage")
        self.setAccessibleName("Continue setting up the station")
        self.setTitle("Continue setting up the new station")
        self.summary = QLabel()
        self.summary.setObjectName("continueSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, AddStationWizard)
        settings = wizard.licensing_page.licensing.settings()
        held = ", ".join(catalog.describe(k).display_name for k in sorted(settings.keys))
        self.summary.setText(
            f"Station {settings.name} was added with these licenses: {held or 'none'}.\n\n"
            "Its other settings (its Licensed Machine Name, its licenses and whether it is "
            "enabled) are in Station Configuration: double-click the station in the Stations "
            "container. Click Finish to close the wizard."
        )


class AddStationWizard(QWizard):
    added = Signal(str)

    def __init__(
        self, api: ConsoleApi, *, prompts: Prompts | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.api = api
        self._prompts = prompts or Prompts()
        self.setObjectName("addStationWizard")
        self.setWindowTitle("Add Station")
        self.setAccessibleName("Add Station")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.station_page = StationPage(api)
        self.configuration_page = ConfigurationPage()
        self.licensing_page = LicensingPage(api)
        self.continue_page = ContinuePage()
        pages = (self.station_page, self.configuration_page, self.licensing_page)
        for page in (*pages, self.continue_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Next >")
        self._added = False
        for which, name in (
            (QWizard.WizardButton.BackButton, "back"),
            (QWizard.WizardButton.NextButton, "next"),
            (QWizard.WizardButton.FinishButton, "finish"),
            (QWizard.WizardButton.CancelButton, "cancel"),
        ):
            button = self.button(which)
            button.setObjectName(f"{name}Button")
            button.setAccessibleName(name.capitalize())
        self.resize(900, 640)

    def add(self) -> bool:
        """Next or Finish on the Licensing page: add the station and its licenses in one
        transaction (once: Finish on the last page only closes)."""
        if self._added:
            return True
        settings = self.licensing_page.licensing.settings()
        config = self.configuration_page
        try:
            notes = self.api.add_station(
                settings.name,
                self.station_page.station_type,
                machine_name=settings.machine_name,
                licenses_enabled=settings.licenses_enabled,
                keys=settings.keys,
                connection_type=config.connection_type,
                remote_number=config.remote_number,
                acd_types=settings.acd_types,
            )
        except ServiceError as error:
            _show(self.licensing_page.problem, refusal_text(error))
            return False
        self._added = True
        self.added.emit(settings.name)
        for note in notes:
            self._prompts.error(self, "Add Station", with_rule(note.message, note.rule))
        return True
