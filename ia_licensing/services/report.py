"""The allocation report: Licenses Allocation, the compliance notes and the license in
force, dated and naming this server — as CSV here, as PDF in ia_licensing.report_pdf."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select

from ia_licensing.models import Database, LicenseFile
from ia_licensing.rules import Note
from ia_licensing.services import allocation, compliance, setup
from ia_licensing.services.allocation import AllocationRow

# The report's allocation table, in IA's words for the Licenses Allocation columns:
# (title, AllocationRow field).
ALLOCATION_COLUMNS = (
    ("Name", "name"),
    ("Assignable Allowed", "assignable_allowed"),
    ("Assignable Configured", "assignable_configured"),
    ("Concurrent Allowed", "concurrent_allowed"),
    ("Concurrent Configured", "concurrent_configured"),
    ("Concurrent In Use", "concurrent_in_use"),
    ("Notes", "notes"),
)
ALLOCATION_HEADERS = tuple(title for title, _ in ALLOCATION_COLUMNS)


def allocation_values(row: AllocationRow) -> tuple[str | int, ...]:
    """One row of the allocation table, column by column."""
    values: tuple[str | int, ...] = tuple(getattr(row, f) for _, f in ALLOCATION_COLUMNS)
    return values


@dataclass(frozen=True)
class AllocationReport:
    generated_at: dt.datetime
    host_id: str
    machine_name: str
    license_in_force: str
    rows: tuple[AllocationRow, ...]
    notes: tuple[Note, ...]

    @property
    def title(self) -> str:
        return f"Licenses Allocation — {self.machine_name} (host id {self.host_id})"

    @property
    def generated(self) -> str:
        """When, with its zone: "2025-03-01 10:30 UTC+01:00"."""
        at = self.generated_at if self.generated_at.tzinfo else self.generated_at.astimezone()
        offset = at.strftime("%z") or "+0000"
        return f"{at:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:5]}"

    @property
    def subtitle(self) -> str:
        return f"Generated {self.generated} · License: {self.license_in_force}"


def build(db: Database, now: dt.datetime | None = None) -> AllocationReport:
    server = setup.server(db)
    with db.read() as session:
        current = session.scalar(select(LicenseFile).where(LicenseFile.in_force))
        license_text = (
            f"{current.license_type}, serial {current.serial}, generated {current.generated}, "
            f"expires {current.expires}"
            if current
            else "none loaded"
        )
    return AllocationReport(
        generated_at=now or dt.datetime.now().astimezone(),
        host_id=server.host_id,
        machine_name=server.machine_name,
        license_in_force=license_text,
        rows=tuple(allocation.allocations(db)),
        notes=tuple(compliance.notes(db)),
    )


def to_csv(report: AllocationReport) -> str:
    """The Licenses Allocation table as one plain table, its header on the first line, so a
    spreadsheet or a script reads it as it is. The heading (date, server, license in force)
    and the compliance notes are the PDF's (docs/decisions.md)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ALLOCATION_HEADERS)
    writer.writerows(allocation_values(r) for r in report.rows)
    return out.getvalue()
