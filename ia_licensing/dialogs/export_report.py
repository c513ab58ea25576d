"""Export the allocation report (Licenses Allocation, notes, license in force) as CSV or
PDF from the console: the same report as `ia-licensing export allocations`."""

from __future__ import annotations

from pathlib import Path

from ia_licensing.console_api import ConsoleApi

FILE_FILTER = "PDF report (*.pdf);;CSV report (*.csv)"


def export_report(api: ConsoleApi, path: str | Path) -> Path:
    """Write the report; the format follows the file's extension (.pdf, else CSV)."""
    target = Path(path)
    built = api.allocation_report()
    if target.suffix.lower() == ".pdf":
        from ia_licensing.report_pdf import write_pdf

        write_pdf(built, target)
    else:
        if target.suffix.lower() != ".csv":
            target = target.with_suffix(".csv")
        api.save_report_file(target, api.report_csv(built).encode("utf-8-sig"))
    return target
