"""Long work off the GUI thread: a read of 50,000 rows, a CSV import, a bulk allocation.

A `Job` runs one function on a pool thread (QThreadPool) and delivers what it reports on
the GUI thread, by signals: `progressed` (phase, done, total) as it goes, then `succeeded`
with the result or `failed` with the ServiceError, then `finished`. `cancel()` sets a flag
the function asks through `job.cancelled` (plain callables: the services have no Qt), and
a service that sees it rolls back. Each use case opens its own session, so the worker's
database work never shares one with the GUI thread.

An error that is not a ServiceError is raised again on the GUI thread, where the console's
handler for unexpected errors reports it as it does for any slot.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ia_licensing.console_api import ServiceError


class Job(QObject):
    progressed = Signal(str, int, int)  # phase, done, total
    succeeded = Signal(object)  # the function's result
    failed = Signal(object)  # the ServiceError (nothing was changed)
    finished = Signal()  # after succeeded or failed

    _progress = Signal(str, int, int)  # emitted on the worker thread, delivered queued
    _done = Signal(bool, object)

    def __init__(self, work: Callable[[Job], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._stopped = threading.Event()
        self._running = False
        self._reported: tuple[str, int, int] | None = None
        self._progress.connect(self.progressed)
        self._done.connect(self._deliver)

    # --- the GUI thread's side ----------------------------------------------------------------

    def start(self, pool: QThreadPool | None = None) -> Job:
        self._running = True
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def running(self) -> bool:
        """Started and its result not yet delivered."""
        return self._running

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Until the function has returned (closing, tests); its result is still queued."""
        return self._stopped.wait(timeout_s)

    def _deliver(self, ok: bool, value: object) -> None:
        self._running = False
        if ok:
            self.succeeded.emit(value)
        elif isinstance(value, ServiceError):
            self.failed.emit(value)
        self.finished.emit()
        if not ok and not isinstance(value, ServiceError):
            assert isinstance(value, BaseException)
            raise value

    # --- the worker thread's side: what the function may call ---------------------------------

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, phase: str, done: int, total: int) -> None:
        """Progress, delivered on the GUI thread (a step already reported is not sent
        again: each emit costs the GUI thread a queued call)."""
        step = (phase, done, total)
        if step == self._reported:
            return
        self._reported = step
        with contextlib.suppress(RuntimeError):  # the dialog went away
            self._progress.emit(phase, done, total)

    def _run(self) -> None:
        try:
            result: tuple[bool, object] = (True, self._work(self))
        except Exception as error:  # delivered to the GUI thread, raised there if unexpected
            result = (False, error)
        self._stopped.set()
        with contextlib.suppress(RuntimeError):  # the window went away: nothing to show
            self._done.emit(*result)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job  # the Python object stays alive while the thread runs

    def run(self) -> None:
        self._job._run()


def run_job(
    work: Callable[[Job], Any],
    parent: QObject,
    *,
    succeeded: Callable[[Any], None],
    failed: Callable[[ServiceError], None] | None = None,
    progressed: Callable[[str, int, int], None] | None = None,
) -> Job:
    """Start `work` on a pool thread with its results connected to `parent`'s slots."""
    job = Job(work, parent)
    job.succeeded.connect(succeeded)
    if failed is not None:
        job.failed.connect(failed)
    if progressed is not None:
        job.progressed.connect(progressed)
    return job.start()


def settle_heap() -> None:
    """After a large read has been shown (50,000 rows, 100,000 holders): leave what is
    alive now out of the cyclic garbage collector's full collections. Walking it all paused
    the GUI thread for about 80 ms every few seconds on a live system (whichever thread
    triggers a collection holds the interpreter). Frozen objects are still freed when no
    longer referenced; only the collector no longer walks them (rows hold no cycles)."""
    gc.freeze()
