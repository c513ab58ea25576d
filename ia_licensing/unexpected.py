"""What the console does with an error no code expected: no traceback on the screen.

Rule refusals and bad input are ServiceErrors, shown where they happen. Anything else that
escapes a slot (a disk that is full, a database locked longer than the busy timeout) lands
in sys.excepthook: the traceback is appended to a log file for support, and the
administrator gets one plain sentence. Nothing partial was stored: every change is one
transaction, rolled back when it raises (models/database.py).
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import OperationalError

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def default_log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("ia-licensing", appauthor=False) / "errors.log"


def message_for(error: BaseException, log: Path | None) -> str:
    if isinstance(error, OperationalError) and "locked" in str(error.orig):
        what = (
            "The database stayed busy with another change for too long, so this change "
            "was not made. Try again in a moment."
        )
    else:
        what = (
            f"Something unexpected went wrong ({type(error).__name__}: {error}). "
            "The change in progress was not saved; nothing partial was stored."
        )
    where = f"\n\nDetails for support were written to {log}." if log else ""
    return what + where


def write_report(
    log: Path, kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> bool:
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            out.write("".join(traceback.format_exception(kind, error, tb)))
        return True
    except OSError:  # the report is a courtesy: never fail while reporting a failure
        return False


def make_hook(show: Callable[[str], None], log: Path) -> Hook:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        written = write_report(log, kind, error, tb)
        show(message_for(error, log if written else None))

    return hook


def install(show: Callable[[str], None], log: Path | None = None) -> None:
    sys.excepthook = make_hook(show, log or default_log_path())
