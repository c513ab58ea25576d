"""What the command line prints: tables, JSON and notes on stdout; a warning, or the one line
that says why a command was refused or failed, on stderr; and the exit code that goes with it.

Exit 0 when done; 1 when refused or the input is invalid; 2 for a usage error (argparse's
own). Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.cli.table import print_table as print_table  # the tables: cli/table.py
from ia_licensing.licensefile import LicenseFileError
from ia_licensing.rules import Note
from ia_licensing.services.errors import Refused, ServiceError

EXIT_DONE = 0
EXIT_FAILED = 1  # refused, invalid input, or an error: one line on stderr says which
EXIT_USAGE = 2  # argparse exits with it after printing the usage
EXIT_INTERRUPTED = 130


def json_time(value: dt.datetime) -> str:
    """A stored time (naive UTC, as the database keeps it) in ISO 8601 with its offset."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.isoformat(timespec="seconds")


def table_time(value: dt.datetime) -> str:
    """A stored time as a table shows it: local time, to the second, with its offset."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone().isoformat(" ", "seconds")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return json_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def print_json(value: Any) -> None:
    """JSON on stdout; every timestamp in it ISO 8601 with its UTC offset."""
    print(json.dumps(value, indent=2, default=_json_value))


def print_notes(notes: Sequence[Note]) -> None:
    for note in notes:
        print(f"note ({note.rule}): {note.subject}: {note.message}")


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def report_failure(error: Exception) -> int:
    """Print the one stderr line for the error that ended a command; return its exit code."""
    if isinstance(error, Refused):
        warn(str(error))
    elif isinstance(error, LicenseFileError):
        warn(f"refused ({error.rule}): {error}")
    elif isinstance(error, ServiceError):
        warn(f"error: {error}")
    elif isinstance(error, SQLAlchemyError):
        _debug(error)
        warn(f"error: database: {error.__class__.__name__}: {_first_line(error)}")
    elif isinstance(error, OSError):
        warn(f"error: {error}")
    else:  # the promise: no traceback ever reaches a user
        _debug(error)
        warn(f"error: unexpected {error.__class__.__name__}: {_first_line(error)}")
    return EXIT_FAILED


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [""])[0]


def _debug(error: BaseException) -> None:
    if os.environ.get("IA_LICENSING_DEBUG"):
        traceback.print_exception(error)
