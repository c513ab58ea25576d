"""CSV import in one pass: checked once and the check kept for Import, written in bulk with
the counters and the audit trail, progress reported, a cancel writing nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ia_licensing import catalog, cli
from ia_licensing.models import Database
from ia_licensing.services import audit, csv_import, csv_import_write, usage, users
from ia_licensing.services.csv_import_check import RowChecker
from ia_licensing.services.errors import Cancelled
from tests.helpers.database import snapshot

CLIENT = catalog.CLIENT_ACCESS


def users_csv(count: int, licenses: str = "ACD Media 1") -> bytes:
    lines = ["name,method,licenses", *(f"agent{i},concurrent,{licenses}" for i in range(count))]
    return ("\n".join(lines) + "\n").encode()


def stored_counts_match(db: Database) -> bool:
    with db.read() as session:
        recounted = {k: v for k, v in usage.recount(session).items() if any(v)}
        return usage.stored_counts(session) == recounted


def test_an_import_writes_holders_licenses_counters_and_audit(db: Database) -> None:
    data = b"name,method,licenses\nann,assignable,Client Access\nbob,concurrent,ACD Media 1\n"
    report = csv_import.import_csv(db, "users", data, dry_run=False)
    assert report.applied and report.imported == ("ann", "bob")
    assert users.get_user(db, "ann").keys == (CLIENT,)
    assert users.get_user(db, "bob").method.value == "concurrent"
    assert stored_counts_match(db)
    entries = audit.recent(db, subject="ann")
    assert [(e.action, e.after) for e in entries] == [("user add", "Assignable: Client Access")]


def test_rows_are_checked_as_if_each_row_before_them_were_added(db: Database) -> None:
    """Client Access allows 3 Assignable: the fourth row is refused (R4), whatever the
    check reads from the database."""
    data = "name,licenses\n" + "".join(f"u{i},Client Access\n" for i in range(4))
    report = csv_import.import_csv(db, "users", data.encode(), dry_run=True)
    assert [(e.line, e.message[:12]) for e in report.errors] == [(5, "refused (R4)")]
    assert "3 are configured; 1 more holder would exceed it" in report.errors[0].message


def test_import_writes_the_dry_run_without_checking_every_row_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked_rows: list[object] = []
    real_row = RowChecker.row

    def counting(self: RowChecker, row: dict[str, str]) -> object:
        checked_rows.append(row)
        return real_row(self, row)

    monkeypatch.setattr(RowChecker, "row", counting)
    checked = csv_import.check(db, "users", users_csv(50))
    assert len(checked_rows) == 50 and checked.report.errors == ()
    report = csv_import.apply(db, checked)
    assert report.applied and len(checked_rows) == 50  # not one row checked again
    assert users.user_count(db) == 50


def test_a_name_taken_since_the_dry_run_is_checked_again_and_nothing_is_written(
    db: Database,
) -> None:
    checked = csv_import.check(db, "users", users_csv(3))
    users.add_user(db, "agent1")  # another administrator, meanwhile
    before = snapshot(db)
    report = csv_import.apply(db, checked)
    assert not report.applied
    assert [str(e) for e in report.errors] == ["line 3: a user named 'agent1' already exists"]
    assert snapshot(db) == before


def test_counts_moved_since_the_dry_run_are_checked_again(db: Database) -> None:
    data = "name,licenses\n" + "".join(f"u{i},Client Access\n" for i in range(3))
    checked = csv_import.check(db, "users", data.encode())
    assert checked.report.errors == ()
    users.add_user(db, "elsewhere", keys=frozenset({CLIENT}))  # takes one of the three
    report = csv_import.apply(db, checked)
    assert not report.applied and report.errors[0].message.startswith("refused (R4)")


@pytest.mark.parametrize("phase", ["checking", "writing"])
def test_a_cancel_writes_nothing(db: Database, monkeypatch: pytest.MonkeyPatch, phase: str) -> None:
    monkeypatch.setattr(csv_import_write, "BATCH", 10)
    monkeypatch.setattr(csv_import, "PROGRESS_EVERY", 10)
    seen: list[tuple[str, int, int]] = []
    before = snapshot(db)

    def cancelled() -> bool:
        return any(p == phase and done > 0 for p, done, _ in seen)

    with pytest.raises(Cancelled):
        csv_import.import_csv(
            db,
            "users",
            users_csv(45),
            dry_run=False,
            progress=lambda *step: seen.append(step),
            cancelled=cancelled,
        )
    assert snapshot(db) == before


def test_progress_counts_every_row_of_both_phases(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_import_write, "BATCH", 10)
    seen: list[tuple[str, int, int]] = []
    report = csv_import.import_csv(
        db, "users", users_csv(25), dry_run=False, progress=lambda *step: seen.append(step)
    )
    assert report.applied
    assert seen[0] == ("checking", 0, 25) and ("checking", 25, 25) in seen
    assert [s for s in seen if s[0] == "writing"] == [
        ("writing", 0, 25),
        ("writing", 10, 25),
        ("writing", 20, 25),
        ("writing", 25, 25),
    ]


def test_the_command_line_shows_progress_on_a_terminal_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path
    source = folder / "users.csv"
    source.write_bytes(users_csv(3, licenses=""))
    base = ["--db", str(folder / "cli.sqlite")]
    assert cli.main([*base, "init", "--demo"]) == 0
    capsys.readouterr()
    assert cli.main([*base, "import", "users", str(source), "--dry-run"]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no progress
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # capsys's stream, as a TTY
    assert cli.main([*base, "import", "users", str(source)]) == 0
    out, err = capsys.readouterr()
    assert "imported 3 users" in out
    assert "\rchecking 3 of 3 rows" in err and err.endswith("\rwriting 3 of 3 rows\n")
