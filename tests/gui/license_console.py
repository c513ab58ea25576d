"""What the License Management and Load License tests share: reaching the review dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ia_licensing.app import MainWindow
from ia_licensing.dialogs.load_license import LoadLicenseReviewDialog


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def review(qtbot: QtBot, window: MainWindow) -> LoadLicenseReviewDialog:
    """The review dialog now open (a closed one may linger until Qt deletes it)."""

    def open_reviews() -> list[LoadLicenseReviewDialog]:
        return [d for d in window.findChildren(LoadLicenseReviewDialog) if d.isVisible()]

    qtbot.waitUntil(lambda: len(open_reviews()) == 1)
    dialog = open_reviews()[0]
    qtbot.waitExposed(dialog)
    return dialog


def load_and_wait(qtbot: QtBot, dialog: LoadLicenseReviewDialog) -> None:
    with qtbot.waitSignal(dialog.loaded):
        qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
