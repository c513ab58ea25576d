"""Issue 16, defects 6, 7, 10 and 11: hostile names (R37), CSV formula injection, databases
that are not ours, and inputs that failed only on PostgreSQL. The service and command-line
tests here run on PostgreSQL too (`make test-postgres`)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from ia_licensing import catalog, cli, rules
from ia_licensing.models import Database
from ia_licensing.services import audit, licensing, report, stations, users, workgroups
from ia_licensing.services.errors import Refused
from tests.helpers.database import ENTITLEMENTS
from tests.helpers.license_files import TRUST, hostile_names, license_for, signed


@pytest.fixture
def licensed(empty_db: Database) -> Database:
    """ENTITLEMENTS as a signed license in force: a command's start-up check keeps them."""
    licensing.load_license(empty_db, license_for(ENTITLEMENTS), TRUST)
    return empty_db


REFUSED = hostile_names("R37")
FORMULAS = hostile_names("neutralised")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- defect 7: names (R37) ---------------------------------------------------------------


@pytest.mark.parametrize("entry", REFUSED, ids=[n.why for n in REFUSED])
def test_every_hostile_name_is_refused_everywhere(db: Database, entry) -> None:  # type: ignore[no-untyped-def]
    for add in (
        lambda: stations.add_station(db, entry.name),
        lambda: users.add_user(db, entry.name),
        lambda: workgroups.add_workgroup(db, entry.name, ["call"]),
        lambda: stations.add_station(db, "ok-station", machine_name=entry.name),
    ):
        with pytest.raises(Refused) as refused:
            add()
        assert refused.value.rule == "R37", entry.why
    assert stations.list_stations(db) == [] and users.list_users(db) == []


def test_composed_and_decomposed_names_are_one_name(db: Database) -> None:
    users.add_user(db, "\u00c5sa")
    with pytest.raises(Exception, match="already exists"):
        users.add_user(db, "A\u030asa")
    assert users.get_user(db, "A\u030aSA").name == "\u00c5sa"
    stations.add_station(db, "s1", machine_name="\u00c5sa-pc")
    with pytest.raises(Refused) as refused:
        stations.add_station(db, "s2", machine_name="A\u030aSA-PC")
    assert refused.value.rule == "R10"


def test_a_newline_cannot_forge_an_audit_row_nor_esc_reach_the_terminal(
    licensed: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = licensed
    code, _, err = run(capsys, "--db", db.url, "station", "add", "evil\n2026-01-01  root  init")
    assert code == 1 and err.startswith("refused (R37)") and len(err.splitlines()) == 1
    code, _, err = run(capsys, "--db", db.url, "user", "add", "x\x1b[2Jy")
    assert code == 1 and "\x1b" not in err and "U+001B" in err
    with db.write() as session:  # a name stored before R37 (an older version, or by hand)
        audit.record(session, audit.AuditAction.STATION_ADD, "old\nforged row\x1b[2J", "", "")
    code, out, _ = run(capsys, "--db", db.url, "audit", "--limit", "1")
    assert code == 0 and "\x1b" not in out and len(out.splitlines()) == 2
    assert "old\\nforged row\\x1b[2J" in out


# --- defect 6: CSV formula injection -----------------------------------------------------


def test_csv_export_neutralises_formulas(db: Database) -> None:
    # The CSV report is the allocation table: its text cells are key names (an arbitrary
    # key's comes from a license file) and notes. Each hostile name stands in one of them.
    built = report.build(db)
    first = built.rows[0]
    crafted = [dataclasses.replace(first, name=entry.name, notes=entry.name) for entry in FORMULAS]
    text_out = report.to_csv(dataclasses.replace(built, rows=tuple(crafted)))
    cells = [c for row in csv.reader(io.StringIO(text_out)) for c in row]
    for entry in FORMULAS:
        assert entry.name not in cells and "'" + entry.name in cells
    assert not any(c.startswith(rules.FORMULA_STARTS) for c in cells)


# --- defect 11: what failed only on PostgreSQL --------------------------------------------


def test_a_serial_above_two_to_the_31_loads(db: Database) -> None:
    licensing.load_license(db, signed(serial=3_000_000_000), TRUST)
    licensing.load_license(db, signed(serial=2**63 - 1), TRUST)
    assert [h.serial for h in licensing.history(db)] == [2**63 - 1, 3_000_000_000]


def test_names_whose_case_folding_is_longer_than_255_are_stored(db: Database) -> None:
    for entry in hostile_names("accepted"):
        users.add_user(db, entry.name)
        stations.add_station(db, entry.name, machine_name=entry.name)
        workgroups.add_workgroup(db, entry.name, ["call"])
        assert users.get_user(db, entry.name.upper()).name == entry.name


@pytest.mark.parametrize(
    "args",
    [
        ["station", "add", "caf\udcff"],
        ["user", "add", "nul\x00"],
        ["station", "add", "s", "--machine-name", "m" * 300],
        ["allocate", "client access", "--user", "\udcff"],
        ["logon", "\udcffx", "--station", "s1"],
        ["workgroup", "add", "w", "--types", "call\udcff"],
        ["station", "add", "r", "--type", "remote", "--machine-name", "\u202e"],
    ],
)
def test_hostile_arguments_are_one_plain_line_and_exit_1(
    licensed: Database, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    db = licensed
    code, _, err = run(capsys, "--db", db.url, *args)
    assert code == 1, err
    assert len(err.splitlines()) == 1 and "unexpected" not in err and "Traceback" not in err


def test_an_absurd_audit_limit_is_a_usage_error(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as usage:
        cli.main(["--db", db.url, "audit", "--limit", "99999999999999999999"])
    assert usage.value.code == 2
    err = capsys.readouterr().err
    assert "not a whole number from 1 to 1,000,000" in err and "Traceback" not in err


def test_an_unknown_schema_revision_is_refused_plainly(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    db.close()
    code, _, err = run(capsys, "--db", db.url, "station", "list")
    assert code == 1 and "schema revision '0099'" in err and "newer version" in err
    assert len(err.splitlines()) == 1


# --- defect 10: databases that are not ours ----------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_another_applications_database_is_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO album (title) VALUES ('holidays')")
    conn.commit()
    conn.close()
    before = _digest(path)
    for args in (["station", "list"], ["init", "--demo"], ["audit", "verify"]):
        code, _, err = run(capsys, "--db", str(path), *args)
        assert code == 1 and "not an IA Licensing database" in err and "album" in err
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos.db"]


def test_a_mistyped_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "no-such-folder" / "alocation.sqlite"
    for args in (["station", "list"], ["audit"], ["license", "show"]):
        code, _, err = run(capsys, "--db", str(typo), *args)
        assert code == 1 and f"no database at {typo}" in err
    assert list(tmp_path.iterdir()) == []


def test_our_sqlite_files_carry_our_application_id(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x49414C43
    conn.close()


def test_a_database_from_before_the_trust_migration_still_opens(tmp_path: Path) -> None:
    """Recognised by its Alembic revision (no application id yet), then migrated: the
    audit trail already there is chained and verifies."""
    from alembic import command
    from sqlalchemy import create_engine

    from ia_licensing.models.migrate import alembic_config
    from ia_licensing.services import integrity

    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.begin() as connection:
        for subject in ("a", "b"):
            connection.execute(
                text(
                    "INSERT INTO audit_event (at, os_user, action, subject, before, after)"
                    " VALUES ('2026-01-02 03:04:05.000006', 'me', 'user add', :s, '', '')"
                ),
                {"s": subject},
            )
        connection.execute(
            text("INSERT INTO key_usage VALUES (:k, -1000, 0, 0)"), {"k": catalog.CLIENT_ACCESS}
        )
    engine.dispose()
    db = Database(str(path))
    assert audit_ok(integrity.verify(db))
    with db.read() as session:
        assert session.execute(text("SELECT assignable_configured FROM key_usage")).scalar() == 0
    db.close()


def audit_ok(findings: list) -> bool:  # type: ignore[type-arg]
    return not [f for f in findings if f.where.startswith("audit entry")]


def test_licenses_for_names_survive_csv_round_trip(db: Database) -> None:
    licensing.load_license(db, license_for({catalog.CLIENT_ACCESS: (1, 0)}), TRUST)
    assert "Client Access" in report.to_csv(report.build(db))
