"""The allocation report (issue 17): a CSV that is one plain table, a PDF whose table header
repeats on every page, whose pages are numbered, and whose time carries its zone."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from ia_licensing.models import Database
from ia_licensing.report_pdf import footer_text, paginate, write_pdf
from ia_licensing.services import report
from ia_licensing.services.allocation import AllocationRow

NOW = dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _long_report(db: Database, rows: int = 120) -> report.AllocationReport:
    built = report.build(db, now=NOW)
    fake = tuple(AllocationRow(f"K{i}", f"Key number {i}", i, i, 0, 0, 0, "") for i in range(rows))
    return dataclasses.replace(built, rows=fake)


def test_the_csv_is_one_table_with_its_header_first(db: Database) -> None:
    text = report.to_csv(report.build(db, now=NOW))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(report.ALLOCATION_HEADERS)
    assert all(len(r) == len(rows[0]) for r in rows)
    assert len(rows) == 1 + len(report.build(db).rows)


def test_the_report_time_has_its_zone() -> None:
    assert (
        "2025-03-01 10:30 UTC+01:00"
        in report.AllocationReport(NOW, "H", "M", "none loaded", (), ()).subtitle
    )


def test_the_pdf_repeats_the_table_header_and_numbers_its_pages(
    qapp: object, db: Database, tmp_path: Path
) -> None:
    built = _long_report(db)
    document, pages = paginate(built, width=1000, height=700)
    assert pages >= 3
    tables = [f for f in document.rootFrame().childFrames() if hasattr(f, "format")]
    assert any(t.format().headerRowCount() == 1 for t in tables)  # type: ignore[attr-defined]
    assert (
        footer_text(built, 2, pages) == f"Generated 2025-03-01 10:30 UTC+01:00 · Page 2 of {pages}"
    )
    out = tmp_path / "long.pdf"
    write_pdf(built, out)
    count = re.search(rb"/Type\s*/Pages.*?/Count\s+(\d+)", out.read_bytes(), re.DOTALL)
    assert count is not None and int(count.group(1)) >= 3
