"""The status bar's compliance-note count, computed off the GUI thread.

At 50,000 users R18 alone reads every workgroup member (about 150 ms): too long to stall
each refresh, which follows every edit, undo and change made elsewhere. One worker thread
counts; a request made while one is queued replaces it, and only the newest count is shown.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QThreadPool, Signal

from ia_licensing.console_api import ConsoleApi, ServiceError

UNAVAILABLE = -1


class NotesCounter(QObject):
    counted = Signal(int)  # the number of notes, or UNAVAILABLE when the database failed
    _finished = Signal(int, int)  # (request, count), delivered on the GUI thread

    def __init__(self, api: ConsoleApi, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._api = api
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._latest = 0
        self._finished.connect(self._deliver)

    def request(self) -> None:
        self._latest += 1
        request = self._latest
        self._pool.start(lambda: self._count(request))

    def wait(self) -> None:
        """Until no count is running or queued (closing, tests, screenshots)."""
        self._pool.waitForDone()

    def _count(self, request: int) -> None:  # on the worker thread
        if request != self._latest:
            return  # a newer request is queued behind this one
        try:
            count = len(self._api.notes())
        except ServiceError:  # the database is busy or gone: say so, count again next time
            count = UNAVAILABLE
        with contextlib.suppress(RuntimeError):  # the window went away: nothing to show
            self._finished.emit(request, count)

    def _deliver(self, request: int, count: int) -> None:
        if request == self._latest:
            self.counted.emit(count)
