"""Issue 16, defects 5 and 12: a report that could not be written, and a database on a
read-only, full or damaged disk, are one line naming the file and what to do (exit 1)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from ia_licensing import cli
from ia_licensing.services.errors import describe_database_error

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite"
    assert cli.main(["--db", str(path), "init", "--demo"]) == 0
    capsys.readouterr()
    return path


# --- defect 5: export that wrote nothing -------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_export_to_a_missing_folder_or_a_folder_exits_1_with_the_reason(
    qapp: object, demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    missing = tmp_path / "no-such-folder" / f"report.{kind}"
    code, out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "export",
        "allocations",
        "--format",
        kind,
        "--out",
        str(missing),
    )
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert str(missing) in err and "does not exist" in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, out, err = run(
        capsys,
        "--db",
        str(demo_db),
        "export",
        "allocations",
        "--format",
        kind,
        "--out",
        str(folder),
    )
    assert code == 1 and "is a folder" in err and list(folder.iterdir()) == []


def _limit_file_size() -> None:
    """In the child: files may not grow past 4 KiB (as a full disk would stop them)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def test_a_pdf_cut_short_by_a_full_disk_is_an_error_and_no_file(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    code = (
        "import datetime as dt, sys\n"
        "from ia_licensing.report_pdf import write_pdf\n"
        "from ia_licensing.services.report import AllocationReport, ReportNotWritten\n"
        "r = AllocationReport(dt.datetime(2026, 1, 1), 'H', 'm', 'none', (), ())\n"
        "try:\n"
        "    write_pdf(r, sys.argv[1])\n"
        "except ReportNotWritten as e:\n"
        "    print(e); sys.exit(1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert str(target) in result.stdout and "nothing was written" in result.stdout
    assert list(tmp_path.iterdir()) == []  # neither the report nor a partial file


# --- defect 12: the database's disk ------------------------------------------------------


def test_a_read_only_database_names_the_file_and_what_to_do(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    read_only = f"sqlite:///file:{demo_db}?mode=ro&uri=true"
    code, _, err = run(capsys, "--db", read_only, "station", "add", "new-station")
    assert code == 1 and len(err.splitlines()) == 1
    assert str(demo_db) in err and "read-only" in err and "make it writable" in err


def test_a_damaged_file_names_the_file_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"this is not a database, it only has its name" * 100)
    code, _, err = run(capsys, "--db", str(path), "station", "list")
    assert code == 1 and len(err.splitlines()) == 1
    assert str(path) in err and "Restore it from a backup" in err


@pytest.mark.parametrize(
    "message, advice",
    [
        ("database or disk is full", "free some space"),
        ("attempt to write a readonly database", "make it writable"),
        ("database disk image is malformed", "Restore it from a backup"),
        ("unable to open database file", "Check the path given to --db"),
        ("disk I/O error", "check the disk"),
        ("database is locked", "try again in a moment"),
    ],
)
def test_every_database_fault_names_the_file_and_what_to_do(message: str, advice: str) -> None:
    error = OperationalError("UPDATE x", {}, sqlite3.OperationalError(message))
    text = describe_database_error(error, "/srv/ia/allocation.sqlite")
    assert "/srv/ia/allocation.sqlite" in text and advice in text and "\n" not in text


def test_a_report_on_a_full_disk_names_the_file_and_what_to_do(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    args = ("--db", str(demo_db), "export", "allocations", "--format", "csv", "--out")
    code, out, err = run(capsys, *args, "/dev/full")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "/dev/full" in err and "the disk is full; free some space" in err
