"""The console against a live system, for benchmarks/scale.py --gui (issue 15's figures).

- `open_stations_first`: a Stations container not shown before, from selecting it until
  its first screen is painted (the rest of the rows arrive from a worker thread);
- `stations_refresh_after_logon_elsewhere`: another connection logs a user on; the
  change watcher's poll and the refresh it causes, with Stations open and fully read;
- `gui_max_stall_during_logons`: the worst lateness of a 10 ms GUI-thread heartbeat while
  another process logs users on and off (20 logons and 20 logoffs a second: every 50 ms
  one user logs on and the previous one off) for 30 s, with Stations open;
- `license_configuration_open_ms`: License Configuration on Client Access (held by about
  100,000), from the request until the dialog is painted (its holders arrive after).
"""

from __future__ import annotations

import gc
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from ia_licensing.containers import Container
from ia_licensing.models import Database
from ia_licensing.services import logon

STALL_SECONDS = int(os.environ.get("BENCH_STALL_SECONDS", "30"))  # shorter: a quick try
LOGON_EVERY_MS = 50  # 20 logons (and 20 logoffs) a second

CHILD = r"""
import sys, time
from ia_licensing.models import Database
from ia_licensing.services import logon
path, seconds, pairs = sys.argv[1], float(sys.argv[2]), sys.argv[4:]
every = float(sys.argv[3]) / 1000
db = Database(path)
print("ready", flush=True)
start = time.perf_counter()
done, previous, i = 0, None, 0
while time.perf_counter() - start < seconds:
    user, station = pairs[i % len(pairs)].split("@")
    logon.logon(db, user, station=station)
    if previous is not None:
        logon.logoff(db, previous)
    previous, i, done = user, i + 1, done + 1
    wake = start + i * every
    time.sleep(max(0.0, wake - time.perf_counter()))
if previous is not None:
    logon.logoff(db, previous)
print(done, flush=True)
"""


def target(value: float, target_ms: float, **more: Any) -> dict[str, Any]:
    return {**more, "target_ms": target_ms, "meets_target": value < target_ms}


def free_pairs(path: Path, count: int) -> list[tuple[str, str]]:
    """Users not logged on and stations R20 lets them log on to, none in use."""
    raw = sqlite3.connect(path)
    try:
        users = [
            n
            for (n,) in raw.execute(
                "SELECT name FROM user_account WHERE licenses_enabled AND id NOT IN"
                " (SELECT user_id FROM logon_session) ORDER BY id DESC LIMIT ?",
                (count,),
            )
        ]
        stations = [
            n
            for (n,) in raw.execute(
                "SELECT s.name FROM station s"
                " JOIN station_license b ON b.station_id = s.id"
                "  AND b.key = 'I3_LICENSE_BASIC_STATION'"
                " JOIN station_license c ON c.station_id = s.id AND c.key = 'I3_ACCESS_CLIENT'"
                " WHERE s.enabled AND s.licenses_enabled AND s.id NOT IN"
                " (SELECT station_id FROM logon_session WHERE station_id IS NOT NULL)"
                " ORDER BY s.id DESC LIMIT ?",
                (count,),
            )
        ]
    finally:
        raw.close()
    return list(zip(users, stations, strict=False))


def wait_for(app: QApplication, done: Any, timeout_ms: int = 60_000) -> None:
    """Run the event loop until `done()` (no busy processEvents loop)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: loop.quit() if done() else None)
    timer.start()
    deadline = QElapsedTimer()
    deadline.start()
    while not done() and deadline.elapsed() < timeout_ms:
        loop.exec()
    timer.stop()


def painted(app: QApplication, widget: Any) -> None:
    widget.repaint()
    app.processEvents()


def open_stations_first(app: QApplication, path: Path, trust: Any, folder: Path) -> list[float]:
    """Stations opened for the first time, in five fresh consoles (each settled first: its
    status bar's note count, computed on a worker, has arrived)."""
    from gui_figures import _no_questions
    from PySide6.QtCore import QSettings

    from ia_licensing.app import create_main_window

    samples, every_row = [], []
    for run in range(5):
        settings = QSettings(str(folder / f"first{run}.ini"), QSettings.Format.IniFormat)
        window = create_main_window(
            str(path), settings=settings, prompts=_no_questions(), trust=trust
        )
        window.resize(1280, 800)
        painted(app, window)
        window.notes_counter.wait()
        app.processEvents()
        gc.collect()
        start = time.perf_counter()
        window.show_container(Container.STATIONS)
        painted(app, window)
        samples.append((time.perf_counter() - start) * 1000)
        view = window.page(Container.STATIONS)
        wait_for(app, lambda view=view: view.feed.complete)
        every_row.append((time.perf_counter() - start) * 1000)
        gone(app, window)
    return [statistics.median(every_row), *samples]


def gone(app: QApplication, window: Any) -> None:
    """A console closed and deleted: no timer of it polls the database any more."""
    window.change_watcher.timer.stop()
    window.close()
    window.db.close()
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def measure_live(app: QApplication, window: Any, path: Path, trust: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    pairs = free_pairs(path, 400)
    window.show_container(Container.STATIONS)
    view = window.page(Container.STATIONS)
    wait_for(app, lambda: view.feed.complete)
    elsewhere = Database(str(path))
    samples = []
    for user, station in pairs[:15]:
        logon.logon(elsewhere, user, station=station)
        start = time.perf_counter()
        window.change_watcher.poll()  # what the watcher's timer does each second
        samples.append((time.perf_counter() - start) * 1000)
        logon.logoff(elsewhere, user)
        window.change_watcher.poll()
    elsewhere.close()
    assert view.feed.loading is None, "a logon made Stations read every row"
    refresh = round(statistics.median(samples), 2)
    figures["stations_refresh_after_logon_elsewhere"] = target(
        refresh, 20, median_ms=refresh, max_ms=round(max(samples), 2)
    )
    figures["gui_max_stall_during_logons"] = stall_during_logons(app, window, path, pairs[15:])

    samples = []
    for _ in range(5):
        start = time.perf_counter()
        window.open_license_configuration("I3_ACCESS_CLIENT")
        dialog = window.license_configuration_dialog
        painted(app, dialog)
        samples.append((time.perf_counter() - start) * 1000)
        wait_for(app, lambda dialog=dialog: dialog.is_loaded)
        dialog.reject()
        app.processEvents()
    opened = round(statistics.median(samples), 1)
    figures["license_configuration_open_ms"] = target(opened, 100, median_ms=opened)
    with tempfile.TemporaryDirectory() as folder:
        all_rows, *samples = open_stations_first(app, path, trust, Path(folder))
    first = round(statistics.median(samples), 1)
    figures["open_stations_first"] = target(
        first,
        100,
        median_ms=first,
        samples_ms=[round(s, 1) for s in samples],
        every_row_arrived_median_ms=round(all_rows, 1),
    )
    return figures


def stall_during_logons(
    app: QApplication, window: Any, path: Path, pairs: list[tuple[str, str]]
) -> dict[str, Any]:
    """A 10 ms heartbeat on the GUI thread, with Stations open, while another process logs
    users on and off; its lateness is how long the window did not answer."""
    window.show_container(Container.STATIONS)
    app.processEvents()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(STALL_SECONDS), str(LOGON_EVERY_MS)]
        + [f"{u}@{s}" for u, s in pairs],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    late: list[float] = []
    clock = QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(10)

    def beat() -> None:
        late.append(max(0.0, clock.nsecsElapsed() / 1e6 - 10))
        clock.restart()

    heartbeat.timeout.connect(beat)
    polls = []
    window.change_watcher.changed.connect(lambda: polls.append(1))
    clock.start()
    heartbeat.start()
    wait_for(app, lambda: child.poll() is not None, timeout_ms=(STALL_SECONDS + 30) * 1000)
    heartbeat.stop()
    out, _ = child.communicate()
    worst = round(max(late), 1)
    return target(
        worst,
        50,
        max_ms=worst,
        p99_ms=round(statistics.quantiles(late, n=100)[98], 1),
        beats=len(late),
        logons=int(out.strip() or 0),
        refreshes=len(polls),
        seconds=STALL_SECONDS,
    )
