"""The Qt binding itself: PySide6 6.12.0 lost a reference to `True` at every Python
`Signal.emit()` and to `None` at every `processEvents()`, so a console on a live system
(the change watcher, the note counter and the workers emit every second) aborted within
about an hour with "deallocating True". pyproject.toml excludes that release; this test
fails on any binding that leaks them again."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(bool)


def test_emitting_and_processing_events_keep_the_reference_counts(qapp: object) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda: received.append(None))
    emitter.carried.connect(received.append)
    for _ in range(200):  # warm up: caches fill once
        emitter.fired.emit()
        emitter.carried.emit(True)
        QCoreApplication.processEvents()
    received.clear()
    trues, nones = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(300):
        emitter.fired.emit()
        emitter.carried.emit(True)
        QCoreApplication.processEvents()
    received.clear()
    assert abs(sys.getrefcount(True) - trues) < 50
    assert abs(sys.getrefcount(None) - nones) < 50
