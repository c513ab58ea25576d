"""The containers of the console's left-hand tree, in Interaction Administrator's order,
and how each one's page is built. A container's page is any QWidget; if it has a
`refresh()` method, the main window calls it after every change (F5, commits, undo).
Pages get the window as a `ConsoleHost` (dialogs/host.py), never the window's class.

Adding a container: an enum value, a row in TREE, a factory in PAGES.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtWidgets import QStyle, QWidget

from ia_licensing.views.audit_view import AuditView
from ia_licensing.views.licenses_allocation_view import LicensesAllocationView
from ia_licensing.views.notes_view import NotesView
from ia_licensing.views.sessions_view import SessionsView
from ia_licensing.views.stations_view import StationsView
from ia_licensing.views.usage_view import UsageView
from ia_licensing.views.users_view import UsersView
from ia_licensing.views.workgroups_view import WorkgroupsView
from ia_licensing.widgets.host import ConsoleHost


class Container(StrEnum):
    USERS = "Users"
    WORKGROUPS = "Workgroups"
    STATIONS = "Stations"
    LICENSES_ALLOCATION = "Licenses Allocation"
    SESSIONS = "Sessions"
    USAGE = "Usage"
    NOTES = "Notes"
    AUDIT = "Audit"


PEOPLE = "People"
SERVER = ""  # the server's own node, named after its machine

# (parent node, container, icon), in the order the tree shows them.
TREE: tuple[tuple[str, Container, QStyle.StandardPixmap], ...] = (
    (PEOPLE, Container.USERS, QStyle.StandardPixmap.SP_FileDialogContentsView),
    (PEOPLE, Container.WORKGROUPS, QStyle.StandardPixmap.SP_DirLinkIcon),
    (SERVER, Container.STATIONS, QStyle.StandardPixmap.SP_DesktopIcon),
    (SERVER, Container.LICENSES_ALLOCATION, QStyle.StandardPixmap.SP_FileDialogDetailedView),
    (SERVER, Container.SESSIONS, QStyle.StandardPixmap.SP_DriveNetIcon),
    (SERVER, Container.USAGE, QStyle.StandardPixmap.SP_FileDialogListView),
    (SERVER, Container.NOTES, QStyle.StandardPixmap.SP_MessageBoxWarning),
    (SERVER, Container.AUDIT, QStyle.StandardPixmap.SP_FileDialogInfoView),
)


def _licenses_allocation(window: ConsoleHost) -> QWidget:
    view = LicensesAllocationView(window.api)
    view.license_configuration_requested.connect(window.open_license_configuration)
    return view


def _notes(window: ConsoleHost) -> QWidget:
    view = NotesView(window.api)
    view.activated.connect(window.open_note_subject)
    return view


def _sessions(window: ConsoleHost) -> QWidget:
    return SessionsView(window)


def _usage(window: ConsoleHost) -> QWidget:
    return UsageView(window)


def _audit(window: ConsoleHost) -> QWidget:
    return AuditView(window.api)


def _stations(window: ConsoleHost) -> QWidget:
    return StationsView(window)


def _users(window: ConsoleHost) -> QWidget:
    return UsersView(window)


def _workgroups(window: ConsoleHost) -> QWidget:
    return WorkgroupsView(window)


PAGES: dict[Container, Callable[[ConsoleHost], QWidget]] = {
    Container.USERS: _users,
    Container.WORKGROUPS: _workgroups,
    Container.STATIONS: _stations,
    Container.LICENSES_ALLOCATION: _licenses_allocation,
    Container.SESSIONS: _sessions,
    Container.USAGE: _usage,
    Container.NOTES: _notes,
    Container.AUDIT: _audit,
}


def build_page(container: Container, window: ConsoleHost) -> QWidget:
    return PAGES[container](window)
