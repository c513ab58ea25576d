"""The GUI-driving helpers themselves, on small widgets rather than the whole console."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QListWidgetItem, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ia_licensing.dialogs.licensing_tab import KEY_ROLE
from ia_licensing.dialogs.load_license import LoadLicenseReviewDialog
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database
from ia_licensing.services import license_management
from tests.helpers.console import api_of
from tests.helpers.gui import click, item, listed, load_and_wait, review, status_notes
from tests.helpers.license_files import PUBLIC, signed, write

# The offscreen platform warns that it cannot propagate size hints when a window shows.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class Counter(QObject):
    """Like views/notes_counter.py: the count arrives as a queued signal after wait()."""

    counted = Signal(str)

    def wait(self) -> None:
        self.counted.emit("3 notes")


def test_status_notes_waits_for_the_count_and_delivers_it(qtbot: QtBot) -> None:
    label = QLabel("counting…")
    counter = Counter()
    counter.counted.connect(label.setText, Qt.ConnectionType.QueuedConnection)
    window = SimpleNamespace(notes_counter=counter, notes_label=label)
    assert status_notes(window) == "3 notes"  # type: ignore[arg-type]


def test_click_hits_a_wide_check_box_on_its_indicator(qtbot: QtBot) -> None:
    box = QCheckBox("Basic Station")
    qtbot.addWidget(box)
    box.resize(600, 30)  # the middle of the row is empty: a click there does nothing
    box.show()
    qtbot.waitExposed(box)
    click(qtbot, box)
    assert box.isChecked()


def test_click_presses_a_push_button(qtbot: QtBot) -> None:
    button = QPushButton("OK")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    with qtbot.waitSignal(button.clicked):
        click(qtbot, button)


def test_item_and_listed_find_list_entries_by_key(qtbot: QtBot) -> None:
    keys = QListWidget()
    qtbot.addWidget(keys)
    for key in ("I3_ACCESS_RECORDER", "MSCRM_INTEGRATION"):
        entry = QListWidgetItem(key.title())
        entry.setData(KEY_ROLE, key)
        keys.addItem(entry)
    tab = SimpleNamespace(additional_list=keys)
    assert listed(tab) == {"I3_ACCESS_RECORDER", "MSCRM_INTEGRATION"}  # type: ignore[arg-type]
    assert item(tab, "MSCRM_INTEGRATION").text() == "Mscrm_Integration"  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="I3_ACCESS_TRACKER not listed"):
        item(tab, "I3_ACCESS_TRACKER")  # type: ignore[arg-type]


def test_review_finds_the_open_review_and_load_and_wait_loads_it(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    trust = TrustStore.from_public_key_files(PUBLIC)
    path = write(tmp_path, "good.I3Lic", signed())
    closed = LoadLicenseReviewDialog(api_of(db, trust), path, parent=parent)
    closed.show()
    closed.reject()  # lingers as a child until deleted: review() skips it
    dialog = LoadLicenseReviewDialog(api_of(db, trust), path, parent=parent)
    dialog.show()
    assert review(qtbot, parent) is dialog  # type: ignore[arg-type]
    load_and_wait(qtbot, dialog)
    assert not dialog.isVisible()
    header = license_management.overview(db, trust).header
    assert header is not None and header.serial == 10  # in force now
