"""CSV import of stations and users with their licenses: dry run first, then all-or-nothing.

Every row goes through the same use case as adding one holder by hand (so every rule
applies, capacity included, row after row), inside one transaction with a savepoint per
row: a bad row is reported with its line number and the next rows are still checked.
If any row is bad, or it is a dry run, the whole transaction is rolled back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from ia_licensing.models import Database
from ia_licensing.rules import Note
from ia_licensing.services.errors import InvalidInput, ServiceError
from ia_licensing.services.holders import resolve_key
from ia_licensing.services.stations import add_station_in
from ia_licensing.services.users import add_user_in

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
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0"}


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


def _flag(value: str, column: str, default: bool = True) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"{column} is yes or no, not {value!r}")


def _keys(value: str) -> frozenset[str]:
    return frozenset(resolve_key(k) for k in value.replace("|", ";").split(";") if k.strip())


def _add_row(session: Session, kind: ImportKind, row: dict[str, str]) -> list[Note]:
    keys = _keys(row.get("licenses", ""))
    licenses_enabled = _flag(row.get("enable_licenses", ""), "enable_licenses")
    if kind is ImportKind.STATIONS:
        return add_station_in(
            session,
            row["name"],
            (row.get("type") or "workstation").strip().lower().replace(" ", "-"),
            machine_name=row.get("licensed_machine_name", "").strip() or None,
            enabled=_flag(row.get("enabled", ""), "enabled"),
            licenses_enabled=licenses_enabled,
            keys=keys,
        )
    add_user_in(
        session,
        row["name"],
        (row.get("method") or "assignable").strip(),
        licenses_enabled=licenses_enabled,
        keys=keys,
    )
    return []


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


def import_csv(db: Database, kind: ImportKind | str, data: bytes, *, dry_run: bool) -> ImportReport:
    """Check every row; apply all of them only if none is refused and it is not a dry run."""
    kind = ImportKind(kind)
    rows = _rows(data, kind)
    errors: list[RowError] = []
    notes: list[Note] = []
    with db.write() as session:
        for line, row in rows:
            if "__error__" in row:
                errors.append(RowError(line, row["__error__"]))
                continue
            _try_row(session, kind, line, row, errors, notes.extend)
        applied = not errors and not dry_run
        if not applied:
            session.rollback()
    return ImportReport(kind, len(rows), tuple(errors), tuple(notes), applied)


def _try_row(
    session: Session,
    kind: ImportKind,
    line: int,
    row: dict[str, str],
    errors: list[RowError],
    keep_notes: Callable[[list[Note]], None],
) -> None:
    savepoint = session.begin_nested()
    try:
        keep_notes(_add_row(session, kind, row))
        savepoint.commit()
    except ServiceError as error:
        savepoint.rollback()
        errors.append(RowError(line, str(error)))
