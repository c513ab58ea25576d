"""An error no code expected reaches the administrator as one plain sentence and the log
file as a full traceback; a database locked too long is said in its own words."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import OperationalError

from ia_licensing import unexpected


def raised(error: BaseException) -> tuple[type[BaseException], BaseException, TracebackType | None]:
    try:
        raise error
    except BaseException:
        kind, value, tb = sys.exc_info()
        assert kind is not None and value is not None
        return kind, value, tb


def test_an_unexpected_error_is_logged_and_told_in_one_sentence(tmp_path: Path) -> None:
    shown: list[str] = []
    log = tmp_path / "logs" / "errors.log"
    hook = unexpected.make_hook(shown.append, log)
    kind, value, tb = raised(ValueError("disk quota exceeded"))
    hook(kind, value, tb)
    [text] = shown
    assert "ValueError: disk quota exceeded" in text and "nothing partial was stored" in text
    assert str(log) in text and "Traceback" not in text
    report = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in report and "raise error" in report


def test_a_locked_database_is_said_plainly(tmp_path: Path) -> None:
    shown: list[str] = []
    locked = OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
    kind, value, tb = raised(locked)
    unexpected.make_hook(shown.append, tmp_path / "errors.log")(kind, value, tb)
    assert shown[0].startswith("The database stayed busy with another change for too long")


def test_a_log_that_cannot_be_written_still_tells_the_administrator(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    shown: list[str] = []
    kind, value, tb = raised(RuntimeError("boom"))
    unexpected.make_hook(shown.append, blocker / "errors.log")(kind, value, tb)
    assert "RuntimeError: boom" in shown[0] and "Details for support" not in shown[0]


def test_the_log_rotates_instead_of_growing_without_end(tmp_path: Path) -> None:
    log = tmp_path / "errors.log"
    kind, value, tb = raised(RuntimeError("x" * 2000))
    for _ in range(300):  # about 600 kB of tracebacks
        assert unexpected.write_report(log, kind, value, tb)
    assert log.with_name("errors.log.1").exists()
    assert log.stat().st_size <= unexpected.LOG_BYTES
    assert not log.with_name("errors.log.2").exists()  # one older file is kept


def test_install_turns_on_faulthandler_next_to_the_log(tmp_path: Path) -> None:
    import faulthandler

    before = sys.excepthook
    try:
        unexpected.install(lambda _text: None, tmp_path / "logs" / "errors.log")
        assert faulthandler.is_enabled()
        assert (tmp_path / "logs" / "faults.log").exists()
    finally:
        sys.excepthook = before
        faulthandler.enable(sys.__stderr__)  # back to where pytest's own dumps go
