"""The parts IA's configuration dialogs share: << and >>, Confirm auto-save, a refusal
line, and OK, Cancel and Apply, with the behaviour administrators know from IA.

License Configuration, Station and User Configuration and Workgroup Configuration build
their bottom rows from these, so the names tests and screen readers use stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QPushButton, QWidget

from ia_licensing.widgets.container_parts import keep_place
from ia_licensing.widgets.prompts import Prompts, SaveAnswer

REFUSAL_STYLE = "color: #b00020; font-weight: bold;"


def refusal_label() -> QLabel:
    """Where a refused change says why (hidden until there is something to say)."""
    label = QLabel()
    label.setObjectName("refusalLabel")
    label.setAccessibleName("Refusal")
    label.setStyleSheet(REFUSAL_STYLE)
    label.setWordWrap(True)
    label.setText(" ")  # one line's height kept while hidden (keep_place)
    keep_place(label)
    label.hide()
    return label


def navigation_button(text: str, object_name: str, accessible: str) -> QPushButton:
    """<< or >>: narrow, never the default button."""
    button = QPushButton(text)
    button.setObjectName(object_name)
    button.setAccessibleName(accessible)
    button.setToolTip(accessible)
    button.setAutoDefault(False)
    button.setMaximumWidth(button.fontMetrics().horizontalAdvance("<<<<") + 16)
    return button


def confirm_auto_save_box(tooltip: str) -> QCheckBox:
    box = QCheckBox("Confirm auto-save")
    box.setObjectName("confirmAutoSaveCheckBox")
    box.setAccessibleName("Confirm auto-save")
    box.setToolTip(tooltip)
    box.setChecked(True)
    return box


def ok_cancel_apply(
    object_name: str,
    ok: Callable[[], object],
    cancel: Callable[[], object],
    apply: Callable[[], object],
) -> tuple[QDialogButtonBox, QPushButton, QPushButton, QPushButton]:
    """OK, Cancel and Apply, named okButton, cancelButton and applyButton."""
    box = QDialogButtonBox()
    box.setObjectName(object_name)
    buttons = []
    for standard, name, action in (
        (QDialogButtonBox.StandardButton.Ok, "okButton", ok),
        (QDialogButtonBox.StandardButton.Cancel, "cancelButton", cancel),
        (QDialogButtonBox.StandardButton.Apply, "applyButton", apply),
    ):
        button = box.addButton(standard)
        button.setObjectName(name)
        button.setAccessibleName(button.text().replace("&", ""))
        button.clicked.connect(lambda _=False, act=action: act())
        buttons.append(button)
    ok_button, cancel_button, apply_button = buttons
    return box, ok_button, cancel_button, apply_button


def leave_allowed(
    dialog: QWidget,
    prompts: Prompts,
    confirm_auto_save: QCheckBox,
    *,
    dirty: bool,
    closing: bool,
    apply: Callable[[], bool],
    subject: str,
) -> bool:
    """Confirm auto-save: checked, ask before leaving unsaved edits; cleared, save them on
    << and >> (IA saves there) and discard them on closing without OK, like Cancel."""
    if not dirty:
        return True
    if not confirm_auto_save.isChecked():
        return True if closing else apply()
    answer = prompts.ask_save(
        dialog, dialog.windowTitle(), f"Save the changes to {subject} before leaving?"
    )
    if answer is SaveAnswer.SAVE:
        return apply()
    return answer is SaveAnswer.DISCARD


def neighbour(order: Sequence[str], current: str, step: int) -> str | None:
    """The item `step` places from `current` in the container's order, if there is one."""
    if current not in order:
        return None
    position = order.index(current) + step
    return order[position] if 0 <= position < len(order) else None
