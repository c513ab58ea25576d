"""Notices changes made by other administrators or processes (logons included).

Every change is audited in the same transaction (R30), so the newest audit id is a cheap,
portable "has anything changed" that works the same on SQLite and PostgreSQL; what
changed is then read by each container from the console's change feed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ia_licensing.console_api import ConsoleApi, ServiceError

INTERVAL_MS = 1000  # Concurrent In Use must appear within 2 seconds


class DatabaseChangeWatcher(QObject):
    changed = Signal()

    def __init__(self, api: ConsoleApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self._seen = 0
        self._seen = self._newest()
        self.timer = QTimer(self)
        self.timer.setObjectName("databaseChangeTimer")
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _newest(self) -> int:
        try:
            return self.api.newest_change()
        except ServiceError:  # busy or briefly unavailable: try again next tick
            return self._seen

    def poll(self) -> None:
        newest = self._newest()
        if newest != self._seen:
            self._seen = newest
            self.changed.emit()
