"""The text an empty container shows in its table, as MMC's "There are no items to show in
this view.": what the container would list, or that the filter hides every row."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel


class EmptyState(QObject):
    """A centred grey label over `view`'s viewport while `model` has no row."""

    def __init__(
        self, view: QAbstractItemView, model: QAbstractItemModel, text: str, filtered: str
    ) -> None:
        super().__init__(view)
        self.view, self.model = view, model
        self.text, self.filtered = text, filtered
        self.filter_active = False
        self.label = QLabel(view.viewport())
        self.label.setObjectName("emptyStateLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: palette(mid); padding: 24px;")
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(self.update)
        view.viewport().installEventFilter(self)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.label.setGeometry(self.view.viewport().rect())
        return False

    def update(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0
        self.label.setText(self.filtered if self.filter_active else self.text)
        self.label.setGeometry(self.view.viewport().rect())
        self.label.setVisible(empty)
