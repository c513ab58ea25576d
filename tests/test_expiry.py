"""R28 past the expiry date, and the clock that decides it (R27, R36): the license in force
grants nothing new once expired (allocations kept, new allocations and logons refused, the
Licenses Allocation notes and the status bar say so), and the expiry clock's floor comes
from signed dates, never from a local timestamp (issue 12, items 2 and 8)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ia_licensing import catalog, cli, rules
from ia_licensing.licensefile import LicenseCount, LicenseFileError, TrustStore
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import (
    allocation,
    compliance,
    licensing,
    logon,
    replay,
    stations,
    usage_history,
    users,
)
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import refused, snapshot
from tests.helpers.license_files import PUBLIC, TODAY, signed

TRUST = TrustStore.from_public_key_files(PUBLIC)
BASIC, CLIENT = catalog.BASIC_STATION, catalog.CLIENT_ACCESS
COUNTS = (LicenseCount(BASIC, 5, 0), LicenseCount(CLIENT, 3, 2))
DAY = dt.timedelta(days=1)


def load_expiring(db: Database, expires: dt.date, serial: int = 10) -> None:
    """A license expiring on `expires`, loaded while it was still valid (the clock then)."""
    data = signed(serial=serial, generated=expires - 30 * DAY, expires=expires, licenses=COUNTS)
    now = dt.datetime.combine(expires - 2 * DAY, dt.time(12), dt.UTC)
    licensing.load_license(db, data, TRUST, now=now)


@pytest.fixture
def expired_db(db: Database) -> Database:
    """A station and a user with their licenses, then the license in force expired today."""
    licensing.load_license(db, signed(serial=9, generated=TODAY - 40 * DAY, licenses=COUNTS), TRUST)
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    stations.add_station(db, "s2", keys=frozenset({BASIC}))
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    users.add_user(db, "bob")
    users.add_user(db, "cara", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    logon.logon(db, "cara", station="s2")  # a live session goes on until it logs off
    load_expiring(db, TODAY)  # today is its expiry date: the first day it no longer works
    return db


# --- the expiry day, said once -----------------------------------------------------------


def test_the_expiry_date_is_the_first_day_it_no_longer_works() -> None:
    expires = dt.date(2026, 6, 1)
    on_the_day = rules.license_notes("production", expires, expires)
    assert [n.message for n in on_the_day] == [rules.expired_message(expires)]
    assert rules.expired_refusal(expires, expires) is not None
    day_before = rules.license_notes("production", expires, expires - DAY)
    assert [n.message for n in day_before] == [
        "the license expires in 1 day (on 2026-06-01, the first day it no longer works)"
    ]
    assert rules.expired_refusal(expires, expires - DAY) is None
    assert "expires today" not in " ".join(n.message for n in day_before + on_the_day)


# --- past the expiry date: nothing new ---------------------------------------------------


def test_an_expired_license_grants_nothing_new(expired_db: Database) -> None:
    db = expired_db
    before = snapshot(db)
    message = f"the license expired on {TODAY.isoformat()}"
    assert message in str(refused("R28", allocation.allocate, db, CLIENT, users=["bob"]))
    refused("R28", stations.update_station, db, "s1", edit=KeyEdit(add=frozenset({CLIENT})))
    refused("R28", users.add_user, db, "dan")
    refused("R28", stations.add_station, db, "s3")
    refused("R28", users.update_user, db, "amy", method=Pool.CONCURRENT)
    refused("R28", logon.logon, db, "amy", station="s1")
    refused("R28", logon.logon, db, "amy", remote_number="555-0100")
    after = snapshot(db)
    assert after["audit_event"][: len(before["audit_event"])] == before["audit_event"]
    recorded = ("audit_event", "usage_denial")  # refused logons are recorded (R30, R33)
    assert {k: v for k, v in after.items() if k not in recorded} == {
        k: v for k, v in before.items() if k not in recorded
    }
    assert [d[5] for d in after["usage_denial"]] == ["R28", "R28"]
    # Allocations are kept; what removes is allowed; the live session goes on.
    assert set(stations.get_station(db, "s1").keys) == {BASIC}
    allocation.deallocate(db, CLIENT, users=["amy"])
    stations.update_station(db, "s1", licenses_enabled=False)
    assert [s.user for s in logon.sessions(db)] == ["cara"]
    logon.logoff(db, "cara")
    users.delete_user(db, "bob")


def test_notes_allocations_and_license_notes_say_it(expired_db: Database) -> None:
    db = expired_db
    expected = rules.expired_message(TODAY)
    notes = [(n.rule, n.subject, n.message) for n in compliance.notes(db)]
    assert ("R28", "License", expected) in notes
    rows = {r.key: r for r in allocation.allocations(db)}
    assert all(r.notes.startswith(expected) for r in rows.values())


def test_a_valid_license_loaded_again_lifts_it(expired_db: Database) -> None:
    licensing.load_license(expired_db, signed(serial=11, licenses=COUNTS), TRUST)
    users.add_user(expired_db, "dan")
    assert not [n for n in compliance.notes(expired_db) if n.rule == "R28"]


def test_cli_refuses_with_the_rule(
    expired_db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expired_db.close()
    base = ["--db", str(db_path), "--trust-store", str(trust_folder(db_path.parent))]
    for argv in (
        ["allocate", "Client Access", "--user", "bob"],
        ["station", "set", "s1", "--client-access"],
        ["user", "add", "dan"],
        ["logon", "amy", "--station", "s1"],
    ):
        assert cli.main([*base, *argv]) == 1, argv
        assert capsys.readouterr().err == (
            f"refused (R28): the license expired on {TODAY.isoformat()}: it grants nothing "
            "new until a valid license is loaded\n"
        )
    assert cli.main([*base, "allocations", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(
        any(n["message"].startswith("the license expired on") for n in r["notes"]) for r in rows
    )


def trust_folder(where: Path) -> Path:
    folder = where / "trust"
    folder.mkdir(exist_ok=True)
    (folder / "acme.pub").write_bytes(PUBLIC)
    return folder


# --- the clock's floor: signed dates only --------------------------------------------------


def test_a_load_made_with_the_clock_a_year_ahead_does_not_poison_later_loads(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ahead = dt.datetime.now(dt.UTC).replace(tzinfo=None) + 365 * DAY
    monkeypatch.setattr(licensing, "utcnow", lambda: ahead)  # the machine's clock, wrong
    licensing.load_license(db, signed(serial=10, licenses=COUNTS), TRUST, now=ahead)
    monkeypatch.undo()  # the clock is put right
    later = signed(serial=11, generated=TODAY, expires=TODAY + 100 * DAY, licenses=COUNTS)
    report = licensing.load_license(db, later, TRUST)
    assert report.applied
    assert not [n for n in compliance.notes(db) if "expired" in n.message]
    users.add_user(db, "amy", keys=frozenset({CLIENT}))


def test_a_clock_set_back_stops_at_the_newest_signed_generation_date(db: Database) -> None:
    """Set back before the newest generation date of a verified file, the clock reads that
    date: a file that had expired by then stays expired."""
    licensing.load_license(db, signed(serial=10, generated=TODAY - DAY, licenses=COUNTS), TRUST)
    lapsed = signed(serial=12, generated=TODAY - 60 * DAY, expires=TODAY - 5 * DAY)
    with pytest.raises(LicenseFileError, match="expired"):
        licensing.load_license(db, lapsed, TRUST, now=dt.datetime.now(dt.UTC) - 400 * DAY)


def test_a_replay_cannot_bring_an_expired_license_back(expired_db: Database) -> None:
    """R28 in a replay (R34) is judged on the wall clock, not on the file's times: events
    from before the expiry date, replayed after it, log nobody on."""
    db = expired_db
    before = dt.datetime.combine(TODAY - 5 * DAY, dt.time(9))
    events = replay.parse_events(
        "time,event,user,station,remote_number\n"
        f"{before.isoformat()},logon,amy,s1,\n"
        f"{(before + dt.timedelta(hours=1)).isoformat()},logoff,cara,,\n".encode()
    )
    result = replay.replay(db, events)
    assert (result.applied, result.refused) == (1, {"R28": 1})  # the logoff is allowed
    assert logon.sessions(db) == []
    assert [(d.user, d.rule, d.at) for d in usage_history.denial_rows(db)] == [
        ("amy", "R28", before)
    ]
