"""Write docs/screenshots/*.png from the demo database, offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py

Builds the demo database in a temporary folder, opens the main window at 1280×800 with
Licenses Allocation selected, then License Configuration for Client Access, the containers,
License Management (each tab) and the Load License review. Settings go
to the temporary folder too, so a developer's remembered window is neither used nor changed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, QSettings, Qt, QThreadPool
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ia_licensing import catalog
from ia_licensing.app import MainWindow, create_main_window
from ia_licensing.containers import Container
from ia_licensing.models import Database
from ia_licensing.services import demo, setup

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(app: QApplication) -> None:
    for window in app.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.notes_counter.wait()  # the status bar's count is computed off-thread
    QThreadPool.globalInstance().waitForDone()  # rows and holders are read off-thread too
    for _ in range(5):
        app.processEvents()


def with_title_bar(widget: QWidget) -> QPixmap:
    """The widget's grab under a plain title bar carrying its window title.

    Offscreen there is no window manager, so a grab has no frame; without its title a
    dialog could not be recognised by its IA name in the documentation.
    """
    body = widget.grab()
    height = widget.fontMetrics().height() + 14
    image = QPixmap(body.width() + 2, body.height() + height + 1)
    image.fill(QColor(112, 112, 112))  # the one-pixel window border
    painter = QPainter(image)
    painter.fillRect(1, 1, body.width(), height, QColor(255, 255, 255))
    painter.setPen(QColor(0, 0, 0))
    painter.setFont(widget.font())
    text_area = QRect(12, 1, body.width() - 24, height)
    flags = Qt.AlignmentFlag.AlignVCenter
    painter.drawText(text_area, flags | Qt.AlignmentFlag.AlignLeft, widget.windowTitle())
    buttons = "?      \u2715" if isinstance(widget, QDialog) else "\u2014      \u2610      \u2715"
    painter.drawText(text_area, flags | Qt.AlignmentFlag.AlignRight, buttons)
    painter.drawPixmap(1, height + 1, body)
    painter.end()
    return image


def containers_screenshots(app: QApplication, window: MainWindow) -> list[str]:
    """Stations and Users containers, both configuration dialogs, the wizard's Licensing page."""
    from ia_licensing.views.stations_view import StationsView
    from ia_licensing.views.users_view import UsersView

    def save(widget: QWidget, name: str) -> str:
        settle(app)
        with_title_bar(widget).save(str(OUT / name))
        return name

    written = []
    window.show_container(Container.STATIONS)
    stations = window.page(Container.STATIONS)
    assert isinstance(stations, StationsView)
    stations.select_name("operator")
    written.append(save(window, "stations.png"))
    stations.open_configuration("operator")
    assert stations.configuration_dialog is not None
    written.append(save(stations.configuration_dialog, "station-configuration.png"))
    stations.configuration_dialog.cancel()

    stations.insert()
    wizard = stations.wizard
    assert wizard is not None
    wizard.station_page.name_edit.setText("station51")
    wizard.station_page.template_edit.setText("station50")
    wizard.next()
    wizard.next()
    written.append(save(wizard, "add-station-wizard-licensing.png"))
    wizard.reject()

    window.show_container(Container.USERS)
    users = window.page(Container.USERS)
    assert isinstance(users, UsersView)
    users.select_name("operator")
    written.append(save(window, "users.png"))
    users.open_configuration("user41")
    assert users.configuration_dialog is not None
    written.append(save(users.configuration_dialog, "user-configuration.png"))
    users.configuration_dialog.cancel()
    return written


def license_screenshots(
    app: QApplication, window: MainWindow, folder: Path, key: demo.DemoKey
) -> list[str]:
    """License Management (each tab) and the Load License review of a third demo license,
    signed with the demo database's own throw-away key (R36)."""
    from ia_licensing.dialogs.license_management import open_license_management
    from ia_licensing.dialogs.load_license import review_license_file

    written = []
    dialog = open_license_management(window)
    for index, name in enumerate(("licenses", "features", "history")):
        dialog.tabs.setCurrentIndex(index)
        settle(app)
        with_title_bar(dialog).save(str(OUT / f"license-management-{name}.png"))
        written.append(f"license-management-{name}.png")
    dialog.accept()

    # Serial 3: 30 more Client Access licenses and 10 more pooled ACD Media 3.
    counts = demo.reduced_entitlements()
    counts[catalog.CLIENT_ACCESS] = (200, 60)
    counts[catalog.ACD_MEDIA_3] = (120, 40)
    server = setup.server(window.db)
    path = folder / "ic-demo-serial-3.I3Lic"
    path.write_bytes(demo.demo_license(server.host_id, server.machine_name, 3, counts, key))
    review = review_license_file(window, path)
    settle(app)
    with_title_bar(review).save(str(OUT / "load-license-review.png"))
    review.reject()
    written.append("load-license-review.png")
    return written


def activity_screenshots(app: QApplication, window: MainWindow, folder: Path) -> list[str]:
    """Workgroups, Sessions (after a few logons), Notes and Audit, and an import's dry run."""
    from ia_licensing.dialogs.import_csv import ImportDialog
    from ia_licensing.services import logon
    from ia_licensing.services.csv_import import ImportKind

    written = []
    for user, station in (("user41", "station41"), ("user42", "station42")):
        logon.logon(window.db, user, station=station)
    logon.logon(window.db, "user43", remote_number="+1 317 555 0143")
    window.refresh()
    for container, name in (
        (Container.WORKGROUPS, "workgroups.png"),
        (Container.SESSIONS, "sessions.png"),
        (Container.NOTES, "notes.png"),
        (Container.AUDIT, "audit.png"),
    ):
        window.show_container(container)
        settle(app)
        with_title_bar(window).save(str(OUT / name))
        written.append(name)

    csv_file = folder / "new-stations.csv"
    csv_file.write_text(
        "name,type,licenses\n"
        "desk-101,workstation,Basic Station;Client Access\n"
        "desk-102,workstation,Basic Station;Analytics Core\n"
        "station1,workstation,Basic Station\n"
        "desk-103,workstation,Basic Station\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(window.api, ImportKind.STATIONS, csv_file, window)
    dialog.show()
    settle(app)
    with_title_bar(dialog).save(str(OUT / "import-stations-dry-run.png"))
    dialog.reject()
    written.append("import-stations-dry-run.png")
    return written


def usage_screenshot(app: QApplication, window: MainWindow, folder: Path) -> list[str]:
    """Usage (R33) after replaying two days of the demo's Concurrent users (R34)."""
    import datetime as dt
    import math

    from ia_licensing.services import replay
    from ia_licensing.services.usage_history import hour_of
    from ia_licensing.views.usage_view import UsageView

    start = hour_of(dt.datetime.now(dt.UTC).replace(tzinfo=None)) - dt.timedelta(hours=48)
    names = [f"user{i}" for i in range(41, 51)]
    lines, on = ["time,event,user,station,remote_number"], set()
    for h in range(48):
        hour = start + dt.timedelta(hours=h)
        wanted = round(5 + 4.5 * math.sin((h % 24 - 8) / 24 * 2 * math.pi))
        for i, name in enumerate(names):
            when = (hour + dt.timedelta(minutes=5 + i)).isoformat() + "Z"
            if i < wanted and name not in on:
                lines.append(f"{when},logon,{name},station{41 + i},")
                on.add(name)
            elif i >= wanted and name in on:
                lines.append(f"{when},logoff,{name},,")
                on.discard(name)
    events = folder / "events.csv"
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    replay.replay(window.db, replay.parse_events(events.read_bytes()))
    window.show_container(Container.USAGE)
    view = window.page(Container.USAGE)
    assert isinstance(view, UsageView)
    view.refresh()
    view.key_combo.setCurrentIndex(view.key_combo.findData(catalog.CLIENT_ACCESS))
    settle(app)
    with_title_bar(window).save(str(OUT / "usage.png"))
    return ["usage.png"]


def console_screenshots(app: QApplication, window: MainWindow) -> list[str]:
    """The Action menu open under the toolbar (MMC's), and a long new station name with its
    note's icon at 800 x 600: nothing cut."""
    from ia_licensing.console_api import StationType
    from ia_licensing.views.stations_view import StationsView

    written = []
    window.show_container(Container.STATIONS)
    stations = window.page(Container.STATIONS)
    assert isinstance(stations, StationsView)
    stations.select_name("operator")
    settle(app)
    bar = window.menuBar()
    where = bar.mapToGlobal(bar.actionGeometry(window.action_menu.menuAction()).bottomLeft())
    window.action_menu.popup(where)
    settle(app)
    shot = with_title_bar(window)
    painter = QPainter(shot)
    menu = window.action_menu
    top_left = window.mapFromGlobal(menu.mapToGlobal(menu.rect().topLeft()))
    title_height = shot.height() - window.height() - 1
    painter.drawPixmap(top_left.x() + 1, top_left.y() + title_height, menu.grab())
    painter.end()
    shot.save(str(OUT / "action-menu-and-toolbar.png"))
    menu.close()
    written.append("action-menu-and-toolbar.png")

    long_name = "reception-desk-second-floor-east-wing-07"
    window.api.add_station(long_name, StationType.WORKSTATION)  # no Basic Station: a note
    window.refresh()
    window.resize(800, 600)
    stations.select_name(long_name)
    settle(app)
    with_title_bar(window).save(str(OUT / "long-names-800x600.png"))
    written.append("long-names-800x600.png")
    window.show_container(Container.SESSIONS)
    settle(app)
    with_title_bar(window).save(str(OUT / "sessions-800x600.png"))
    written.append("sessions-800x600.png")
    window.resize(1280, 800)
    return written


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")  # the same look on every machine that runs `make screenshots`
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "demo.sqlite")
        db = Database(path)
        setup.initialise(db, demo.DEMO_HOST_ID, demo.DEMO_MACHINE_NAME)
        key = demo.build_demo(db)  # its throw-away key signs one more demo license below
        db.close()
        settings = QSettings(str(Path(folder) / "console.ini"), QSettings.Format.IniFormat)
        window = create_main_window(path, settings=settings)
        assert isinstance(window, MainWindow)
        window.resize(1280, 800)
        window.show_container(Container.LICENSES_ALLOCATION)
        window.licenses_allocation.select_key(catalog.CLIENT_ACCESS)
        settle(app)
        with_title_bar(window).save(str(OUT / "main-window.png"))

        window.open_license_configuration(catalog.CLIENT_ACCESS)
        dialog = window.license_configuration_dialog
        assert dialog is not None
        settle(app)
        with_title_bar(dialog).save(str(OUT / "license-configuration.png"))
        dialog.cancel()
        written = containers_screenshots(app, window)
        written += license_screenshots(app, window, Path(folder), key)
        written += activity_screenshots(app, window, Path(folder))
        written += usage_screenshot(app, window, Path(folder))
        written += console_screenshots(app, window)
        window.close()
        window.db.close()
        settle(app)
    names = ", ".join(["main-window.png", "license-configuration.png", *written])
    print(f"wrote {names} in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
