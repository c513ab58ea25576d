"""CSV import of stations and users (dry run, all-or-nothing, line numbers) and reports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ia_licensing import catalog, cli
from ia_licensing.models import Database
from ia_licensing.services import csv_import, report, stations, users
from tests.helpers.database import snapshot

STATIONS_CSV = (
    "\ufeffStation Name,Type,Licensed Machine Name,Enabled,Enable Licenses,Licenses\r\n"
    "desk1,workstation,PC-DESK1,yes,yes,Basic Station;Client Access\r\n"
    "desk2,stand-alone phone,,yes,,I3_LICENSE_BASIC_STATION\r\n"
    "fax1,stand-alone-fax,,no,no,\r\n"
)


def test_dry_run_checks_everything_and_changes_nothing(db: Database) -> None:
    before = snapshot(db)
    result = csv_import.import_csv(db, "stations", STATIONS_CSV.encode(), dry_run=True)
    assert (result.rows, result.errors, result.applied) == (3, (), False)
    assert snapshot(db) == before


def test_import_applies_every_row_with_the_rules(db: Database) -> None:
    result = csv_import.import_csv(db, "stations", STATIONS_CSV.encode(), dry_run=False)
    assert result.applied and result.errors == ()
    desk1 = stations.get_station(db, "desk1")
    assert desk1.licensed_machine_name == "PC-DESK1"
    assert set(desk1.keys) == {catalog.BASIC_STATION, catalog.CLIENT_ACCESS}
    assert stations.get_station(db, "desk2").station_type.value == "stand-alone-phone"
    fax = stations.get_station(db, "fax1")
    assert (fax.enabled, fax.licenses_enabled) == (False, False)


def test_bad_rows_are_reported_by_line_and_nothing_is_written(db: Database) -> None:
    users.add_user(db, "taken")
    text = (
        "name,method,licenses\n"
        "ok1,assignable,Client Access\n"
        "bad1,assignable,Basic Station\n"  # line 3: R7
        "bad2,sometimes,\n"  # line 4: unknown method
        "taken,assignable,\n"  # line 5: duplicate
        'ok2,concurrent,"Client Access;ACD Media 1"\n'
        'bad3,assignable,"ACD Media 1;ACD Media 2"\n'  # line 7: R11
        "too,many,fields,here\n"  # line 8
        "ok3,assignable,Client Access\n"
        "ok4,assignable,Client Access\n"
        "over,assignable,Client Access\n"  # line 11: the fourth Assignable Client Access: R4
    )
    before = snapshot(db)
    result = csv_import.import_csv(db, "users", text.encode(), dry_run=False)
    assert not result.applied
    assert [e.line for e in result.errors] == [3, 4, 5, 7, 8, 11]
    messages = [e.message for e in result.errors]
    assert messages[0].startswith("refused (R7)") and messages[3].startswith("refused (R11)")
    assert messages[5].startswith("refused (R4)") and "already exists" in messages[2]
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"name,colour\nx,red\n", "unknown column 'colour'"),
        (b"type\nworkstation\n", "no name column"),
        (b'name\n"unterminated\n', "line"),
    ],
)
def test_broken_files_are_refused_with_a_message(db: Database, data: bytes, fragment: str) -> None:
    before = snapshot(db)
    with pytest.raises(csv_import.InvalidInput, match=fragment):
        csv_import.import_csv(db, "stations", data, dry_run=False)
    assert snapshot(db) == before


def test_cli_import_and_export(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """(`qapp`: the PDF export reuses the test session's QApplication; created here by the
    exporter instead, a QGuiApplication would break every GUI test run after this one.)"""
    source = tmp_path / "stations.csv"
    source.write_text(STATIONS_CSV, encoding="utf-8")
    base = ["--db", str(tmp_path / "demo.sqlite")]
    assert cli.main([*base, "init", "--demo"]) == 0  # a signed license in force
    assert cli.main([*base, "import", "stations", str(source), "--dry-run"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert cli.main([*base, "import", "stations", str(source)]) == 0
    assert "imported 3 stations" in capsys.readouterr().out
    assert cli.main([*base, "import", "stations", str(source)]) == 1
    out, err = capsys.readouterr()
    assert "line 2: a station named 'desk1' already exists" in out
    assert err == "error: 3 of 3 rows refused; nothing was imported\n"

    csv_out, pdf_out = tmp_path / "report.csv", tmp_path / "report.pdf"
    assert cli.main([*base, "export", "allocations", "--format", "csv", "--out", str(csv_out)]) == 0
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(report.ALLOCATION_HEADERS)  # one plain table, header first
    basic = next(r for r in rows if r and r[0] == "Basic Station")
    assert basic[1:3] == ["170", "54"]  # 52 demo stations + desk1 + desk2
    assert cli.main([*base, "export", "allocations", "--format", "pdf", "--out", str(pdf_out)]) == 0
    assert pdf_out.read_bytes().startswith(b"%PDF") and pdf_out.stat().st_size > 2000
