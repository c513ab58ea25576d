"""Issue 16, defect 4: tampering with the database is found (R30).

`audit verify` exits 0 on an honest trail and 1 — saying what and where — after an edited,
inserted or deleted audit entry, a tampered counter, a flipped in-force flag or an edited
host id; start-up rewrites counters from the allocation rows with a warning and an audit
entry; CHECK constraints refuse negative counts. These run on PostgreSQL too.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from ia_licensing import catalog, cli
from ia_licensing.models import (
    AuditEvent,
    Database,
    Entitlement,
    KeyUsage,
    LicenseFile,
    ServerIdentity,
    Station,
    StationLicense,
)
from ia_licensing.services import allocation, audit, integrity, licensing, users
from tests.helpers.database import add_stations
from tests.helpers.license_files import TRUST, license_for, signed

CLIENT = catalog.CLIENT_ACCESS


@pytest.fixture
def trail(empty_db: Database) -> Database:
    """A database with a verified license in force and a few changes in its trail."""
    db = empty_db
    licensing.load_license(db, signed(), TRUST)
    add_stations(db, "s1", "s2")
    users.add_user(db, "u1")
    users.add_user(db, "u2")
    allocation.allocate(db, CLIENT, users=["u1", "u2"])
    return db


def verify(db: Database, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--db", db.url, "audit", "verify"])
    out, err = capsys.readouterr()
    return code, out, err


def ids(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_an_honest_trail_verifies(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = verify(trail, capsys)
    assert (code, err) == (0, "") and "nothing was altered" in out
    assert integrity.verify(trail) == []


def test_an_edited_entry_is_found(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    target = ids(trail)[3]
    with trail.write() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == target).values(os_user="nobody"))
    code, out, err = verify(trail, capsys)
    assert code == 1 and f"audit entry {target}" in out and "edited" in out
    assert len(err.splitlines()) == 1 and err.startswith("refused (R30)")


def test_a_deleted_entry_is_found(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    entries = ids(trail)
    with trail.write() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == entries[2]))
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "1 audit entry was deleted" in out
    assert f"entry {entries[1]} and entry {entries[3]}" in out


def test_an_inserted_entry_is_found(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with trail.write() as session:
        first = session.scalar(select(AuditEvent).order_by(AuditEvent.id).limit(1))
        assert first is not None
        row = {
            "at": first.at,
            "os_user": "mallory",
            "action": "allocate",
            "subject": "u1",
            "before": "",
            "after": "everything",
            "seq": first.seq + 1,
            "digest": first.digest,
        }
        session.execute(insert(AuditEvent), [row])
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "mallory" not in out and "inserted" in out


def test_tampered_counters_are_found_then_rewritten_at_start_with_an_audit_entry(
    trail: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with trail.write() as session:
        session.execute(
            update(KeyUsage).where(KeyUsage.key == CLIENT).values(assignable_configured=0)
        )
        station = session.scalar(select(Station.id).where(Station.name == "s1"))
        session.execute(insert(StationLicense), [{"station_id": station, "key": CLIENT}])
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "counters of Client Access" in out
    assert "stored assignable 0" in out and "count assignable 3" in out
    code = cli.main(["--db", trail.url, "allocations", "--json"])
    _, err = capsys.readouterr()
    assert code == 0 and "counters of Client Access" in err and "rewritten" in err
    assert [e.action for e in audit.recent(trail, 1)] == ["recount"]
    with trail.read() as session:
        assert session.get(KeyUsage, CLIENT).assignable_configured == 3  # type: ignore[union-attr]
    code, _, _ = verify(trail, capsys)
    assert code == 0  # the repair is itself in the chain


@pytest.mark.parametrize(
    "table, column", [(KeyUsage, "assignable_configured"), (Entitlement, "assigned")]
)
def test_check_constraints_refuse_negative_counts(
    trail: Database, table: type, column: str
) -> None:
    with pytest.raises(IntegrityError), trail.write() as session:
        session.execute(update(table).values({column: -1000}))


def test_a_flipped_in_force_flag_is_found_and_repaired(
    trail: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    bigger = license_for({CLIENT: (3, 2), catalog.BASIC_STATION: (5, 0)}, serial=11)
    licensing.load_license(trail, bigger, TRUST)
    smaller = license_for({CLIENT: (2, 0)}, serial=12)
    licensing.load_license(trail, smaller, TRUST)
    with trail.write() as session:  # bring serial 11 back "in force"
        session.execute(update(LicenseFile).values(in_force=LicenseFile.serial == 11))
        session.execute(update(Entitlement).where(Entitlement.key == CLIENT).values(assigned=3))
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "license in force" in out and "entitlements" in out
    warnings = integrity.check_at_start(trail, None)
    assert any("serial 12 is in force again" in w for w in warnings)
    assert licensing.in_force(trail, TRUST).serial == 12  # type: ignore[union-attr]
    assert verify(trail, capsys)[0] == 0


def test_an_edited_host_id_is_found(trail: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with trail.write() as session:
        session.execute(update(ServerIdentity).values(host_id="HOST-9"))
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "server identity" in out and "HOST-9" in out
    assert "wrong-host" not in out and "not this server ('HOST-9')" in out


def test_a_key_added_to_the_trust_table_by_hand_is_found(
    trail: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with trail.write() as session:
        session.execute(
            text(
                "INSERT INTO trusted_key (key_id, public_key, added_at, source) "
                "VALUES ('mallory', :key, CURRENT_TIMESTAMP, 'by hand')"
            ),
            {"key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="},
        )
    code, out, _ = verify(trail, capsys)
    assert code == 1 and "trusted key 'mallory'" in out
