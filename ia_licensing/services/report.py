"""The allocation report: Licenses Allocation, the compliance notes and the license in
force, dated and naming this server — as CSV here, as PDF in ia_licensing.report_pdf."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ia_licensing.models import Database, LicenseFile
from ia_licensing.rules import Note, neutralise_cell
from ia_licensing.services import allocation, compliance, setup
from ia_licensing.services.allocation import AllocationRow
from ia_licensing.services.errors import ServiceError

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


class ReportNotWritten(ServiceError):
    """The report file could not be written; nothing was left at the target."""


_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space there and export again",
    errno.EDQUOT: "the disk quota is used up; free some space and export again",
    errno.EFBIG: "the file is too large for that disk or account; free space or choose another",
    errno.EROFS: "that disk is read-only; choose a writable folder",
    errno.EACCES: "permission denied; choose a folder you may write to",
    errno.EPERM: "not permitted; choose a folder you may write to",
    errno.EIO: "the disk reported an input/output error; check it and export again",
}


def save_file(path: str | Path, data: bytes) -> Path:
    """Write a report all or nothing: into a temporary file beside the target, flushed to
    disk, then renamed over it. A missing folder, a folder as target, a full or read-only
    disk raise ReportNotWritten naming the file and what to do; no partial file remains."""
    target = Path(path)
    if target.is_dir():
        raise ReportNotWritten(
            f"cannot write the report to {target}: it is a folder; give a file name"
        )
    folder = target.parent
    if not folder.is_dir():
        raise ReportNotWritten(
            f"cannot write the report {target}: the folder {folder} does not exist; "
            "create it or choose another folder"
        )
    # A device or pipe (/dev/stdout) is written as it is; a file is replaced atomically.
    special = target.exists() and not target.is_file()
    temporary = target if special else folder / f".{target.name}.{os.getpid()}.partial"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            if not special:
                os.fsync(handle.fileno())
        if not special:
            os.replace(temporary, target)
    except OSError as error:
        if not special:
            temporary.unlink(missing_ok=True)
        advice = _ADVICE.get(error.errno or 0, error.strerror or str(error))
        raise ReportNotWritten(
            f"cannot write the report {target}: {advice}; nothing was written"
        ) from None
    return target


def to_csv(report: AllocationReport) -> str:
    """The Licenses Allocation table as one plain table, its header on the first line, so a
    spreadsheet or a script reads it as it is. The heading (date, server, license in force)
    and the compliance notes are the PDF's (docs/decisions.md). Every text cell that a
    spreadsheet would run as a formula is neutralised (R37)."""
    out = io.StringIO()
    writer = _NeutralisingWriter(csv.writer(out, lineterminator="\r\n"))
    writer.writerow(ALLOCATION_HEADERS)
    writer.writerows(allocation_values(r) for r in report.rows)
    return out.getvalue()


class _NeutralisingWriter:
    """A csv writer whose text cells never start like a formula (R37)."""

    def __init__(self, writer: Any) -> None:  # a csv writer (its type is private)
        self._writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise_cell(c) if isinstance(c, str) else c for c in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(report: AllocationReport) -> bytes:
    """The CSV report as written to a file: UTF-8 with a byte-order mark (Excel)."""
    return to_csv(report).encode("utf-8-sig")


def table_csv_bytes(headers: Sequence[str], rows: Iterable[Iterable[object]]) -> bytes:
    """Any table as a CSV file (UTF-8 with a byte-order mark), cells neutralised (R37)."""
    out = io.StringIO()
    writer = _NeutralisingWriter(csv.writer(out, lineterminator="\r\n"))
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
