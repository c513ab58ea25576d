"""Export the allocation report (Licenses Allocation, notes, license in force) as CSV or
PDF from the console: the same report as `ia-licensing export allocations`."""

from __future__ import annotations

import re
from pathlib import Path

from ia_licensing.console_api import ConsoleApi

FILE_FILTER = "PDF report (*.pdf);;CSV report (*.csv)"


def suffix_of(selected_filter: str) -> str:
    """The extension a file type filter names: "PDF report (*.pdf)" -> ".pdf"."""
    match = re.search(r"\*(\.\w+)", selected_filter)
    return match.group(1).lower() if match else ""


def export_report(api: ConsoleApi, path: str | Path, selected_filter: str = "") -> Path:
    """Write the report; the format follows the file's extension (.pdf or .csv), or, for a
    name without one of them, the file type chosen in the dialog (CSV if none was)."""
    target = Path(path)
    if target.suffix.lower() not in (".pdf", ".csv") and suffix_of(selected_filter) == ".pdf":
        target = target.with_suffix(".pdf")
    built = api.allocation_report()
    if target.suffix.lower() == ".pdf":
        from ia_licensing.report_pdf import write_pdf

        write_pdf(built, target)
    else:
        if target.suffix.lower() != ".csv":
            target = target.with_suffix(".csv")
        api.save_report_file(target, api.report_csv(built).encode("utf-8-sig"))
    return target
