"""Service-level tests of logon and logoff (R20–R25), with R6, R15 and R30 as they touch them.

Counts are checked three ways: the logon result, the Licenses Allocation rows (the counter
rows), and the SessionLicense rows themselves (usage.recount).
"""

from __future__ import annotations

import random

import pytest

from ia_licensing import catalog, rules
from ia_licensing.models import Database
from ia_licensing.services import audit, compliance, logon, stations, usage, users
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from tests.helpers.database import (
    DIALER,
    concurrent_user,
    only_refusals_recorded,
    refused,
    row,
    snapshot,
    station,
)

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS  # Concurrent Allowed 2 in the test license
ACD1 = catalog.ACD_MEDIA_1


def in_use(db: Database, key: str) -> int:
    return row(db, key).concurrent_in_use


def session_rows(db: Database) -> list[tuple[object, ...]]:
    return snapshot(db)["session_license"]


def assert_counters_match_rows(db: Database) -> None:
    with db.read() as session:
        assert usage.stored_counts(session) == {
            k: v for k, v in usage.recount(session).items() if any(v)
        }


# The pure rules the GUI will ask too -----------------------------------------------------


def test_pure_rules_decide_from_the_facts_alone() -> None:
    from ia_licensing.rules import KeyCounts

    ok = dict(exists=True, enabled=True, basic_station_granted=True)
    assert rules.station_logon_refusal("s1", **ok, client_capability_available=True) is None
    assert rules.station_logon_refusal("s1", **ok, client_capability_available=False)
    assert rules.station_in_use_refusal("s1", None) is None
    assert (
        str(rules.station_in_use_refusal("s1", "amy")) == "refused (R22): station s1 in use by amy"
    )
    assert rules.dynamic_remote_refusal(3, 0, 4) is None
    assert rules.dynamic_remote_refusal(3, 1, 4).rule == "R24"  # type: ignore[union-attr]
    full = KeyCounts(CLIENT, pooled=2, concurrent_in_use=2)
    free = KeyCounts(DIALER, pooled=2, concurrent_in_use=1)
    got = rules.concurrent_acquisition([CLIENT, DIALER], {CLIENT: full, DIALER: free})
    assert got.acquired == {DIALER} and set(got.not_acquired) == {CLIENT}
    reused = rules.concurrent_acquisition([CLIENT], {CLIENT: full}, held=[CLIENT])
    assert reused.acquired == {CLIENT}
    assert rules.client_capability_refusal("s1", got.not_acquired).rule == "R23"  # type: ignore[union-attr]
    assert rules.client_capability_refusal("s1", {DIALER: "all in use"}) is None


# R20 ---------------------------------------------------------------------------------


def test_r20_station_must_exist_be_enabled_and_hold_an_enabled_basic_station(
    db: Database,
) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    station(db, "off", enabled=False)
    station(db, "bare", basic=False)
    station(db, "unlicensed", licenses_enabled=False)
    before = snapshot(db)
    assert "no station named 'nowhere'" in str(
        refused("R20", logon.logon, db, "amy", station="nowhere")
    )
    assert "disabled" in str(refused("R20", logon.logon, db, "amy", station="off"))
    assert "Basic Station" in str(refused("R20", logon.logon, db, "amy", station="bare"))
    assert "Basic Station" in str(refused("R20", logon.logon, db, "amy", station="unlicensed"))
    assert only_refusals_recorded(db, before)


def test_r20_client_capability_from_the_user_or_the_station(db: Database) -> None:
    users.add_user(db, "nobody")
    users.add_user(db, "client", keys=frozenset({CLIENT}))
    users.add_user(db, "agent", keys=frozenset({ACD1}))
    users.add_user(db, "switched_off", keys=frozenset({CLIENT}), licenses_enabled=False)
    station(db, "phone")
    station(db, "desk", CLIENT)
    before = snapshot(db)
    message = str(refused("R20", logon.logon, db, "nobody", station="phone"))
    assert "Client Access" in message and "ACD Access" in message
    refused("R20", logon.logon, db, "switched_off", station="phone")  # R14: grants nothing
    assert only_refusals_recorded(db, before)
    assert logon.logon(db, "client", station="phone").station == "phone"
    logon.logoff(db, "client")
    assert logon.logon(db, "agent", station="phone").station == "phone"  # ACD Access will do
    assert logon.logon(db, "nobody", station="desk").station == "desk"  # from the station


# R21 ---------------------------------------------------------------------------------


def test_r21_logging_on_elsewhere_logs_off_the_old_station(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    station(db, "s1")
    station(db, "s2")
    assert logon.logon(db, "amy", station="s1").logged_off_from is None
    result = logon.logon(db, "amy", station="s2")
    assert result.logged_off_from == "s1"
    assert [(s.user, s.station) for s in logon.sessions(db)] == [("amy", "s2")]
    # s1 is free again for someone else (R22 no longer applies to it).
    users.add_user(db, "bob", keys=frozenset({CLIENT}))
    logon.logon(db, "bob", station="s1")
    moved = logon.logon(db, "amy", remote_number="+1 317 555 0100")
    assert moved.logged_off_from == "s2" and moved.station is None
    assert {s.user: s.station for s in logon.sessions(db)} == {"amy": None, "bob": "s1"}


# R22 ---------------------------------------------------------------------------------


def test_r22_another_users_logon_to_a_station_in_use_is_refused(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    users.add_user(db, "bob", keys=frozenset({CLIENT}))
    station(db, "s1", CLIENT)
    logon.logon(db, "amy", station="s1")
    before = snapshot(db)
    error = refused("R22", logon.logon, db, "bob", station="s1")
    assert "station s1 in use by amy" in str(error)
    assert only_refusals_recorded(db, before)
    logon.logon(db, "amy", station="s1")  # the user already there may log on again
    logon.logoff(db, "amy")
    assert logon.logon(db, "bob", station="s1").user == "bob"


# R23 ---------------------------------------------------------------------------------


def test_r23_concurrent_user_acquires_all_licenses_at_logon_and_releases_them(
    db: Database,
) -> None:
    keys = (CLIENT, DIALER, catalog.IPA_MONITOR)
    concurrent_user(db, "cara", *keys)
    station(db, "s1")
    result = logon.logon(db, "cara", station="s1")
    assert result.acquired == tuple(sorted(keys)) and result.not_acquired == ()
    assert [in_use(db, k) for k in keys] == [1, 1, 1]
    assert sorted(str(k) for _, k in session_rows(db)) == sorted(keys)
    assert [s.licenses for s in logon.sessions(db)] == [tuple(sorted(keys))]
    logon.logoff(db, "cara")
    assert [in_use(db, k) for k in keys] == [0, 0, 0]
    assert session_rows(db) == [] and logon.sessions(db) == []
    assert_counters_match_rows(db)


def test_r23_moving_stations_reuses_the_licenses_without_a_second_count(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT, DIALER)
    concurrent_user(db, "dan", CLIENT, DIALER)
    station(db, "s1")
    station(db, "s2")
    station(db, "s3")
    logon.logon(db, "cara", station="s1")
    logon.logon(db, "dan", station="s2")
    assert in_use(db, CLIENT) == in_use(db, DIALER) == 2  # all 2 of each are in use
    moved = logon.logon(db, "cara", station="s3")  # still possible: cara's are reused
    assert moved.reused == moved.acquired == tuple(sorted((CLIENT, DIALER)))
    assert moved.not_acquired == () and moved.logged_off_from == "s1"
    assert in_use(db, CLIENT) == in_use(db, DIALER) == 2
    assert len(session_rows(db)) == 4
    assert_counters_match_rows(db)


def test_r23_refused_when_client_capability_is_not_free_and_station_lacks_it(
    db: Database,
) -> None:
    for name in ("cara", "dan", "eve"):
        concurrent_user(db, name, CLIENT)
    for name in ("s1", "s2", "s3"):
        station(db, name)
    station(db, "desk", CLIENT)
    logon.logon(db, "cara", station="s1")
    logon.logon(db, "dan", station="s2")
    before = snapshot(db)
    error = refused("R23", logon.logon, db, "eve", station="s3")
    assert "all 2 Concurrent licenses are in use" in str(error)
    assert only_refusals_recorded(db, before)
    # A station that supplies Client Access lets eve on; her own is named, not acquired.
    result = logon.logon(db, "eve", station="desk")
    assert result.acquired == ()
    assert result.not_acquired == ((CLIENT, "all 2 Concurrent licenses are in use"),)
    assert in_use(db, CLIENT) == 2
    assert_counters_match_rows(db)


def test_r23_a_non_client_key_that_is_not_free_is_simply_not_acquired(db: Database) -> None:
    concurrent_user(db, "cara", DIALER)
    concurrent_user(db, "dan", DIALER)
    concurrent_user(db, "eve", ACD1, DIALER)
    for name in ("s1", "s2", "s3"):
        station(db, name, CLIENT)
    logon.logon(db, "cara", station="s1")
    logon.logon(db, "dan", station="s2")
    result = logon.logon(db, "eve", station="s3")
    assert result.acquired == (ACD1,)
    assert result.not_acquired == ((DIALER, "all 2 Concurrent licenses are in use"),)
    assert (in_use(db, ACD1), in_use(db, DIALER)) == (1, 2)
    logon.logoff(db, "cara")  # a free one now: eve gets it at her next logon
    assert logon.logon(db, "eve", station="s3").acquired == (ACD1, DIALER)
    assert (in_use(db, ACD1), in_use(db, DIALER)) == (1, 2)
    assert_counters_match_rows(db)


def test_r23_concurrent_user_with_licenses_disabled_acquires_nothing(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT, licenses_enabled=False)
    station(db, "s1")
    station(db, "desk", CLIENT)
    refused("R20", logon.logon, db, "cara", station="s1")  # R14: her license grants nothing
    assert logon.logon(db, "cara", station="desk").acquired == ()
    assert in_use(db, CLIENT) == 0 and session_rows(db) == []


def test_r6_note_when_all_concurrent_licenses_are_in_use(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT)
    concurrent_user(db, "dan", CLIENT)
    station(db, "s1")
    station(db, "s2")

    def r6() -> list[str]:
        return [n.message for n in compliance.notes(db) if n.subject == "Client Access"]

    logon.logon(db, "cara", station="s1")
    assert r6() == []
    logon.logon(db, "dan", station="s2")
    assert r6() == ["all 2 Concurrent licenses are in use"]
    logon.logoff(db, "dan")
    assert r6() == []


# R24 ---------------------------------------------------------------------------------


def test_r24_dynamic_remote_needs_a_basic_station_nobody_uses(db: Database) -> None:
    # Basic Station: 3 assigned + 1 pooled = 4; three enabled stations hold it.
    for name in ("s1", "s2", "s3"):
        station(db, name)
    station(db, "spare", enabled=False)  # a disabled station uses none
    users.add_user(db, "amy")  # no Client Access: not required for Dynamic Remote
    users.add_user(db, "bob")
    result = logon.logon(db, "amy", remote_number="317-555-0100")
    assert (result.station, result.remote_number) == (None, "317-555-0100")
    before = snapshot(db)
    error = refused("R24", logon.logon, db, "bob", remote_number="317-555-0101")
    assert "no stations available" in str(error)
    assert only_refusals_recorded(db, before)
    # amy moving to another number replaces her own connection, so it still fits.
    assert logon.logon(db, "amy", remote_number="317-555-0199").logged_off_from == ("317-555-0100")
    logon.logoff(db, "amy")
    logon.logon(db, "bob", remote_number="317-555-0101")
    assert [s.remote_number for s in logon.sessions(db)] == ["317-555-0101"]


def test_r24_access_licenses_come_from_the_user_only(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT, DIALER)
    result = logon.logon(db, "cara", remote_number="555")
    # The connection itself holds a Basic Station (R24), shown as its Concurrent In Use.
    assert set(result.acquired) == {CLIENT, DIALER, BASIC} and result.not_acquired == ()
    assert in_use(db, CLIENT) == 1 and in_use(db, DIALER) == 1 and in_use(db, BASIC) == 1
    assert_counters_match_rows(db)


# R25 ---------------------------------------------------------------------------------


def test_r25_assignable_user_logon_counts_nothing_more(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT, ACD1}))
    station(db, "s1")
    counts_before = [row(db, k) for k in (CLIENT, ACD1, BASIC)]
    result = logon.logon(db, "amy", station="s1")
    assert result.acquired == () and result.not_acquired == ()
    assert [row(db, k) for k in (CLIENT, ACD1, BASIC)] == counts_before
    assert row(db, CLIENT).assignable_configured == 1
    assert session_rows(db) == []
    logon.logoff(db, "amy")
    assert [row(db, k) for k in (CLIENT, ACD1, BASIC)] == counts_before


# R15 ---------------------------------------------------------------------------------


def test_r15_deleting_a_logged_on_user_ends_the_session_and_releases_counts(
    db: Database,
) -> None:
    concurrent_user(db, "cara", CLIENT, DIALER)
    station(db, "s1")
    logon.logon(db, "cara", station="s1")
    users.delete_user(db, "cara")
    assert logon.sessions(db) == [] and session_rows(db) == []
    assert in_use(db, CLIENT) == 0 and in_use(db, DIALER) == 0
    assert_counters_match_rows(db)


def test_r15_deleting_a_station_in_use_ends_the_session_and_releases_counts(
    db: Database,
) -> None:
    concurrent_user(db, "cara", CLIENT)
    station(db, "s1")
    logon.logon(db, "cara", station="s1")
    stations.delete_station(db, "s1")
    assert logon.sessions(db) == [] and in_use(db, CLIENT) == 0
    with pytest.raises(InvalidInput, match="not logged on"):
        logon.logoff(db, "cara")
    assert_counters_match_rows(db)


# logoff, input, audit (R30), invariant -----------------------------------------------


def test_logoff_and_bad_input_are_refused_clearly(db: Database) -> None:
    users.add_user(db, "amy", keys=frozenset({CLIENT}))
    station(db, "s1")
    before = snapshot(db)
    with pytest.raises(InvalidInput, match="amy is not logged on"):
        logon.logoff(db, "amy")
    with pytest.raises(NotFound):
        logon.logon(db, "ghost", station="s1")
    with pytest.raises(InvalidInput, match="exactly one"):
        logon.logon(db, "amy", station="s1", remote_number="555")
    with pytest.raises(InvalidInput, match="exactly one"):
        logon.logon(db, "amy")
    with pytest.raises(InvalidInput, match="blank"):
        logon.logon(db, "amy", remote_number="  ")
    assert snapshot(db) == before


def test_r30_every_logon_and_logoff_is_audited(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT)
    station(db, "s1")
    station(db, "s2")
    logon.logon(db, "cara", station="s1")
    logon.logon(db, "cara", station="s2")
    logon.logoff(db, "cara")
    entries = [(e.action, e.before, e.after) for e in audit.recent(db, subject="cara")]
    assert entries[:3] == [
        ("logoff", "station s2; concurrent licenses: Client Access", "logged off"),
        (
            "logon",
            "station s1; concurrent licenses: Client Access",
            "station s2; concurrent licenses: Client Access",
        ),
        ("logon", "logged off", "station s1; concurrent licenses: Client Access"),
    ]


def test_log_off_all_releases_everything(db: Database) -> None:
    concurrent_user(db, "cara", CLIENT)
    concurrent_user(db, "dan", DIALER)
    station(db, "s1")
    logon.logon(db, "cara", station="s1")
    logon.logon(db, "dan", remote_number="555")
    assert logon.log_off_all(db) == 2
    assert logon.sessions(db) == [] and in_use(db, CLIENT) == in_use(db, DIALER) == 0
    assert_counters_match_rows(db)


def test_counters_equal_rows_after_a_random_sequence(db: Database) -> None:
    names = [f"u{i}" for i in range(8)]
    for i, name in enumerate(names):
        if i % 3 == 0:
            users.add_user(db, name, keys=frozenset({CLIENT}) if i % 2 else frozenset())
        else:
            # Half of them have no ACD level: their Client Access is the only capability.
            concurrent_user(db, name, CLIENT, DIALER, *((ACD1,) if i % 2 else ()))
    places = [f"s{i}" for i in range(3)]
    for name in places:
        station(db, name)
    station(db, "desk", CLIENT)
    chance = random.Random(20)
    outcomes = set()
    for _ in range(200):
        name = chance.choice(names)
        try:
            if chance.random() < 0.3:
                logon.logoff(db, name)
            elif chance.random() < 0.3:
                logon.logon(db, name, remote_number=f"555-{chance.randrange(3)}")
            else:
                logon.logon(db, name, station=chance.choice([*places, "desk"]))
            outcomes.add("ok")
        except Refused as error:
            outcomes.add(error.rule)
        except InvalidInput:
            outcomes.add("not logged on")
        assert_counters_match_rows(db)
        for key in (CLIENT, DIALER, ACD1):
            counts = row(db, key)
            assert counts.concurrent_in_use <= counts.concurrent_allowed
    assert logon.sessions(db) and session_rows(db)  # it left sessions and licenses to count
    assert {"ok", "R22", "R23"} <= outcomes, outcomes
