"""What the console does with an error no code expected: no traceback on the screen.

Rule refusals and bad input are ServiceErrors, shown where they happen. Anything else that
escapes a slot (a disk that is full, a database locked longer than the busy timeout) lands
in sys.excepthook: the traceback goes to a rotating log file for support (the standard
`logging` module, at most a few hundred kilobytes kept), and the administrator gets one
plain sentence. A crash in Qt's own code, which no hook sees, is written next to it by
`faulthandler`. Nothing partial was stored: every change is one transaction, rolled back
when it raises (models/database.py).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from sqlalchemy.exc import OperationalError

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]

LOG_BYTES = 256 * 1024  # per file; one older file is kept
_faults: IO[str] | None = None  # kept open for faulthandler for the life of the process


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


def error_logger(log: Path) -> logging.Logger | None:
    """The logger that writes to `log`, rotating it; None when the folder cannot be made."""
    logger = logging.getLogger(f"ia_licensing.unexpected.{log}")
    if logger.handlers:
        return logger
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log, maxBytes=LOG_BYTES, backupCount=1, encoding="utf-8", delay=True
        )
    except OSError:  # the report is a courtesy: never fail while reporting a failure
        return None
    handler.setFormatter(logging.Formatter("--- %(asctime)s\n%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    return logger


def write_report(
    log: Path, kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> bool:
    logger = error_logger(log)
    if logger is None:
        return False
    try:
        logger.error("%s", type(error).__name__, exc_info=(kind, error, tb))
        for handler in logger.handlers:
            handler.flush()
    except OSError:
        return False
    return log.exists()


def make_hook(show: Callable[[str], None], log: Path) -> Hook:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        written = write_report(log, kind, error, tb)
        show(message_for(error, log if written else None))

    return hook


def install(show: Callable[[str], None], log: Path | None = None) -> None:
    global _faults
    target = log or default_log_path()
    sys.excepthook = make_hook(show, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _faults = target.with_name("faults.log").open("a", encoding="utf-8")
        faulthandler.enable(_faults)
    except OSError:
        faulthandler.enable()  # at least to the terminal
