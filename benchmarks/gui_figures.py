"""The console's figures for benchmarks/scale.py --gui, measured offscreen.

- start to first painted window: a fresh process, from before it starts until the main
  window's first paint event (Python start-up and imports included);
- opening the Licenses Allocation and Stations containers (select in the tree, until
  painted);
- filter-as-you-type on Stations: the filtering pass after each keystroke (the view waits
  for a 150 ms pause in typing first), median and worst;
- one License Configuration add: open the dialog on Client Access (until its holders have
  been read), add one station, Apply;
- and what gui_live.py measures: a live system's logons, first openings.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from ia_licensing.app import create_main_window

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(time.time(), flush=True)
            QApplication.instance().exit(0)
        return False

app = QApplication(sys.argv[:1])
window = create_main_window(sys.argv[1])
watcher = FirstPaint()
window.installEventFilter(watcher)
window.update()
sys.exit(app.exec())
"""


def start_to_first_paint(path: Path, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        begin = time.time()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        painted = float(out.stdout.strip().splitlines()[-1])
        samples.append((painted - begin) * 1000)
    return round(statistics.median(samples), 1)


def _no_questions() -> Any:
    from ia_licensing.widgets.prompts import Prompts, SaveAnswer

    class NoQuestions(Prompts):
        """A benchmark must never block on a message box: answer, and remember errors."""

        def __init__(self) -> None:
            self.errors: list[str] = []

        def ask_save(self, parent: Any, title: str, text: str) -> SaveAnswer:
            return SaveAnswer.DISCARD

        def error(self, parent: Any, title: str, text: str) -> None:
            self.errors.append(text)

    return NoQuestions()


def _until_painted(app: Any, widget: Any) -> None:
    widget.repaint()
    app.processEvents()


def measure_gui(path: Path, trust: Any = None) -> dict[str, Any]:
    from gui_live import measure_live, wait_for
    from PySide6.QtWidgets import QApplication, QLineEdit

    from ia_licensing.app import create_main_window
    from ia_licensing.containers import Container
    from ia_licensing.rules import HolderKind, Pool
    from ia_licensing.services import license_configuration as lc

    figures: dict[str, Any] = {"start_to_first_painted_window_ms": start_to_first_paint(path)}
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        from PySide6.QtCore import QSettings

        settings = QSettings(str(Path(folder) / "bench.ini"), QSettings.Format.IniFormat)
        # The benchmark's license is signed by its own key: trusted, or nothing is allowed.
        window = create_main_window(
            str(path), settings=settings, prompts=_no_questions(), trust=trust
        )
        window.resize(1280, 800)
        app.processEvents()

        def open_container(container: Container) -> dict[str, float]:
            """The first opening (the page loads its rows) and the median of the next five."""
            samples = []
            for _ in range(6):
                window.show_container(
                    Container.AUDIT if container is not Container.AUDIT else Container.NOTES
                )
                app.processEvents()
                start = time.perf_counter()
                window.show_container(container)
                _until_painted(app, window)
                samples.append((time.perf_counter() - start) * 1000)
            return {
                "first_ms": round(samples[0], 1),
                "again_median_ms": round(statistics.median(samples[1:]), 1),
            }

        figures["open_licenses_allocation"] = open_container(Container.LICENSES_ALLOCATION)
        figures["open_stations"] = open_container(Container.STATIONS)
        stations_page = window.page(Container.STATIONS)
        wait_for(app, lambda: stations_page.feed.complete)  # the rest arrives from a worker
        box = stations_page.findChild(QLineEdit)
        if box is not None and stations_page.findChild(QLineEdit) is not None:
            window.show_container(Container.STATIONS)
            samples = []
            # The view filters after a 150 ms pause in typing; time the filtering itself.
            timer = getattr(stations_page, "_filter_timer", None)
            for text in ("s", "st", "sta", "stat", "stati", "station", "station1", "station12"):
                start = time.perf_counter()
                box.setText(text)
                if timer is not None:
                    timer.stop()
                    timer.timeout.emit()
                _until_painted(app, stations_page)
                samples.append((time.perf_counter() - start) * 1000)
            box.clear()
            figures["stations_filter_pass_ms"] = round(statistics.median(samples), 1)
            figures["stations_filter_pass_max_ms"] = round(max(samples), 1)
            figures["stations_filter_debounce_ms"] = timer.interval() if timer else 0
        else:
            figures["stations_filter_keystroke_ms"] = "not measured: no Stations container yet"

        samples = []
        for i in range(5):
            start = time.perf_counter()
            window.open_license_configuration("I3_ACCESS_CLIENT")
            dialog = window.license_configuration_dialog
            assert dialog is not None
            wait_for(app, lambda dialog=dialog: dialog.is_loaded)  # read on a worker thread
            # What the Add… picker does: search the eligible stations, pick one.
            offered = lc.eligible(
                window.db, "I3_ACCESS_CLIENT", HolderKind.STATION, Pool.ASSIGNABLE, limit=50
            )
            dialog.stations.add([e for e in offered if e.refusal is None][i : i + 1])
            if not dialog.is_dirty:
                raise RuntimeError("no station could be added: nothing to apply")
            if not dialog.apply():  # commits through the services, pushes undo, refreshes
                raise RuntimeError(f"the add was refused: {window.prompts.errors}")
            _until_painted(app, window)
            samples.append((time.perf_counter() - start) * 1000)
            dialog.reject()
            app.processEvents()
        figures["license_configuration_open_add_apply_ms"] = round(statistics.median(samples), 1)
        figures.update(measure_live(app, window, path, trust))
        window.close()
        window.db.close()
    return figures
