"""What every container's header shares: its title, as IA shows the selected container,
and a filter box; named for tests and screen readers."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit


def container_title(text: str) -> QLabel:
    title = QLabel(text)
    title.setObjectName("containerTitle")
    title.setAccessibleName(f"{text} container title")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    title.setFont(font)
    return title


def filter_box(object_name: str, accessible: str, placeholder: str = "Filter by name") -> QLineEdit:
    box = QLineEdit()
    box.setObjectName(object_name)
    box.setAccessibleName(accessible)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    box.setMaximumWidth(320)
    return box
