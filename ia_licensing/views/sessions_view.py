"""The Sessions container: who is logged on where, since when, holding which licenses;
Log Off ends a session and releases its Concurrent licenses (R23)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from ia_licensing import catalog
from ia_licensing.console_api import ServiceError, SessionInfo
from ia_licensing.views.record_view import RecordContainerView
from ia_licensing.widgets.host import ConsoleHost
from ia_licensing.widgets.record_table_model import RecordTableModel

COLUMNS = (
    ("User", lambda s: s.user),
    ("Station or Remote Number", lambda s: s.station or f"Remote: {s.remote_number}"),
    ("Since", lambda s: s.since),
    ("Licenses Held", lambda s: ", ".join(catalog.describe(k).display_name for k in s.licenses)),
)


class SessionsView(RecordContainerView):
    EMPTY = "No user is logged on."

    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        model = RecordTableModel[SessionInfo](COLUMNS)
        super().__init__("Sessions", "sessionsContainer", model, parent)
        self.api, self.console = console.api, console
        self.log_off_button = QPushButton("Log Off")
        self.log_off_button.setObjectName("logOffButton")
        self.log_off_button.setAccessibleName("Log off the selected users")
        self.log_off_button.clicked.connect(self.log_off_selected)
        self.bar.insertWidget(1, self.log_off_button)
        action = QAction("Log Off", self)
        action.setObjectName("logOffAction")
        action.triggered.connect(self.log_off_selected)
        self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        self.show_rows(self.api.sessions())
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.log_off_button.setEnabled(bool(self.selected_records()))

    def log_off_selected(self) -> None:
        chosen: list[SessionInfo] = self.selected_records()
        if not chosen:
            return
        names = ", ".join(s.user for s in chosen)
        question = f"Log off {names}? Their Concurrent licenses are released."
        if not self.console.prompts.confirm(self, "Log Off", question):
            return
        for session in chosen:
            try:
                self.api.logoff(session.user)
            except ServiceError as error:  # logged off elsewhere meanwhile: say so, go on
                self.console.report(str(error))
        self.console.refresh()
