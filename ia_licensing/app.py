"""The console's main window, in Interaction Administrator's manner, and its start-up.

A tree of containers on the left (the server, People ▸ Users and Workgroups, Stations,
Licenses Allocation), the selected container on the right; Edit ▸ Undo and Redo over one
QUndoStack shared by every dialog; a status bar with this server and the number of
compliance notes. `create_main_window` is the seam tests and tools use (DESIGN.md).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ia_licensing import DESKTOP_NAME, PRODUCT, __version__, catalog, unexpected
from ia_licensing.console_api import ConsoleApi, DatedNote, ServerInfo, license_type_name
from ia_licensing.containers import PEOPLE, SERVER, TREE, Container, build_page
from ia_licensing.dialogs import load_license
from ia_licensing.dialogs.data_menu import export_to_file
from ia_licensing.dialogs.holder_picker import Chooser
from ia_licensing.dialogs.license_configuration import LicenseConfigurationDialog
from ia_licensing.dialogs.license_management import open_license_management
from ia_licensing.licensefile import TrustStore
from ia_licensing.menus import build_menus
from ia_licensing.models import Database, default_database_path
from ia_licensing.views.actions import install_action_menu
from ia_licensing.views.change_watcher import DatabaseChangeWatcher
from ia_licensing.views.licenses_allocation_view import LicensesAllocationView
from ia_licensing.views.notes_counter import UNAVAILABLE, NotesCounter
from ia_licensing.widgets import settings as remembered
from ia_licensing.widgets.file_chooser import DialogFileChooser, FileChooser
from ia_licensing.widgets.help import HelpKey, show_help
from ia_licensing.widgets.mnemonics import MnemonicsOnShow
from ia_licensing.widgets.prompts import Prompts
from ia_licensing.widgets.words import sentence

ORGANIZATION = "ia-licensing"
APPLICATION = PRODUCT
CONTAINER_ROLE = Qt.ItemDataRole.UserRole + 1
LAST_CONTAINER = remembered.LAST_CONTAINER.key


def default_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        *,
        settings: QSettings | None = None,
        prompts: Prompts | None = None,
        choose_holders: Chooser | None = None,
        trust: TrustStore | None = None,
        file_chooser: FileChooser | None = None,
    ) -> None:
        super().__init__()
        self.db = db  # the window owns the database; screens reach it only through `api`
        self.trust = trust if trust is not None else TrustStore.default()
        self.api = ConsoleApi(db, self.trust)
        self.settings = settings if settings is not None else default_settings()
        self.remembered = remembered.Settings(self.settings)  # the one typed registry
        self.prompts = prompts or Prompts()
        self.choose_holders = choose_holders
        self.file_chooser: FileChooser = file_chooser or DialogFileChooser(self.remembered)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        self.license_configuration_dialog: LicenseConfigurationDialog | None = None
        self.setObjectName("mainWindow")
        self.setAccessibleName(PRODUCT)
        self.setWindowIcon(self._icon(QStyle.StandardPixmap.SP_ComputerIcon))
        self.server: ServerInfo | None = self.api.server()
        machine = self.server.machine_name if self.server else "not initialised"
        self.setWindowTitle(f"{PRODUCT} - {machine}")

        self.stack = QStackedWidget()
        self.stack.setObjectName("containerStack")
        self.stack.setAccessibleName("Container contents")
        # Pages are built the first time they are shown: start-up reads only what it shows.
        self._pages: dict[Container, QWidget] = {}
        self._stale: set[QWidget] = set()

        self.tree = self._build_tree(machine)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setAccessibleName("Containers and contents")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([185, 1095])
        self.setCentralWidget(self.splitter)

        actions = build_menus(self)
        # Tests and tools reach the menus' actions through these.
        self.license_management_action: QAction = actions.license_management
        self.load_license_action: QAction = actions.load_license
        self.undo_action: QAction = actions.undo
        self.redo_action: QAction = actions.redo
        self.refresh_action: QAction = actions.refresh
        self._build_actions()
        self.help_key = HelpKey(self, self._container_name)
        self.dialog_geometry = remembered.RememberGeometry(self, self.remembered)
        self.mnemonics = MnemonicsOnShow(self)
        next_pane = QShortcut(QKeySequence(Qt.Key.Key_F6), self)
        next_pane.activated.connect(self.next_pane)
        previous_pane = QShortcut(QKeySequence("Shift+F6"), self)
        previous_pane.activated.connect(self.next_pane)
        self._build_status_bar()
        self.setAcceptDrops(True)  # an .I3Lic file dropped on the window is loaded
        self.undo_stack.indexChanged.connect(self.refresh)
        self.change_watcher = DatabaseChangeWatcher(self.api, self)
        self.change_watcher.changed.connect(self.refresh)
        self._restore()

    # --- building ---------------------------------------------------------------------------

    def _icon(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        return self.style().standardIcon(pixmap)

    def _build_tree(self, machine: str) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("containerTree")
        tree.setAccessibleName("Containers")
        tree.setHeaderHidden(True)
        tree.setUniformRowHeights(True)
        server = QTreeWidgetItem(tree, [machine])
        server.setIcon(0, self._icon(QStyle.StandardPixmap.SP_ComputerIcon))
        people = QTreeWidgetItem(server, [PEOPLE])
        people.setIcon(0, self._icon(QStyle.StandardPixmap.SP_DirIcon))
        parents = {PEOPLE: people, SERVER: server}
        self._items: dict[Container, QTreeWidgetItem] = {}
        for parent, container, pixmap in TREE:
            item = QTreeWidgetItem(parents[parent], [container.value])
            item.setIcon(0, self._icon(pixmap))
            item.setData(0, CONTAINER_ROLE, container.value)
            self._items[container] = item
        tree.expandAll()
        tree.currentItemChanged.connect(self._container_chosen)
        return tree

    def _build_actions(self) -> None:
        """The Action menu (after Edit, before View) and the toolbar, as MMC has them."""
        self.container_actions, self.action_menu, self.toolbar = install_action_menu(
            self, self.stack, self.refresh, lambda: export_to_file(self, self.file_chooser)
        )

    def _build_status_bar(self) -> None:
        self.notes_counter = NotesCounter(self.api, self)
        self.notes_counter.counted.connect(self._show_notes_count)
        self.server_label = QLabel()
        self.server_label.setObjectName("serverStatus")
        self.server_label.setAccessibleName("Server")
        self.license_label = QLabel()
        self.license_label.setObjectName("licenseStatus")
        self.license_label.setAccessibleName("License in force")
        self.notes_label = QLabel()
        self.notes_label.setObjectName("complianceNotesStatus")
        self.notes_label.setAccessibleName("Compliance notes")
        self.notes_label.setText("Compliance notes: counting…")
        for label in (self.license_label, self.server_label, self.notes_label):
            # Sunken panels, as in the status bars of Windows administration tools.
            label.setFrameStyle(QFrame.Shape.Panel | QFrame.Shadow.Sunken)
            label.setContentsMargins(4, 0, 4, 0)
        status = self.statusBar()
        status.setObjectName("statusBar")
        status.addPermanentWidget(self.license_label)
        status.addPermanentWidget(self.server_label)
        status.addPermanentWidget(self.notes_label)
        if self.server:
            # Short enough for the three panels to fit at 800 pixels; the tooltip says it all.
            self.server_label.setText(f"Server: {self.server.machine_name} ({self.server.host_id})")
            self.server_label.setToolTip(
                f"Server {self.server.machine_name}, host id {self.server.host_id}, "
                f"{self.server.product}"
            )
        else:
            self.server_label.setText("Server: not initialised (run ia-licensing init)")
        self._update_notes()

    # --- behaviour -------------------------------------------------------------------------

    def _container_chosen(self, item: QTreeWidgetItem | None) -> None:
        value = item.data(0, CONTAINER_ROLE) if item is not None else None
        if value is None:
            return
        container = Container(value)
        page = self.page(container)
        self.stack.setCurrentWidget(page)
        if page in self._stale:
            self._refresh_page(page)
        self.remembered.set(remembered.LAST_CONTAINER, container.value)

    def _container_name(self) -> str:
        container = self.current_container
        return container.value if container is not None else ""

    def show_help(self) -> None:
        """Help ▸ Help Topics and F1: the topic of the container in view."""
        show_help(self, self._container_name())

    def next_pane(self) -> None:
        """F6: from the tree to the container in view, and back."""
        if self.tree.hasFocus():
            page = self.stack.currentWidget()
            table = getattr(page, "table", None)
            target = table if isinstance(table, QWidget) else page
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.tree.setFocus(Qt.FocusReason.TabFocusReason)

    def show_container(self, container: Container) -> None:
        self.tree.setCurrentItem(self._items[container])

    @property
    def current_container(self) -> Container | None:
        item = self.tree.currentItem()
        value = item.data(0, CONTAINER_ROLE) if item is not None else None
        return Container(value) if value else None

    @property
    def licenses_allocation(self) -> LicensesAllocationView:
        page = self.page(Container.LICENSES_ALLOCATION)
        assert isinstance(page, LicensesAllocationView)
        return page

    def page(self, container: Container) -> QWidget:
        if container not in self._pages:
            self._pages[container] = page = build_page(container, self)
            self.stack.addWidget(page)
            table = getattr(page, "table", None)
            if isinstance(table, QTableView):  # its sort and column widths are remembered
                self.remembered.remember_table(table, container.value)
        return self._pages[container]

    def open_station_configuration(self, name: str) -> None:
        self.show_container(Container.STATIONS)
        self.page(Container.STATIONS).open_configuration(name)  # type: ignore[attr-defined]

    def open_user_configuration(self, name: str) -> None:
        self.show_container(Container.USERS)
        self.page(Container.USERS).open_configuration(name)  # type: ignore[attr-defined]

    def open_license_management(self) -> None:
        open_license_management(self)

    def open_note_subject(self, note: DatedNote) -> None:
        """The Notes container's double-click: the dialog where the note can be resolved."""
        if note.rule == "R6":
            info = catalog.find(note.subject)
            if info is not None:
                self.open_license_configuration(info.key)
        elif note.rule == "R9":
            self.open_station_configuration(note.subject)
        elif note.rule == "R18":
            self.open_user_configuration(note.subject)
        elif note.rule == "R28":
            self.open_license_management()
        elif note.rule == "R35":  # resolved by allocating Recorder, to a station or a user
            self.open_license_configuration(catalog.RECORDER)

    def refresh(self) -> None:
        """F5, and after every commit, undo and redo: the visible container repaints what
        changed; the others are brought up to date when they are next shown."""
        current = self.stack.currentWidget()
        self._stale = {page for page in self._pages.values() if page is not current}
        if current is not None:
            self._refresh_page(current)
        self._update_notes()

    def _refresh_page(self, page: QWidget) -> None:
        self._stale.discard(page)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def _show_notes_count(self, count: int) -> None:
        shown = "unavailable" if count == UNAVAILABLE else str(count)
        self.notes_label.setText(f"Compliance notes: {shown}")

    def _update_notes(self) -> None:
        self.notes_counter.request()  # counted off the GUI thread (views/notes_counter.py)
        lic = self.api.license_in_force()
        if lic is None:
            summary = "License: none in force"
        else:
            expires = "perpetual" if lic.perpetual else f"expires {lic.expires}"
            kind = license_type_name(lic.license_type.value)  # "Ordered Development"
            summary = f"License: {kind} (serial {lic.serial}), {expires}"
        notes = "; ".join(n.message for n in self.api.license_notes())  # R28
        self.license_label.setText(" — ".join(filter(None, [summary, notes])))
        self.license_label.setStyleSheet(load_license.WARNING_STYLE if notes else "")
        self.license_label.setToolTip(notes)  # the panel may be too narrow for every note

    def dragEnterEvent(self, event: QDropEvent) -> None:  # a QDragEnterEvent is a QDropEvent
        load_license.accept_license_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        load_license.drop_license_file(self, event)

    def report(self, message: str) -> None:
        message = sentence(message)
        self.statusBar().showMessage(message, 10_000)
        self.prompts.error(self, PRODUCT, message)

    def open_license_configuration(self, key: str, keys: Sequence[str] = ()) -> None:
        dialog = LicenseConfigurationDialog(
            self.api,
            list(keys) or self.licenses_allocation.keys_in_view(),
            key,
            undo_stack=self.undo_stack,
            prompts=self.prompts,
            choose_holders=self.choose_holders,
            report=self.report,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.committed.connect(lambda _key: self.refresh())
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.license_configuration_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: LicenseConfigurationDialog) -> None:
        if self.license_configuration_dialog is dialog:
            self.license_configuration_dialog = None
            self.licenses_allocation.select_key(dialog.key)

    # --- remembered between sessions ----------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.remembered.get(remembered.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.remembered.get(remembered.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        sizes = self.remembered.get(remembered.SPLITTER)
        if not sizes.isEmpty():
            self.splitter.restoreState(sizes)
        last = self.remembered.get(remembered.LAST_CONTAINER)
        known = {c.value for c in Container}
        self.show_container(Container(last) if last in known else Container.LICENSES_ALLOCATION)

    def save_settings(self) -> None:
        self.remembered.set(remembered.WINDOW_GEOMETRY, self.saveGeometry())
        self.remembered.set(remembered.WINDOW_STATE, self.saveState())
        self.remembered.set(remembered.SPLITTER, self.splitter.saveState())
        self.remembered.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.notes_counter.wait()  # the database is closed after the window
        QThreadPool.globalInstance().waitForDone()  # and after any read still running
        super().closeEvent(event)


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # The window's class (X11's WM_CLASS, Wayland's app id) is the product's, not python's.
    app = QApplication([DESKTOP_NAME, *sys.argv[1:1]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_NAME)
    return app


def create_main_window(
    database: str | None = None,
    *,
    settings: QSettings | None = None,
    prompts: Prompts | None = None,
    choose_holders: Chooser | None = None,
    trust: TrustStore | None = None,
    file_chooser: FileChooser | None = None,
) -> MainWindow:
    """Build the console on `database` (default: the user's database), show it and return.

    Reuses the QApplication that exists (or creates one) and does not enter the event loop.
    Like the command line, it first re-verifies the license in force and recounts the
    counters, so allowed or configured counts edited in the database are never shown; what
    was rewritten is said in the status bar and recorded in the audit trail. `trust` adds
    to the keys the database has recorded (R36).
    """
    app = _application()
    trust = trust if trust is not None else TrustStore.default()
    db = Database(database or str(default_database_path()))
    repaired = ConsoleApi(db, trust).check_at_start()
    window = MainWindow(
        db,
        settings=settings,
        prompts=prompts,
        choose_holders=choose_holders,
        trust=trust,
        file_chooser=file_chooser,
    )
    if repaired:
        window.statusBar().showMessage(" ".join(sentence(w) for w in repaired))
    window._application = app  # type: ignore[attr-defined]  # keep a created app alive
    app.aboutToQuit.connect(db.close)
    window.show()
    return window


def run(database: str, trust_store: str | None = None) -> int:
    """Open the console on `database` and run the event loop until the window closes."""
    app = _application()
    trust = TrustStore.from_directory(trust_store) if trust_store else None
    window = create_main_window(database, trust=trust)
    unexpected.install(lambda text: window.prompts.error(window, APPLICATION, text))
    return app.exec()
