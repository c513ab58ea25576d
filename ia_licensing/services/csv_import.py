"""CSV import of stations and users with their licenses: checked once, then all-or-nothing.

Every row is checked with the same rules as adding one holder by hand (names, types, R10,
R2/R7/R8/R11–R13/R17, capacity R4 row after row, as if each row before it were already
added), in memory and in one pass: a bad row is reported with its line number and the next
rows are still checked. The result is kept (`ImportCheck`) so that Import writes what the
dry run checked without checking every row again (csv_import_write.py: only what the check
read is compared, under the write lock). Writing is in bulk, in one transaction; progress
and a cancel are plain callables, and a cancelled import writes nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, Note
from ia_licensing.services.csv_import_check import RowChecker
from ia_licensing.services.csv_import_write import (
    ImportProgress,
    IsCancelled,
    NewHolder,
    Plan,
    unchanged,
    write,
)
from ia_licensing.services.errors import Cancelled, InvalidInput, ServiceError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000


class ImportKind(StrEnum):
    STATIONS = "stations"
    USERS = "users"


COLUMNS = {
    ImportKind.STATIONS: (
        "name",
        "type",
        "licensed_machine_name",
        "enabled",
        "enable_licenses",
        "licenses",
    ),
    ImportKind.USERS: ("name", "method", "enable_licenses", "licenses"),
}
# Headers as an IA administrator writes them, mapped to ours.
_ALIASES = {
    "station_name": "name",
    "user_name": "name",
    "station_type": "type",
    "license_allocation_method": "method",
    "machine_name": "licensed_machine_name",
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    kind: ImportKind
    rows: int
    errors: tuple[RowError, ...]
    notes: tuple[Note, ...]
    applied: bool
    imported: tuple[str, ...] = ()  # the names written, in the file's order


def _header(names: list[str], kind: ImportKind) -> list[str]:
    header = []
    for raw in names:
        name = raw.strip().lower().replace(" ", "_").replace("-", "_")
        name = _ALIASES.get(name, name)
        if name not in COLUMNS[kind]:
            allowed = ", ".join(COLUMNS[kind])
            raise InvalidInput(f"line 1: unknown column {raw!r}; the columns are {allowed}")
        if name in header:
            raise InvalidInput(f"line 1: column {raw!r} appears twice")
        header.append(name)
    if "name" not in header:
        raise InvalidInput("line 1: the header has no name column")
    return header


def _rows(data: bytes, kind: ImportKind) -> list[tuple[int, dict[str, str]]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"the file is not UTF-8 text (byte {error.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        first = next(reader, None)
        if first is None:
            raise InvalidInput("the file is empty: a header line is required")
        header = _header(first, kind)
        rows = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                rows.append(
                    (
                        reader.line_num,
                        {"__error__": f"{len(fields)} fields; the header has {len(header)}"},
                    )
                )
            else:
                rows.append((reader.line_num, dict(zip(header, fields, strict=True))))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(f"more than {MAX_ROWS} rows")
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}: {error}") from None
    return rows


# --- one pass over the rows -------------------------------------------------------------------

PROGRESS_EVERY = 1000  # rows between progress reports and cancel checks


def _never() -> bool:
    return False


@dataclass(frozen=True)
class ImportCheck:
    """A file checked once: the verdict to show and what Import writes."""

    report: ImportReport
    plan: Plan
    rows: tuple[tuple[int, dict[str, str]], ...]  # parsed, to check again if need be


def _check(
    session: Session,
    kind: ImportKind,
    rows: list[tuple[int, dict[str, str]]] | tuple[tuple[int, dict[str, str]], ...],
    progress: ImportProgress | None,
    cancelled: IsCancelled,
) -> ImportCheck:
    checker = RowChecker(
        session, HolderKind.STATION if kind is ImportKind.STATIONS else HolderKind.USER
    )
    errors: list[RowError] = []
    notes: list[Note] = []
    holders: list[NewHolder] = []
    total = len(rows)
    for done, (line, row) in enumerate(rows):
        if done % PROGRESS_EVERY == 0:
            if cancelled():
                raise Cancelled("stopped: nothing was imported")
            if progress is not None:
                progress("checking", done, total)
        if "__error__" in row:
            errors.append(RowError(line, row["__error__"]))
            continue
        try:
            holder, more = checker.row(row)
        except ServiceError as error:
            errors.append(RowError(line, str(error)))
            continue
        holders.append(holder)
        notes += more
    if progress is not None:
        progress("checking", total, total)
    report = ImportReport(kind, total, tuple(errors), tuple(notes), applied=False)
    plan = Plan(checker.kind, tuple(holders), dict(checker.base))
    return ImportCheck(report, plan, tuple(rows))


def check(
    db: Database,
    kind: ImportKind | str,
    data: bytes,
    *,
    progress: ImportProgress | None = None,
    cancelled: IsCancelled = _never,
) -> ImportCheck:
    """The dry run: every row checked, nothing written; keep the result for `apply`."""
    kind = ImportKind(kind)
    rows = _rows(data, kind)
    with db.read() as session:
        return _check(session, kind, rows, progress, cancelled)


def apply(
    db: Database,
    checked: ImportCheck,
    *,
    progress: ImportProgress | None = None,
    cancelled: IsCancelled = _never,
) -> ImportReport:
    """Write a file `check` found clean, in one transaction. Its rows are checked again only
    when something the check read has changed since (a name taken, a count moved)."""
    if checked.report.errors:
        return checked.report
    with db.write() as session:
        if not unchanged(session, checked.plan):
            checked = _check(session, checked.report.kind, checked.rows, progress, cancelled)
            if checked.report.errors:
                return checked.report
        write(session, checked.plan, progress=progress, cancelled=cancelled)
    return _applied(checked)


def import_csv(
    db: Database,
    kind: ImportKind | str,
    data: bytes,
    *,
    dry_run: bool,
    progress: ImportProgress | None = None,
    cancelled: IsCancelled = _never,
) -> ImportReport:
    """Check every row; write all of them only if none is refused and it is not a dry run
    (checked and written in one write transaction: the command line's one pass)."""
    kind = ImportKind(kind)
    rows = _rows(data, kind)
    if dry_run:
        with db.read() as session:
            return _check(session, kind, rows, progress, cancelled).report
    with db.write() as session:
        checked = _check(session, kind, rows, progress, cancelled)
        if checked.report.errors:
            return checked.report
        write(session, checked.plan, progress=progress, cancelled=cancelled)
    return _applied(checked)


def _applied(checked: ImportCheck) -> ImportReport:
    return dataclasses.replace(checked.report, applied=True, imported=checked.plan.names)
