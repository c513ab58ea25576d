"""What every container page shares: a header (the title, a count, a filter box) over one
table of a `RowTableModel` behind the one `SortFilterProxy`, set up once: whole rows
selected, nothing edited in place, alternating rows, fixed row heights (the view never
measures 50,000 rows), sorted by the first column, a context menu if the page has one.

Subclasses say what activating a row does (`activate`), what the context menu offers
(`context_menu`) and, for a page whose filter is not the proxy's, what filtering does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing.widgets import container_parts
from ia_licensing.widgets.container_parts import container_title, filter_box
from ia_licensing.widgets.empty_state import EmptyState
from ia_licensing.widgets.sort_proxy import SortFilterProxy
from ia_licensing.widgets.table_model import RowTableModel

# Keep numbers off the grid line on their right, names off the one on their left.
COMPACT_ITEMS = "QTableView::item { padding-left: 4px; padding-right: 6px; }"


class ContainerView(QWidget):
    # Compact: one line per row, a row as high as the text, padded cells, headers to the left.
    COMPACT: ClassVar[bool] = True
    MARGIN: ClassVar[int | None] = 8  # None: the style's
    SELECTION: ClassVar[QAbstractItemView.SelectionMode] = (
        QAbstractItemView.SelectionMode.ExtendedSelection
    )
    FILTER_DELAY_MS: ClassVar[int] = 0  # wait for a pause in typing before filtering
    NOUN: ClassVar[str] = ""  # counted beside the title ("1 of 3 stations") when set
    EMPTY: ClassVar[str] = "There are no items to show in this view."  # an empty table's text

    def __init__(
        self,
        model: RowTableModel[Any],
        *,
        title: str,
        name: str,
        view_name: str,
        accessible: str,
        table_accessible: str,
        filter_accessible: str,
        placeholder: str = "Filter by name",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(view_name)
        self.setAccessibleName(accessible)
        self.model = model
        if model.parent() is None:
            model.setParent(self)
        self.proxy = SortFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.heading = container_title(title)
        self.count_label = QLabel()
        self.count_label.setObjectName(f"{name}CountLabel")
        self.count_label.setAccessibleName(f"Number of {title.lower()}")
        if not self.NOUN:
            self.count_label.hide()
        self.filter_edit = filter_box(f"{name}Filter", filter_accessible, placeholder)
        if self.FILTER_DELAY_MS:
            self._filter_timer = QTimer(self)
            self._filter_timer.setSingleShot(True)
            self._filter_timer.setInterval(self.FILTER_DELAY_MS)
            self._filter_timer.timeout.connect(lambda: self.filter_changed(self.filter_edit.text()))
            self.filter_edit.textChanged.connect(self._filter_timer.start)
        else:
            self.filter_edit.textChanged.connect(self.filter_changed)
        self.bar = QHBoxLayout()
        for widget in (self.heading, self.count_label):
            self.bar.addWidget(widget)
        self.bar.addStretch(1)
        self.bar.addWidget(self.filter_edit)

        self.table = QTableView()
        self.table.setObjectName(f"{name}Table")
        self.table.setAccessibleName(table_accessible)
        self._set_up_table()
        self.page = QVBoxLayout(self)  # the header, the table, and what a subclass adds
        if self.MARGIN is not None:
            self.page.setContentsMargins(self.MARGIN, self.MARGIN, self.MARGIN, self.MARGIN)
        self.page.addLayout(self.bar)
        self.page.addWidget(self.table, 1)
        self.update_count()
        self._keyboard()
        # A row added or changed later (a new station with a note's icon) widens the name
        # column rather than being cut to "statio…".
        model.rowsInserted.connect(lambda _parent, first, last: self._fit_names(first, last))
        model.dataChanged.connect(lambda top, bottom, *_: self._fit_names(top.row(), bottom.row()))
        # Rows read after the first page replace them all: size on a sample, as Qt does.
        model.modelReset.connect(lambda: self._fit_names(0, min(model.rowCount(), 200) - 1))
        self.empty_state = EmptyState(
            self.table, self.proxy, self.EMPTY, "No item matches the filter."
        )

    def _keyboard(self) -> None:
        """Ctrl+F goes to the filter; Shift+F10 (and the Menu key) open the context menu
        for the current row; Tab and Shift+Tab leave the table (arrows move in it)."""
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, context=context)
        find.activated.connect(self.focus_filter)
        menu = QShortcut(
            QKeySequence("Shift+F10"), self.table, context=Qt.ShortcutContext.WidgetShortcut
        )
        menu.activated.connect(self.context_menu_at_current)
        self.table.setTabKeyNavigation(False)

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(self.SELECTION)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        rows, header = table.verticalHeader(), table.horizontalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Qt samples at most 200 rows when sizing columns to their contents.
        header.setResizeContentsPrecision(200)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if self.COMPACT:
            table.setWordWrap(False)
            table.setStyleSheet(COMPACT_ITEMS)
            rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
            header.setHighlightSections(False)
            header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Qt's default is descending
        table.setSortingEnabled(True)
        # `activated` is emitted for a double-click and for Enter/Return on the current row.
        table.activated.connect(self.activate)
        if type(self).context_menu is not ContainerView.context_menu:
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(self._context_menu)

    # --- hooks --------------------------------------------------------------------------------

    def activate(self, index: QModelIndex) -> None:
        """A double-click or Enter on a row."""

    def context_menu(self) -> QMenu | None:
        """The menu a right-click on the table shows (built afresh for the selection)."""
        return None

    def filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self.update_count()
        self.show_filtered(bool(text))

    def show_filtered(self, active: bool) -> None:
        """An empty table then says that the filter hides the rows, not that there are none."""
        self.empty_state.filter_active = active
        self.empty_state.update()

    # --- the table ----------------------------------------------------------------------------

    def _context_menu(self, point: QPoint) -> None:
        menu = self.context_menu()
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(point))

    def _fit_names(self, first: int, last: int) -> None:
        if last - first > 200 or not self.table.isVisible():
            return  # a first load is sized by the view itself, all at once
        column = 0
        metrics = self.table.fontMetrics()
        needed = 0
        for row in range(first, last + 1):
            index = self.model.index(row, column)
            width = metrics.horizontalAdvance(str(index.data() or ""))
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                icon = self.table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
                width += icon + 8
            needed = max(needed, width + 20)  # the cell's padding and the grid
        if needed > self.table.columnWidth(column):
            self.table.setColumnWidth(column, needed)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def context_menu_at_current(self) -> None:
        """The keyboard's context menu: at the current row, or the table's corner."""
        index = self.table.currentIndex()
        point = self.table.visualRect(index).center() if index.isValid() else QPoint(8, 8)
        if self.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu:
            self._context_menu(point)
        elif self.table.actions():
            menu = QMenu(self)
            menu.addActions(self.table.actions())
            menu.exec(self.table.viewport().mapToGlobal(point))

    def fit_columns(self, widest: int, padding: int = 0) -> None:
        container_parts.fit_columns(self.table, widest, padding)

    def update_count(self) -> None:
        if not self.NOUN:
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = self.NOUN if total == 1 else f"{self.NOUN}s"
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        )

    def row_at(self, index: QModelIndex) -> Any:
        """The row behind a cell of the table."""
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def rows_in_view(self) -> list[Any]:
        """The rows in the order shown (sorted and filtered)."""
        if self.proxy.rowCount() == self.model.rowCount():
            return self.model.rows  # the proxy keeps the source's (sorted) order
        return [self.row_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]

    def selected_rows(self) -> list[Any]:
        """The selected rows, in the order shown."""
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.row_at(i) for i in indexes]

    def current_row(self) -> Any:
        index = self.table.currentIndex()
        return self.row_at(index) if index.isValid() else None

    def index_of(self, key: Any) -> QModelIndex:
        """The table's index of the row with `key` (invalid if absent or filtered out)."""
        row = self.model.row_of(key)
        return self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()

    def select_key(self, key: Any) -> None:
        """Make the row with `key` current and selected, and show it."""
        index = self.index_of(key)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
