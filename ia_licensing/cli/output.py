"""What the command line prints: tables, JSON and notes on stdout; a warning, or the one line
that says why a command was refused or failed, on stderr; and the exit code that goes with it.

Exit 0 when done; 1 when refused or the input is invalid; 2 for a usage error (argparse's
own). Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import sys
import traceback
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.cli.table import print_table as print_table  # the tables: cli/table.py
from ia_licensing.cli.table import printable as printable
from ia_licensing.licensefile import LicenseFileError
from ia_licensing.models import DatabaseRefused
from ia_licensing.rules import Note, describe_character
from ia_licensing.services.errors import InvalidInput, Refused, ServiceError

EXIT_DONE = 0
EXIT_FAILED = 1  # refused, invalid input, or an error: one line on stderr says which
EXIT_USAGE = 2  # argparse exits with it after printing the usage
EXIT_INTERRUPTED = 130


class AlreadyReported(Exception):
    """The command printed why it failed already (audit verify's findings): exit 1."""


# Arguments that name files: any bytes a file name may hold are fine there.
_PATH_ARGUMENTS = frozenset(
    {"db", "trust_store", "file", "out", "private", "public", "signing_key"}
)


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse an argument that is not valid text (bytes that are not UTF-8 arrive as
    surrogates), naming it — before it can reach the database driver."""
    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS or (name == "license" and isinstance(value, str)):
            continue  # `init --license FILE` is a path; `issue --license` is a list
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            bad = next((c for c in text if unicodedata.category(c) == "Cs"), None)
            if bad is not None:
                flag = name.replace("_", "-")
                raise InvalidInput(
                    f"the {flag} argument {printable(text)!r} is not valid text (a byte "
                    f"that is not UTF-8: {describe_character(bad)}); type it again"
                )


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
    if isinstance(error, AlreadyReported):
        pass
    elif isinstance(error, Refused):
        warn(printable(str(error)))
    elif isinstance(error, LicenseFileError):
        warn(printable(f"refused ({error.rule}): {error}"))
    elif isinstance(error, ServiceError | DatabaseRefused):
        warn(printable(f"error: {error}"))
    elif isinstance(error, SQLAlchemyError):
        _debug(error)
        warn(f"error: database: {error.__class__.__name__}: {_first_line(error)}")
    elif isinstance(error, OSError):
        _debug(error)
        warn(printable(f"error: {describe_os_error(error)}"))
    else:  # the promise: no traceback ever reaches a user
        _debug(error)
        warn(f"error: unexpected {error.__class__.__name__}: {_first_line(error)}")
    return EXIT_FAILED


_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space there and try again",
    errno.EDQUOT: "the disk quota is used up: free some space and try again",
    errno.EROFS: "it is on a read-only disk or mount: choose a writable folder",
    errno.EACCES: "permission denied: choose a folder you may write to, or fix its permissions",
    errno.EPERM: "not permitted: choose a folder you may write to, or fix its permissions",
    errno.ENOENT: "no such file or folder: check the path (does the folder exist?)",
    errno.EISDIR: "it is a folder: give a file name",
    errno.ENOTDIR: "a part of the path is not a folder: check the path",
    errno.EFBIG: "the file would be too large for this disk or account: free space or limits",
    errno.EIO: "the disk reported an input/output error: check the disk and try again",
}


def describe_os_error(error: OSError) -> str:
    """A file problem in one sentence: which file, what happened, and what to do."""
    where = error.filename if error.filename is not None else "a file"
    advice = _ADVICE.get(error.errno or 0, error.strerror or str(error))
    return f"{where}: {advice}"


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [""])[0]


def _debug(error: BaseException) -> None:
    if os.environ.get("IA_LICENSING_DEBUG"):
        traceback.print_exception(error)
