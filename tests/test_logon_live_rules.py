"""The live half of licensing, as an IC server does it at logon (issue 12, items 1, 3, 4, 5):

* R20 "allocated and available": an over-allocated key lets at most Allowed of its holders
  be in use at once; the next logon is refused naming the key, and recorded;
* R24: a live Dynamic Remote connection is Basic Station's Concurrent In Use, a refused
  one ("no stations available") is recorded as the Event Log would, and it needs the
  user's right "User-defined Telephone Number on Remote Login" (on by default);
* R31: a configured Remote station must itself hold Client Access.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ia_licensing import catalog, cli, rules
from ia_licensing.models import Database
from ia_licensing.rules import KeyCounts
from ia_licensing.services import audit, demo, licensing, logon, stations, usage, users
from ia_licensing.services.stations import StationType
from tests.helpers.database import ENTITLEMENTS, only_refusals_recorded, refused, row, snapshot

BASIC, CLIENT = catalog.BASIC_STATION, catalog.CLIENT_ACCESS


def refusals(db: Database) -> list[tuple[str, str]]:
    return [(e.subject, e.after) for e in audit.recent(db) if e.action == "logon refused"]


def counters_match(db: Database) -> None:
    with db.read() as session:
        assert usage.stored_counts(session) == {
            k: v for k, v in usage.recount(session).items() if any(v)
        }


def shrink(db: Database, **counts: tuple[int, int]) -> None:
    """Load a smaller license (as seeded entitlements): allocations are kept (R27)."""
    keys = {"basic": BASIC, "client": CLIENT}
    licensing.seed_entitlements(
        db, {**ENTITLEMENTS, **{keys[k]: v for k, v in counts.items()}}, "smaller"
    )


@pytest.fixture
def six(db: Database) -> Database:
    """Six stations with Basic Station and six Assignable users with Client Access."""
    licensing.seed_entitlements(db, {**ENTITLEMENTS, BASIC: (6, 0), CLIENT: (6, 0)}, "big")
    for i in range(1, 7):
        stations.add_station(db, f"s{i}", keys=frozenset({BASIC}))
        users.add_user(db, f"u{i}", keys=frozenset({CLIENT}))
    return db


# --- R20: allocated and available ------------------------------------------------------------


def test_the_rule_alone() -> None:
    over = KeyCounts(CLIENT, assigned=2, assignable_configured=6)
    assert rules.availability_refusal(over, in_use=1, adding=1) is None
    refusal = rules.availability_refusal(over, in_use=2, adding=1)
    assert refusal is not None and refusal.rule == "R20"
    assert refusal.message.startswith("Client Access is over-allocated (6 configured, 2 allowed)")
    fits = KeyCounts(CLIENT, assigned=6, assignable_configured=6)
    assert rules.availability_refusal(fits, in_use=6, adding=1) is None  # not over: all hold it


def test_an_over_allocated_client_access_lets_allowed_holders_in_at_once(six: Database) -> None:
    db = six
    shrink(db, client=(2, 0))
    logon.logon(db, "u1", station="s1")
    logon.logon(db, "u2", station="s2")
    before = snapshot(db)
    error = refused("R20", logon.logon, db, "u3", station="s3")
    assert "Client Access is over-allocated (6 configured, 2 allowed)" in str(error)
    assert only_refusals_recorded(db, before) == ["u3"]
    assert refusals(db) == [("u3", f"station s3: {error}")]
    # Logging on again, or elsewhere, keeps the user's own license: not one more.
    logon.logon(db, "u1", station="s1")
    logon.logon(db, "u1", station="s4")
    logon.logoff(db, "u1")
    logon.logon(db, "u3", station="s3")  # one is free again
    counters_match(db)


def test_an_over_allocated_basic_station_lets_allowed_stations_in_at_once(six: Database) -> None:
    db = six
    shrink(db, basic=(2, 0))
    logon.logon(db, "u1", station="s1")
    logon.logon(db, "u2", station="s2")
    error = refused("R20", logon.logon, db, "u3", station="s3")
    assert "Basic Station is over-allocated (6 configured, 2 allowed)" in str(error)
    logon.logon(db, "u1", station="s3")  # moving frees s1's license first (R21)
    assert refusals(db) == [("u3", f"station s3: {error}")]


def test_issue_scenario_on_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Basic Station 10 and Client Access 5 loaded over 52 and 42 configured: five station
    logons succeed, the sixth is refused naming Client Access, and recorded."""
    path = str(tmp_path / "demo.sqlite")
    assert cli.main(["--db", path, "init", "--demo"]) == 0
    vendor = demo.DemoKey.new()  # the demo's own key is forgotten at init (R36)
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "vendor.pub").write_bytes(vendor.public)
    server = demo.demo_license(
        demo.DEMO_HOST_ID,
        demo.DEMO_MACHINE_NAME,
        3,
        {**demo.DEMO_ENTITLEMENTS, BASIC: (10, 0), CLIENT: (5, 0)},
        vendor,
    )
    (tmp_path / "small.I3Lic").write_bytes(server)
    trusting = ["--db", path, "--trust-store", str(tmp_path / "trust")]
    assert cli.main([*trusting, "license", "load", str(tmp_path / "small.I3Lic")]) == 0
    capsys.readouterr()
    codes = [
        cli.main(["--db", path, "logon", f"user{i}", "--station", f"station{i}"])
        for i in range(1, 22)
    ]
    err = capsys.readouterr().err
    assert codes == [0] * 5 + [1] * 16
    assert err.splitlines()[0].startswith(
        "refused (R20): Client Access is over-allocated (42 configured, 5 allowed)"
    )
    assert cli.main(["--db", path, "audit", "--json", "--limit", "16"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["action"], r["subject"]) for r in rows][-1] == ("logon refused", "user6")
    assert {r["action"] for r in rows} == {"logon refused"}


# --- R24: Dynamic Remote -------------------------------------------------------------------


def test_dynamic_remote_connections_are_basic_stations_concurrent_in_use(db: Database) -> None:
    users.add_user(db, "amy")
    users.add_user(db, "bob")
    result = logon.logon(db, "amy", remote_number="555-0100")
    assert BASIC in result.acquired
    assert row(db, BASIC).concurrent_in_use == 1
    assert [s.licenses for s in logon.sessions(db)] == [(BASIC,)]
    logon.logon(db, "amy", remote_number="555-0101")  # her own connection is replaced
    assert row(db, BASIC).concurrent_in_use == 1
    logon.logon(db, "bob", remote_number="555-0102")
    assert row(db, BASIC).concurrent_in_use == 2
    counters_match(db)
    logon.logoff(db, "amy")
    users.delete_user(db, "bob")  # R15 ends the connection
    assert row(db, BASIC).concurrent_in_use == 0
    counters_match(db)


def test_a_refused_dynamic_remote_logon_is_recorded(db: Database) -> None:
    for name in ("s1", "s2", "s3", "s4"):  # all four Basic Station licenses (3 + 1)
        stations.add_station(db, name, keys=frozenset({BASIC}))
    users.add_user(db, "amy")
    before = snapshot(db)
    error = refused("R24", logon.logon, db, "amy", remote_number="555-0100")
    assert "no stations available" in str(error)
    assert only_refusals_recorded(db, before) == ["amy"]
    assert refusals(db) == [("amy", f"remote number 555-0100: {error}")]


def test_the_remote_login_right_is_on_by_default_and_can_be_cleared(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    assert users.get_user(db, "amy").remote_login is True
    users.update_user(db, "amy", remote_login=False)
    assert users.get_user(db, "amy").remote_login is False
    assert audit.recent(db, subject="amy")[0].after.startswith("License Type: Assignable")
    error = refused("R24", logon.logon, db, "amy", remote_number="555-0100")
    assert "User-defined Telephone Number on Remote Login" in str(error)
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    logon.logon(db, "amy", station="s1")  # the right concerns Dynamic Remote only
    users.update_user(db, "amy", remote_login=True)
    logon.logon(db, "amy", remote_number="555-0100")


# --- R31: a configured Remote station ---------------------------------------------------------


def test_a_remote_station_must_hold_client_access_itself(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    stations.add_station(
        db, "home", StationType.REMOTE, keys=frozenset({BASIC}), remote_number="555-0199"
    )
    before = snapshot(db)
    error = refused("R31", logon.logon, db, "amy", station="home")
    assert "that station also must acquire a Client Access license" in str(error)
    assert only_refusals_recorded(db, before) == ["amy"]
    stations.add_station(db, "desk", keys=frozenset({BASIC}))
    logon.logon(db, "amy", station="desk")  # a workstation need not
    from ia_licensing.services.holders import KeyEdit

    stations.update_station(db, "home", edit=KeyEdit(add=frozenset({CLIENT})))
    assert logon.logon(db, "amy", station="home").station == "home"


# --- the command line -----------------------------------------------------------------------


def run(db: Database, *argv: str) -> None:
    from ia_licensing.cli.parser import build_parser

    args = build_parser().parse_args(list(argv))
    cli.COMMANDS[args.command](db, args)


def test_cli_remote_login_and_user_list_json(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    users.add_user(db, "amy")
    run(db, "user", "set", "amy", "--no-remote-login")
    capsys.readouterr()  # what the set changed
    run(db, "user", "list", "--json")
    (amy,) = json.loads(capsys.readouterr().out)
    assert set(amy) == {
        "name",
        "method",
        "licenses_enabled",
        "remote_login",
        "acd_types",
        "licenses",
        "inherited",
    }
    assert amy["remote_login"] is False and amy["inherited"] == {} and amy["acd_types"] == []
    run(db, "user", "set", "amy", "--remote-login")
    capsys.readouterr()
    run(db, "user", "list", "--json")
    assert json.loads(capsys.readouterr().out)[0]["remote_login"] is True


def test_cli_logon_json_follows_the_contract(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    users.add_user(db, "amy")
    run(db, "logon", "amy", "--remote-number", "555-0100", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result == {
        "user": "amy",
        "station": None,
        "remote_number": "555-0100",
        "acquired": [BASIC],
        "not_acquired": [],
        "warnings": [],
    }


def test_cli_remote_station_needs_client_access(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    run(db, "station", "add", "home", "--type", "remote", "--remote-number", "555-0199")
    run(db, "station", "set", "home", "--basic-station")
    capsys.readouterr()
    run(db, "station", "list", "--json")
    home = json.loads(capsys.readouterr().out)[0]
    assert home["type"] == "remote"
    from ia_licensing.services.errors import Refused

    with pytest.raises(Refused) as error:
        run(db, "logon", "amy", "--station", "home")
    assert str(error.value).startswith(
        "refused (R31): station home is a Remote station: that station also must acquire a "
        "Client Access license"
    )
