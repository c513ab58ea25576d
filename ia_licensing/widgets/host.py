"""What views and dialogs need of the console's main window, and nothing more.

Screens take a `ConsoleHost` instead of the main window itself, so that nothing below
`app` imports it (no arrow back up) and a test can hand a screen a small fake.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStatusBar, QWidget

from ia_licensing.console_api import ConsoleApi, DatedNote
from ia_licensing.widgets.file_chooser import FileChooser
from ia_licensing.widgets.prompts import Prompts


class ConsoleHost(Protocol):
    api: ConsoleApi
    prompts: Prompts
    undo_stack: QUndoStack
    file_chooser: FileChooser

    def window(self) -> QWidget:
        """The top-level widget: the parent of window-modal dialogs (QWidget.window)."""
        ...

    def statusBar(self) -> QStatusBar: ...

    def refresh(self) -> None:
        """After a change: every container, the counts, the notes and the status bar."""
        ...

    def report(self, message: str) -> None:
        """An error an administrator must read (status bar and a message box)."""
        ...

    def open_license_configuration(self, key: str, keys: Sequence[str] = ()) -> None: ...

    def open_note_subject(self, note: DatedNote) -> None: ...
