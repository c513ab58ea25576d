"""F1: a short help text for the screen in view, named after Interaction Administrator's
section, as IA's F1 opens its help topic for the container or dialog in view.

`help_for(title)` finds the topic for a container's name or a dialog's window title (its
words before " - "); `HelpKey` is the application-wide F1 that shows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

# (IA's section, what the screen is for), by container name or dialog title.
TOPICS: dict[str, tuple[str, str]] = {
    "Users": (
        "People ▸ Users",
        "Each user with the licenses allocated to them. Double-click a user (or press "
        "Enter) for User Configuration; Insert adds a user, Delete removes the selected ones; "
        "the Action menu and the context menu allocate or remove a license in bulk.",
    ),
    "Workgroups": (
        "People ▸ Workgroups",
        "Each ACD workgroup queue with its interaction types and members. Double-click a "
        "workgroup for Workgroup Configuration; the notes under the list say which members "
        "lack the ACD licenses the queue needs.",
    ),
    "Stations": (
        "Stations",
        "Each station with its licenses. Double-click a station for Station Configuration; "
        "Insert opens the Add Station wizard; Delete removes the selected stations.",
    ),
    "Licenses Allocation": (
        "System Configuration ▸ Licenses Allocation",
        "Each access license with how many the license file allows and how many are "
        "configured and in use. Double-click a license for License Configuration.",
    ),
    "Sessions": (
        "Sessions",
        "The users logged on now, their stations and the licenses they hold. Log Off ends "
        "the selected sessions and releases their Concurrent licenses.",
    ),
    "Notes": (
        "Compliance notes",
        "Every compliance note in force, with the rule it comes from in the Rule column. "
        "Double-click a note to open the dialog where it can be resolved.",
    ),
    "Audit": (
        "Audit trail",
        "Every change made to the licenses, stations, users and workgroups: who made it, "
        "when, and the values before and after.",
    ),
    "License Configuration": (
        "Licenses Allocation ▸ License Configuration",
        "The stations, users or workgroups that hold one access license. Add and Remove "
        "change the list; Apply saves it; << and >> move to the previous or next license.",
    ),
    "Station Configuration": (
        "Stations ▸ Station Configuration",
        "A station's settings and, on the Licensing tab, the licenses allocated to it.",
    ),
    "User Configuration": (
        "Users ▸ User Configuration",
        "A user's licenses: the license type (Concurrent or Assignable), Enable Licenses "
        "and the Additional Licenses.",
    ),
    "Add Station": (
        "Stations ▸ Add Station",
        "The Add Station wizard: the station's name and type, then its licenses.",
    ),
    "Add User": ("Users ▸ Add User", "A new user's name and licenses."),
    "License Management": (
        "File ▸ License Management",
        "The license file in force: its features, its host id and when it expires. Load "
        "License replaces it after a review of what would change.",
    ),
    "Load License": (
        "License Management ▸ Load License",
        "What the new license file would change. Load applies it; Cancel (the default) "
        "keeps the license in force.",
    ),
    "Workgroup Configuration": (
        "Workgroups ▸ Workgroup Configuration",
        "A workgroup's ACD queue: its interaction types and its members.",
    ),
    "Import": (
        "File ▸ Import",
        "Stations or users from a CSV file: a dry run lists what would change first.",
    ),
}

GENERAL = (
    "IA Licensing console",
    "Choose a container in the tree on the left; F6 moves between the tree and the "
    "container, Ctrl+F goes to the filter and Shift+F10 opens the context menu.",
)


def help_for(title: str) -> tuple[str, str]:
    """The topic of a container name or a dialog title ("Station Configuration - s1")."""
    name = title.split(" - ")[0].strip().rstrip(".")
    for topic, text in TOPICS.items():
        if name == topic or name.startswith(topic + " "):
            return text
    return GENERAL


def show_help(parent: QWidget, title: str) -> QMessageBox:
    section, text = help_for(title)
    box = QMessageBox(QMessageBox.Icon.Information, f"Help - {section}", text, parent=parent)
    box.setObjectName("helpBox")
    box.setInformativeText(f"In Interaction Administrator: {section}.")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class HelpKey(QObject):
    """F1 anywhere in the application: help for the active dialog, or for the container in
    view (`container()` names it) when the main window is active."""

    def __init__(self, main: QWidget, container: Callable[[], str]) -> None:
        super().__init__(main)
        self.main = main
        self.container = container
        self.shown: QMessageBox | None = None
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_F1 or not isinstance(watched, QWidget):
            return False
        window = watched.window()
        if window is self.main:
            title = self.container()
        elif window.objectName() == "helpBox":
            return False
        elif isinstance(window, QDialog) and window.parentWidget() is not None:
            if window.window() is not window or not _belongs(window, self.main):
                return False
            title = window.windowTitle()
        else:
            return False
        self.shown = show_help(window, title)
        return True


def _belongs(widget: QWidget, main: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is main:
            return True
        parent = parent.parentWidget()
    return False
