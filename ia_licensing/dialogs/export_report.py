"""Export the allocation report (Licenses Allocation, notes, license in force) as CSV or
PDF from the console: the same report as `ia-licensing export allocations`."""

from __future__ import annotations

from pathlib import Path

from ia_licensing.models import Database
from ia_licensing.services import report

FILE_FILTER = "PDF report (*.pdf);;CSV report (*.csv)"


def export_report(db: Database, path: str | Path) -> Path:
    """Write the report; the format follows the file's extension (.pdf, else CSV)."""
    target = Path(path)
    built = report.build(db)
    if target.suffix.lower() == ".pdf":
        from ia_licensing.report_pdf import write_pdf

        write_pdf(built, target)
    else:
        if target.suffix.lower() != ".csv":
            target = target.with_suffix(".csv")
        target.write_text(report.to_csv(built), encoding="utf-8-sig", newline="")
    return target
