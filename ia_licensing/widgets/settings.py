"""The console's remembered settings: ONE typed registry over QSettings, with a version.

As MusicBrainz Picard's `options.py`/`config.py` do, each option is declared once with its
type and default (`Option`); the registry reads and writes only declared options, and a
settings file written by an older console is upgraded once (`UPGRADES`). Window state
(geometry, splitter, each table's header, each dialog's geometry, the last folder) is kept
apart from preferences, under `window/`, `tables/`, `dialogs/` and `files/`.

`RememberGeometry` is Picard's PreserveGeometry for every dialog of the console: a dialog
opens where and as large as it was last closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QTableView, QWidget

T = TypeVar("T", str, int, QByteArray)

VERSION = 2  # 1: the unversioned settings of the first consoles (window/* keys only)


@dataclass(frozen=True)
class Option(Generic[T]):
    """A setting: its key (a `{}` stands for a table's or a dialog's name), type, default."""

    key: str
    kind: type[T]
    default: T

    def named(self, name: str) -> str:
        return self.key.format(name)


WINDOW_GEOMETRY = Option("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Option("window/state", QByteArray, QByteArray())
SPLITTER = Option("window/splitter", QByteArray, QByteArray())
LAST_CONTAINER = Option("window/container", str, "Licenses Allocation")
TABLE_HEADER = Option("tables/{}/header", QByteArray, QByteArray())  # sort, widths, order
DIALOG_GEOMETRY = Option("dialogs/{}/geometry", QByteArray, QByteArray())
LAST_FOLDER = Option("files/{}/folder", str, "")  # by kind of file: license, csv, report
VERSION_KEY = "settings/version"

OPTIONS: tuple[Option[str] | Option[int] | Option[QByteArray], ...] = (
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    SPLITTER,
    LAST_CONTAINER,
    TABLE_HEADER,
    DIALOG_GEOMETRY,
    LAST_FOLDER,
)


def _upgrade_to_2(settings: QSettings) -> None:
    """Version 1 kept no table or dialog state: nothing to move, only the version to set."""


UPGRADES: dict[int, Callable[[QSettings], None]] = {2: _upgrade_to_2}


class Settings:
    """The registry: typed reads and writes of the declared options over one QSettings."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings
        self._upgrade()

    def _upgrade(self) -> None:
        found = self.qsettings.value(VERSION_KEY, 1)
        version = int(found) if isinstance(found, (int, str)) and str(found).isdigit() else 1
        for target in sorted(UPGRADES):
            if version < target:
                UPGRADES[target](self.qsettings)
                version = target
        self.qsettings.setValue(VERSION_KEY, VERSION)

    @property
    def version(self) -> int:
        return int(str(self.qsettings.value(VERSION_KEY, VERSION)))

    def get(self, option: Option[T], name: str = "") -> T:
        assert option in OPTIONS, f"undeclared option {option.key}"
        value: object = self.qsettings.value(option.named(name), option.default)
        if isinstance(value, option.kind):
            return value
        if isinstance(option.default, int) and isinstance(value, str):
            # INI files give numbers back as text
            return int(value) if value.lstrip("-").isdigit() else option.default
        return option.default

    def set(self, option: Option[T], value: T, name: str = "") -> None:
        assert option in OPTIONS, f"undeclared option {option.key}"
        self.qsettings.setValue(option.named(name), value)

    def sync(self) -> None:
        self.qsettings.sync()

    # --- tables --------------------------------------------------------------------------------

    def remember_table(self, table: QTableView, name: str) -> None:
        """Restore the table's sort column and order and its column widths the first time it
        is shown (after its view has sized the columns), and save them on every change."""
        restored = False

        def restore() -> None:
            nonlocal restored
            restored = True
            state = self.get(TABLE_HEADER, name)
            header = table.horizontalHeader()
            if not state.isEmpty() and header.restoreState(state):
                table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())

        def save() -> None:
            if restored:
                self.set(TABLE_HEADER, table.horizontalHeader().saveState(), name)

        header = table.horizontalHeader()
        header.sortIndicatorChanged.connect(lambda *_: save())
        header.sectionResized.connect(lambda *_: save())
        _OnFirstShow(table, lambda: QTimer.singleShot(0, restore))


class _OnFirstShow(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            self.then()
        return False


class RememberGeometry(QObject):
    """Every dialog of `main` (not message boxes or file dialogs) opens with the size and
    position it had when last closed, keyed by its object name (Picard's PreserveGeometry)."""

    def __init__(self, main: QWidget, settings: Settings) -> None:
        super().__init__(main)
        self.main = main
        self.settings = settings
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Hide):
            return False
        if not isinstance(watched, QDialog) or isinstance(watched, (QMessageBox, QFileDialog)):
            return False
        name = watched.objectName()
        if not name or not watched.isWindow() or not self._ours(watched):
            return False
        if kind == QEvent.Type.Show:
            geometry = self.settings.get(DIALOG_GEOMETRY, name)
            if not geometry.isEmpty():
                watched.restoreGeometry(geometry)
        else:
            self.settings.set(DIALOG_GEOMETRY, watched.saveGeometry(), name)
        return False

    def _ours(self, dialog: QWidget) -> bool:
        parent = dialog.parentWidget()
        while parent is not None:
            if parent is self.main:
                return True
            parent = parent.parentWidget()
        return False
