"""Notices changes made by other administrators or processes (logons included).

Every change is audited in the same transaction (R30), so the newest audit id is a cheap,
portable "has anything changed" that works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.models import AuditEvent, Database

INTERVAL_MS = 1000  # Concurrent In Use must appear within 2 seconds


class DatabaseChangeWatcher(QObject):
    changed = Signal()

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._seen = 0
        self._seen = self._newest()
        self.timer = QTimer(self)
        self.timer.setObjectName("databaseChangeTimer")
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _newest(self) -> int:
        try:
            with self.db.read() as session:
                return session.scalar(select(func.max(AuditEvent.id))) or 0
        except SQLAlchemyError:  # busy or briefly unavailable: try again next tick
            return self._seen

    def poll(self) -> None:
        newest = self._newest()
        if newest != self._seen:
            self._seen = newest
            self.changed.emit()
