"""What the containers and their tables share: the title, as IA shows the selected
container, a filter box (named for tests and screen readers), and column sizing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QWidget


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


def fit_columns(table: QTableView, widest: int, padding: int = 0) -> None:
    """Columns sized to their contents (and `padding` pixels), but none wider than `widest`
    pixels, so that a long message cannot push the columns after it out of sight; its
    tooltip shows it whole."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, min(header.sectionSize(column) + padding, widest))


def keep_place(widget: QWidget) -> None:
    """A line that comes and goes (a refusal) keeps its place while hidden, so that what is
    around it (the Additional Licenses list) does not jump when it appears."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
