"""Choosing a file to open or save: the real file dialogs, or a scripted chooser in tests."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget


class FileChooser(Protocol):
    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None: ...

    def save_file(self, parent: QWidget, title: str, file_filter: str) -> str | None: ...


class DialogFileChooser:
    """The real file dialogs; tests give the window a scripted chooser instead."""

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
        return path or None

    def save_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, "", file_filter)
        return path or None
