"""What the command line prints: tables, JSON and notes on stdout; a warning, or the one line
that says why a command was refused or failed, on stderr; and the exit code that goes with it.

Exit 0 when done; 1 when refused or the input is invalid; 2 for a usage error (argparse's
own). Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.licensefile import LicenseFileError
from ia_licensing.rules import Note
from ia_licensing.services.errors import Refused, ServiceError

EXIT_DONE = 0
EXIT_FAILED = 1  # refused, invalid input, or an error: one line on stderr says which
EXIT_USAGE = 2  # argparse exits with it after printing the usage
EXIT_INTERRUPTED = 130


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    text = [[str(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]
    for row in [list(headers), *text]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


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
