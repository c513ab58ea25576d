"""The Usage container (R33): for the chosen license, Concurrent In Use against Concurrent
Allowed over time (a QtCharts chart: peaks per hour or day, denials marked), the rows under
it, and both exported (the chart as PNG, the rows as CSV with cells neutralised, R37)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import (
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QPointF, Qt, QTimeZone
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ia_licensing import catalog
from ia_licensing.console_api import Period, ServiceError, UsageRow
from ia_licensing.widgets.container_parts import container_title
from ia_licensing.widgets.host import ConsoleHost
from ia_licensing.widgets.record_table_model import RecordTableModel

HEADERS = ("License", "Period Start (UTC)", "Peak In Use", "Allowed", "Denials")
COLUMNS = (
    ("Period Start (UTC)", lambda r: r.period_start.strftime("%Y-%m-%d %H:%M")),
    ("Peak In Use", lambda r: r.peak_in_use),
    ("Allowed", lambda r: r.allowed),
    ("Denials", lambda r: r.denials),
)
PERIODS = (("Hour", Period.HOUR), ("Day", Period.DAY))


def msecs(when: dt.datetime) -> float:
    """A stored time (naive UTC) as the chart's x: milliseconds since the epoch."""
    return when.replace(tzinfo=dt.UTC).timestamp() * 1000


def _button(text: str, name: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    return button


class UsageView(QWidget):
    def __init__(self, console: ConsoleHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usageContainer")
        self.setAccessibleName("Usage")
        self.api, self.console = console.api, console
        self.rows: list[UsageRow] = []

        self.key_combo = QComboBox()
        self.key_combo.setObjectName("usageKeyCombo")
        self.key_combo.setAccessibleName("License to show")
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("usagePeriodCombo")
        self.period_combo.setAccessibleName("Period")
        for text, period in PERIODS:
            self.period_combo.addItem(text, period)
        self.export_chart_button = _button(
            "Export Chart…", "usageExportChartButton", "Export the chart as a PNG image"
        )
        self.export_rows_button = _button(
            "Export Rows…", "usageExportRowsButton", "Export the rows as CSV"
        )
        bar = QHBoxLayout()
        bar.addWidget(container_title("Usage"))
        bar.addStretch(1)
        for caption, widget in (("&License:", self.key_combo), ("&Period:", self.period_combo)):
            label = QLabel(caption)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.export_chart_button)
        bar.addWidget(self.export_rows_button)

        self.in_use = QLineSeries()
        self.in_use.setName("Concurrent In Use (peak)")
        self.allowed = QLineSeries()
        self.allowed.setName("Concurrent Allowed")
        self.denials = QScatterSeries()
        self.denials.setName("Denials")
        self.denials.setMarkerSize(10)
        self.denials.setColor(QColor("#c0392b"))
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        for series in (self.in_use, self.allowed, self.denials):
            self.chart.addSeries(series)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setTitleText("Local time")
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText("Licenses")
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.in_use, self.allowed, self.denials):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("usageChart")
        self.chart_view.setAccessibleName("Concurrent In Use against Concurrent Allowed")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)

        self.model = RecordTableModel[UsageRow](COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("usageTable")
        self.table.setAccessibleName("Usage per period")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(180)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.table)

        self.key_combo.currentIndexChanged.connect(self.show_key)
        self.period_combo.currentIndexChanged.connect(self.show_key)
        self.export_chart_button.clicked.connect(self.export_chart)
        self.export_rows_button.clicked.connect(self.export_rows)
        self.refresh()

    @property
    def key(self) -> str | None:
        data = self.key_combo.currentData()
        return str(data) if data else None

    def refresh(self) -> None:
        chosen = self.key
        keys = self.api.usage_keys()
        self.key_combo.blockSignals(True)
        self.key_combo.clear()
        for key in keys:
            self.key_combo.addItem(catalog.describe(key).display_name, key)
        if chosen in keys:
            self.key_combo.setCurrentIndex(keys.index(chosen))
        self.key_combo.blockSignals(False)
        self.show_key()

    def show_key(self) -> None:
        key = self.key
        try:
            self.rows = self.api.usage_rows(key, by=self.period_combo.currentData()) if key else []
        except ServiceError as error:
            self.console.report(str(error))
            self.rows = []
        self.model.set_rows(self.rows)
        self.in_use.replace([QPointF(msecs(r.period_start), r.peak_in_use) for r in self.rows])
        self.allowed.replace([QPointF(msecs(r.period_start), r.allowed) for r in self.rows])
        self.denials.replace(
            [QPointF(msecs(r.period_start), r.peak_in_use) for r in self.rows if r.denials]
        )
        self.chart.setTitle(
            f"{catalog.describe(key).display_name}: Concurrent In Use against Allowed"
            if key
            else "No usage recorded yet"
        )
        self._fit_axes()
        self.export_chart_button.setEnabled(bool(self.rows))
        self.export_rows_button.setEnabled(bool(self.rows))

    def _fit_axes(self) -> None:
        utc = QTimeZone.utc()
        day = self.period_combo.currentData() == Period.DAY
        self.x_axis.setFormat("yyyy-MM-dd" if day else "MM-dd HH:mm")
        if self.rows:
            first, last = msecs(self.rows[0].period_start), msecs(self.rows[-1].period_start)
            last = max(last, first + 3_600_000)
            self.x_axis.setRange(
                QDateTime.fromMSecsSinceEpoch(int(first), utc),
                QDateTime.fromMSecsSinceEpoch(int(last), utc),
            )
        top = max((max(r.peak_in_use, r.allowed) for r in self.rows), default=1)
        self.y_axis.setRange(0, top + 1)
        self.y_axis.applyNiceNumbers()  # whole, round ticks: 0, 10, 20 … not 0, 5.1, 10.2

    def export_chart(self) -> None:
        chosen = self.console.file_chooser.save_file(self, "Export Chart", "PNG image (*.png)")
        if chosen and not self.chart_view.grab().save(chosen.path, "PNG"):
            self.console.report(f"The chart could not be written to {chosen.path}.")

    def export_rows(self) -> None:
        chosen = self.console.file_chooser.save_file(self, "Export Rows", "CSV file (*.csv)")
        if not chosen:
            return
        data = self.api.table_csv(
            HEADERS,
            (
                (
                    catalog.describe(r.key).display_name,
                    r.period_start.isoformat(timespec="minutes"),
                    r.peak_in_use,
                    r.allowed,
                    r.denials,
                )
                for r in self.rows
            ),
        )
        try:
            self.api.save_report_file(chosen.path, data)
        except ServiceError as error:
            self.console.report(str(error))
