"""The worker: a function on a pool thread, its progress and result delivered on the GUI
thread by signals, a cancel it asks for, a refusal delivered as `failed`."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from ia_licensing.console_api import Cancelled, Refused
from ia_licensing.rules import Refusal
from ia_licensing.widgets.worker import Job, run_job


def test_progress_and_result_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    owner = QObject()
    threads: list[object] = []
    steps: list[tuple[str, int, int]] = []

    def work(job: Job) -> str:
        threads.append(QThread.currentThread())
        job.report("reading", 1, 2)
        return "done"

    def progressed(phase: str, done: int, total: int) -> None:
        threads.append(QThread.currentThread())
        steps.append((phase, done, total))

    results: list[object] = []
    job = run_job(work, owner, succeeded=results.append, progressed=progressed)
    qtbot.waitUntil(lambda: results == ["done"])
    gui = QThread.currentThread()
    assert threads[0] is not gui and threads[1] is gui
    assert steps == [("reading", 1, 2)] and not job.running


def test_a_cancel_is_asked_for_by_the_work_and_delivered_as_failed(qtbot: QtBot) -> None:
    started = threading.Event()

    def work(job: Job) -> None:
        started.set()
        while not job.cancelled():
            QThread.msleep(1)
        raise Cancelled("stopped: nothing was changed")

    failures: list[object] = []
    owner = QObject()  # the job is its child: it lives as long as the owner
    job = run_job(work, owner, succeeded=lambda _r: None, failed=failures.append)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], Cancelled)


def test_a_refusal_is_delivered_and_an_unexpected_error_raised_on_the_gui_thread(
    qtbot: QtBot,
) -> None:
    failures: list[object] = []
    owner = QObject()

    def refuse(_job: Job) -> None:
        raise Refused(Refusal("R4", "too many"))

    job = run_job(refuse, owner, succeeded=lambda _r: None, failed=failures.append)
    qtbot.waitUntil(lambda: not job.running)
    assert str(failures[0]) == "refused (R4): too many"

    def crash(_job: Job) -> None:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        with qtbot.captureExceptions() as caught:
            job = run_job(crash, owner, succeeded=lambda _r: None)
            qtbot.waitUntil(lambda: not job.running)
        raise caught[0][1]
