"""Every dialog button and field reachable with Alt and a letter, as in Windows dialogs.

`give_mnemonics(dialog)` underlines a letter in each push button, check box, radio button
and labelled field (a label with a buddy) that has none, keeping those a dialog already
set, with one letter per control where the words allow it: the first letter of a word
first, then any letter. Apply always takes A (Alt+A applies, as in IA); OK and Cancel
take none (Enter and Esc are theirs, as Windows has it). `MnemonicsOnShow` does it for
every dialog of the console the first time it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

NO_MNEMONIC = frozenset({"OK", "Cancel", "Close", "<<", ">>"})


def _marked(text: str) -> str | None:
    i = text.find("&")
    while i != -1 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1].lower()
        i = text.find("&", i + 2)
    return None


def _choose(text: str, used: set[str]) -> int | None:
    starts = [
        i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalnum())
    ]
    rest = [i for i, ch in enumerate(text) if ch.isalnum() and i not in starts]
    for i in starts + rest:
        if text[i].lower() not in used:
            return i
    # Every letter taken: share one (Alt and the letter then move between the controls, as
    # in Windows dialogs), but never Apply's A.
    shared = [i for i in starts + rest if text[i].lower() != "a"]
    return shared[0] if shared else None


def _controls(dialog: QWidget) -> list[tuple[QWidget, str]]:
    found: list[tuple[QWidget, str]] = []
    for widget in dialog.findChildren(QWidget):
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if (isinstance(widget, QAbstractButton) or labelled) and widget.text():  # type: ignore[attr-defined]
            found.append((widget, widget.text()))  # type: ignore[attr-defined]
    return found


def give_mnemonics(dialog: QWidget) -> None:
    controls = _controls(dialog)
    used = {m for _w, text in controls if (m := _marked(text)) is not None}
    for widget, text in controls:  # Apply first: Alt+A applies
        if text.replace("&", "") == "Apply" and _marked(text) is None:
            _set(widget, "&Apply")
            used.add("a")
    for widget, text in controls:
        plain = text.replace("&", "")
        if _marked(text) is not None or plain in NO_MNEMONIC or plain == "Apply":
            continue
        at = _choose(text, used)
        if at is None:
            continue
        used.add(text[at].lower())
        _set(widget, text[:at] + "&" + text[at:])


def _set(widget: QWidget, text: str) -> None:
    if isinstance(widget, (QAbstractButton, QLabel)):
        widget.setText(text)


class MnemonicsOnShow(QObject):
    """Gives every dialog of the main window `parent` its mnemonics when first shown."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.main = parent
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Show or not isinstance(watched, QDialog):
            return False
        if isinstance(watched, (QMessageBox, QFileDialog)) or watched.property("mnemonics"):
            return False
        ancestor = watched.parentWidget()
        while ancestor is not None and ancestor is not self.main:
            ancestor = ancestor.parentWidget()
        if ancestor is None:
            return False
        watched.setProperty("mnemonics", True)
        give_mnemonics(watched)
        return False
