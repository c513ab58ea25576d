"""The allocation report as PDF, written by Qt's own PDF writer (QPdfWriter): the table's
header repeated on every page, and each page's footer saying when and "Page N of M"."""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ia_licensing.services.report import (
    ALLOCATION_HEADERS,
    AllocationReport,
    ReportNotWritten,
    allocation_values,
    save_file,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QTextDocument


def _ensure_gui_application() -> None:
    """QPdfWriter needs a QGuiApplication; the command line may have no display."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication([sys.argv[0] if sys.argv else "ia-licensing"])


def _table(
    headers: tuple[str, ...],
    rows: list[tuple[str | int, ...]],
    flag_last: bool,
    widths: tuple[int, ...],
) -> str:
    head = "".join(
        f"<th width='{w}%'>{html.escape(h)}</th>" for h, w in zip(headers, widths, strict=True)
    )
    body = []
    for row in rows:
        flagged = flag_last and bool(row[-1])
        cells = "".join(
            f"<td align='{'right' if isinstance(v, int) else 'left'}'>{html.escape(str(v))}</td>"
            for v in row
        )
        shade = " bgcolor='#fff1d6'" if flagged else ""
        body.append(f"<tr{shade}>{cells}</tr>")
    return (
        "<table width='100%' cellspacing='0' cellpadding='3' border='1' style='border-collapse:"
        f"collapse; border-color:#b8c2cc'><tr bgcolor='#e4e9ef'>{head}</tr>{''.join(body)}</table>"
    )


def report_html(report: AllocationReport) -> str:
    notes = [(n.rule, n.subject, n.message) for n in report.notes]
    notes_html = (
        _table(("Rule", "Subject", "Compliance note"), notes, False, (6, 30, 64))  # type: ignore[arg-type]
        if notes
        else "<p>No compliance notes.</p>"
    )
    return (
        "<html><body style='font-family: sans-serif; font-size: 8pt'>"
        f"<h2>{html.escape(report.title)}</h2>"
        f"<p style='color:#505a64'>{html.escape(report.subtitle)}</p>"
        + _table(
            ALLOCATION_HEADERS,
            [allocation_values(r) for r in report.rows],
            True,
            (30, 9, 9, 9, 9, 9, 25),
        )
        + "<h3>Compliance notes</h3>"
        + notes_html
        + "</body></html>"
    )


FOOTER_HEIGHT = 28  # pixels at the writer's 96 dpi: one line of 8 pt text and a gap


def footer_text(report: AllocationReport, page: int, pages: int) -> str:
    return f"Generated {report.generated} · Page {page} of {pages}"


def paginate(report: AllocationReport, width: float, height: float) -> tuple[QTextDocument, int]:
    """The report laid out on pages of `width` × `height` (a footer's height kept free), its
    tables' header rows repeated at the top of every page; and the number of pages."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument, QTextTable

    document = QTextDocument()
    document.setHtml(report_html(report))
    for frame in document.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            table_format = frame.format()
            table_format.setHeaderRowCount(1)
            frame.setFormat(table_format)
    document.setPageSize(QSizeF(width, height - FOOTER_HEIGHT))
    return document, document.pageCount()


def write_pdf(report: AllocationReport, path: str | Path) -> Path:
    """Render in memory, check the result is a whole PDF, then write it all or nothing
    (services.report.save_file): a missing folder, a folder as target or a full disk is a
    ReportNotWritten naming the file, never a silent success."""
    return save_file(path, pdf_bytes(report))


def pdf_bytes(report: AllocationReport) -> bytes:
    _ensure_gui_application()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    # QTextDocument lays out at screen resolution; at the writer's default 1200 dpi the
    # text would come out a twelfth of its size.
    writer.setResolution(96)
    writer.setTitle(report.title)
    writer.setCreator("IA Licensing console")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    width, height = writer.width(), writer.height()
    document, pages = paginate(report, width, height)
    body = document.pageSize().height()
    painter = QPainter(writer)
    font = QFont(painter.font())
    font.setPointSizeF(8)
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body)
            document.drawContents(painter, QRectF(0, page * body, width, body))
            painter.restore()
            painter.setFont(font)
            painter.drawText(
                QRectF(0, height - FOOTER_HEIGHT, width, FOOTER_HEIGHT),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                footer_text(report, page + 1, pages),
            )
    finally:
        painter.end()
    del writer  # finishes the file
    buffer.close()
    produced = bytes(data.data())
    if not produced.startswith(b"%PDF-") or b"%%EOF" not in produced[-64:]:
        raise ReportNotWritten("the PDF report could not be produced; nothing was written")
    return produced
