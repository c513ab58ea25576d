"""Choosing a file to open or save: the real file dialogs, or a scripted chooser in tests.

The real dialogs open in the folder last used for that kind of file (the settings
registry remembers it), suggest a file name when saving, and say which file type filter
was chosen, so that a name typed without an extension is saved as that type.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ia_licensing.widgets.settings import LAST_FOLDER, Settings


@dataclass(frozen=True)
class Chosen:
    """A file to save, and the file type filter the user had chosen ("PDF report (*.pdf)")."""

    path: str
    selected_filter: str = ""


class FileChooser(Protocol):
    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None: ...

    def save_file(
        self, parent: QWidget, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None: ...


def folder_kind(title: str) -> str:
    """The remembered folder's name: one per dialog title ("Export Report", "Load License")."""
    return "".join(ch for ch in title.title() if ch.isalnum()) or "files"


class DialogFileChooser:
    """The real file dialogs; tests give the window a scripted chooser instead."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self.last_dialog: QFileDialog | None = None  # for tests: the dialog open now

    def _dialog(self, parent: QWidget, title: str, file_filter: str) -> QFileDialog:
        dialog = QFileDialog(parent, title)
        dialog.setObjectName("fileDialog")
        dialog.setNameFilter(file_filter)
        if self.settings is not None:
            folder = self.settings.get(LAST_FOLDER, folder_kind(title))
            if folder and Path(folder).is_dir():
                dialog.setDirectory(folder)
        self.last_dialog = dialog
        return dialog

    def _remember(self, title: str, path: str) -> None:
        if self.settings is not None:
            self.settings.set(LAST_FOLDER, str(Path(path).parent), folder_kind(title))

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        dialog = self._dialog(parent, title, file_filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = dialog.selectedFiles()[0]
        self._remember(title, path)
        return path

    def save_file(
        self, parent: QWidget, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        dialog = self._dialog(parent, title, file_filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if suggested:
            dialog.selectFile(suggested)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = dialog.selectedFiles()[0]
        self._remember(title, path)
        return Chosen(path, dialog.selectedNameFilter())
