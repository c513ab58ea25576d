"""services/changes.py: the audit trail read as a change feed, each change made through the
real services on a real database, then the exact Changes it gives."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from sqlalchemy import insert, select, update

from ia_licensing import catalog
from ia_licensing.models import AuditEvent, Database, KeyUsage, LicenseFile
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import (
    allocation,
    bulk,
    changes,
    csv_import,
    demo,
    integrity,
    license_configuration,
    licensing,
    logon,
    read_models,
    setup,
    stations,
    users,
    workgroups,
)
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.changes import Changes
from ia_licensing.services.errors import Refused
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import ENTITLEMENTS
from tests.helpers.license_files import TRUST, license_for

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS
NONE: frozenset[str] = frozenset()


def after(db: Database, change: Callable[[], object]) -> Changes:
    """What changes_since reports for `change` alone; its `newest` is the newest event."""
    seen = changes.newest_change(db)
    change()
    found = changes.changes_since(db, seen)
    assert found.newest == changes.newest_change(db) > seen
    assert changes.changes_since(db, found.newest) == Changes.nothing(found.newest)
    return found


def expect(
    db: Database,
    *,
    stations: frozenset[str] | None = NONE,
    users: frozenset[str] | None = NONE,
    workgroups: bool = False,
    counts: bool = False,
    sessions: bool = False,
    license: bool = False,
) -> Changes:
    return Changes(
        changes.newest_change(db), stations, users, workgroups, counts, sessions, license
    )


def everything(db: Database) -> Changes:
    return Changes.everything(changes.newest_change(db))


# --- stations and users ---------------------------------------------------------------


def test_station_add_update_delete_name_the_station_and_move_the_counts(db: Database) -> None:
    add = after(db, lambda: stations.add_station(db, "s1", keys=frozenset({BASIC})))
    assert add == expect(db, stations=frozenset({"s1"}), counts=True)
    update = after(db, lambda: stations.update_station(db, "s1", enabled=False))
    assert update == expect(db, stations=frozenset({"s1"}), counts=True)
    gone = after(db, lambda: stations.delete_station(db, "s1"))  # R15: ends its sessions
    assert gone == expect(db, stations=frozenset({"s1"}), counts=True, sessions=True)


def test_deleting_several_stations_names_each(db: Database) -> None:
    for name in ("a", "b", "c"):
        stations.add_station(db, name)
    found = after(db, lambda: stations.delete_stations(db, ["a", "c"]))
    assert found == expect(db, stations=frozenset({"a", "c"}), counts=True, sessions=True)


def test_user_add_update_delete_name_the_user_and_touch_workgroups(db: Database) -> None:
    add = after(db, lambda: users.add_user(db, "ann", keys=frozenset({CLIENT})))
    assert add == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)
    switch = after(db, lambda: users.update_user(db, "ann", method=Pool.CONCURRENT))
    assert switch == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)
    disable = after(db, lambda: users.update_user(db, "ann", licenses_enabled=False))
    assert disable == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)
    level = KeyEdit(add=frozenset({catalog.ACD_MEDIA_1}))
    edit = after(db, lambda: users.update_user(db, "ann", edit=level))
    assert edit == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)
    gone = after(db, lambda: users.delete_user(db, "ann"))
    assert gone == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True, sessions=True)


def test_allocate_and_deallocate_name_the_holders_in_both_containers(db: Database) -> None:
    stations.add_station(db, "s1")
    users.add_user(db, "ann")
    both = frozenset({"s1", "ann"})
    give = functools.partial(allocation.allocate, db, BASIC, stations=["s1"])
    assert after(db, give) == expect(
        db, stations=frozenset({"s1"}), users=frozenset({"s1"}), workgroups=True, counts=True
    )
    acd = functools.partial(allocation.allocate, db, catalog.ACD_MEDIA_1)
    found = after(db, lambda: acd(stations=["s1"], users=["ann"]))
    assert found == expect(db, stations=both, users=both, workgroups=True, counts=True)
    take = functools.partial(allocation.deallocate, db, catalog.ACD_MEDIA_1)
    found = after(db, lambda: take(stations=["s1"], users=["ann"]))
    assert found == expect(db, stations=both, users=both, workgroups=True, counts=True)


def test_bulk_and_license_configuration_changes_name_their_holders(db: Database) -> None:
    for name in ("a", "b"):
        stations.add_station(db, name)
    users.add_user(db, "ann")
    found = after(
        db, lambda: bulk.bulk_change(db, BASIC, HolderKind.STATION, ["a", "b"], allocate=True)
    )
    ab = frozenset({"a", "b"})
    assert found == expect(db, stations=ab, users=ab, workgroups=True, counts=True)
    change = license_configuration.Change(add_users=frozenset({"ann"}))
    found = after(db, lambda: license_configuration.apply(db, CLIENT, change))
    assert found == expect(
        db, stations=frozenset({"ann"}), users=frozenset({"ann"}), workgroups=True, counts=True
    )


def test_a_csv_import_names_every_row(db: Database) -> None:
    data = b"name,method,enable_licenses,licenses\r\nann,assignable,yes,\r\nbob,concurrent,,\r\n"
    found = after(db, lambda: csv_import.import_csv(db, "users", data, dry_run=False))
    assert found == expect(db, users=frozenset({"ann", "bob"}), workgroups=True, counts=True)


# --- workgroups ---------------------------------------------------------------------------


def test_workgroup_add_touches_no_user(db: Database) -> None:
    found = after(db, lambda: workgroups.add_workgroup(db, "Support", ["call"]))
    assert found == expect(db, workgroups=True)


def test_members_joining_and_leaving_are_named(db: Database) -> None:
    users.add_user(db, "ann")
    workgroups.add_workgroup(db, "Support", ["call"])
    # Members take and release the workgroup's grants (R32): the counts may move.
    found = after(db, lambda: workgroups.add_member(db, "Support", "ANN"))
    assert found == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)
    found = after(db, lambda: workgroups.remove_member(db, "Support", "ann"))
    assert found == expect(db, users=frozenset({"ann"}), workgroups=True, counts=True)


def test_types_and_delete_change_every_members_note_and_do_not_name_them(db: Database) -> None:
    users.add_user(db, "ann")
    workgroups.add_workgroup(db, "Support", ["call"])
    workgroups.add_member(db, "Support", "ann")
    found = after(db, lambda: workgroups.set_types(db, "Support", ["call", "chat"]))
    assert found == expect(db, users=None, workgroups=True)
    same = after(db, lambda: workgroups.set_types(db, "Support", ["chat", "call"]))
    assert same == expect(db, workgroups=True)  # audited, but no note can change
    found = after(db, lambda: workgroups.delete_workgroup(db, "Support"))
    assert found == expect(db, users=None, workgroups=True, counts=True)


def test_a_workgroup_save_names_every_member_before_and_after(db: Database) -> None:
    for name in ("ann", "bob", "cy"):
        users.add_user(db, name)
    save = functools.partial(workgroups.save_workgroup, db, "Desk")
    found = after(db, lambda: save(["call"], ["ann", "bob"], create=True))
    assert found == expect(db, users=frozenset({"ann", "bob"}), workgroups=True, counts=True)
    found = after(db, lambda: save(["call", "chat"], ["bob", "cy"], create=False))
    everyone = frozenset({"ann", "bob", "cy"})
    assert found == expect(db, users=everyone, workgroups=True, counts=True)


def test_a_grant_and_its_removal_change_every_member_and_the_counts(db: Database) -> None:
    users.add_user(db, "ann")
    workgroups.save_workgroup(db, "Desk", ["call"], ["ann"], create=True)
    found = after(db, lambda: allocation.allocate(db, CLIENT, workgroups=["Desk"]))
    assert found == expect(db, users=None, workgroups=True, counts=True)
    found = after(db, lambda: allocation.deallocate(db, CLIENT, workgroups=["desk"]))
    assert found == expect(db, users=None, workgroups=True, counts=True)


def test_a_member_name_with_a_comma_is_read_as_one_name(db: Database) -> None:
    for name in ("Smith, Ann", "bob", "Jones, Cy, Jr"):
        users.add_user(db, name)
    save = functools.partial(workgroups.save_workgroup, db, "Desk", ["call"])
    found = after(db, lambda: save(["Smith, Ann", "bob", "Jones, Cy, Jr"], create=True))
    assert found.users is not None
    assert {"Smith, Ann", "bob", "Jones, Cy, Jr"} <= found.users  # and the pieces, found nowhere
    assert {r.name for r in read_models.user_rows(db, found.users)} == {
        "Smith, Ann",
        "bob",
        "Jones, Cy, Jr",
    }


# --- sessions ----------------------------------------------------------------------------


def test_logon_and_logoff_never_make_stations_or_users_read_again(db: Database) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    stations.add_station(db, "s2", keys=frozenset({BASIC}))
    users.add_user(db, "ann", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    users.add_user(db, "bob", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    session_only = functools.partial(expect, db, counts=True, sessions=True)
    found = after(db, lambda: logon.logon(db, "ann", station="s1"))
    assert found == session_only() and found.sessions_only and found.any
    moved = after(db, lambda: logon.logon(db, "ann", station="s2"))  # R21: off s1 first
    assert moved == session_only()
    found = after(db, lambda: logon.logoff(db, "ann"))
    assert found == session_only() and found.sessions_only
    logon.logon(db, "ann", station="s1")
    logon.logon(db, "bob", remote_number="5551234")
    found = after(db, lambda: logon.log_off_all(db))
    assert found == session_only()


def test_deleting_a_logged_on_holder_ends_the_session(db: Database) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    users.add_user(db, "ann", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    logon.logon(db, "ann", station="s1")
    found = after(db, lambda: stations.delete_station(db, "s1"))
    assert found == expect(db, stations=frozenset({"s1"}), counts=True, sessions=True)
    assert not found.sessions_only and logon.sessions(db) == []


# --- the license, init, and what cannot be placed ------------------------------------


def test_license_changes_are_everything(db: Database) -> None:
    counts = {**ENTITLEMENTS, BASIC: (4, 1)}
    found = after(db, lambda: licensing.seed_entitlements(db, counts, "another"))
    assert found == everything(db)
    server = setup.server(db)
    data = license_for(demo.DEMO_ENTITLEMENTS, host=server.host_id, machine=server.machine_name)
    found = after(db, lambda: licensing.load_license(db, data, TRUST))
    assert found == everything(db)


def test_init_is_everything_even_though_it_empties_the_trail(db: Database) -> None:
    for name in ("a", "b", "c"):
        stations.add_station(db, name)
    seen = changes.newest_change(db)
    setup.initialise(db, "HOST-2", "ic-two", force=True)  # SQLite's audit ids start again
    if db.is_sqlite:  # a PostgreSQL sequence does not: the init event is simply newer
        assert changes.newest_change(db) < seen
    assert changes.changes_since(db, seen) == everything(db)
    assert changes.changes_since(db, 0) == everything(db)  # the init event itself


def test_an_action_this_version_does_not_know_is_everything(db: Database) -> None:
    def older_version() -> None:
        with db.write() as session:
            row = {"os_user": "x", "action": "station rename", "subject": "s1"}
            session.execute(insert(AuditEvent), [row | {"seq": 999, "digest": "0" * 64}])

    stations.add_station(db, "s1")
    assert after(db, older_version) == everything(db)


def test_more_events_than_the_limit_is_everything(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "CHANGES_LIMIT", 3)
    seen = changes.newest_change(db)
    for name in ("a", "b", "c"):
        stations.add_station(db, name)
    assert changes.changes_since(db, seen) == expect(
        db, stations=frozenset({"a", "b", "c"}), counts=True
    )
    stations.add_station(db, "d")
    assert changes.changes_since(db, seen) == everything(db)


def test_events_add_up_and_newest_advances(db: Database) -> None:
    seen = changes.newest_change(db)
    assert changes.changes_since(db, seen) == Changes.nothing(seen)
    assert not Changes.nothing(seen).any and Changes.nothing(seen).sessions_only
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    first = changes.changes_since(db, seen)
    users.add_user(db, "ann", Pool.CONCURRENT, keys=frozenset({CLIENT}))
    workgroups.add_workgroup(db, "Support", ["call"])
    logon.logon(db, "ann", station="s1")
    found = changes.changes_since(db, seen)
    assert found.newest > first.newest > seen
    assert found == expect(
        db,
        stations=frozenset({"s1"}),
        users=frozenset({"ann"}),
        workgroups=True,
        counts=True,
        sessions=True,
    )
    assert not found.sessions_only
    assert changes.changes_since(db, first.newest) == Changes(
        found.newest, NONE, frozenset({"ann"}), True, True, True, False
    )
    assert changes.changes_since(db, found.newest) == Changes.nothing(found.newest)


# --- every action is placed, and every action written is known -----------------------

EVERYTHING_ACTIONS = {
    AuditAction.INIT,
    AuditAction.LICENSE_LOAD,
    AuditAction.ENTITLEMENT,
    AuditAction.IN_FORCE,
}
LICENSE_ACTIONS = EVERYTHING_ACTIONS | {AuditAction.TRUST_KEY}


@pytest.mark.parametrize("action", list(AuditAction))
def test_every_action_is_mapped_on_purpose(action: AuditAction) -> None:
    found = changes.event_changes(7, action.value, "subject", "before", "after")
    assert found.newest == 7 and found.any
    assert (found == Changes.everything(7)) == (action in EVERYTHING_ACTIONS)
    assert found.license == (action in LICENSE_ACTIONS)


def test_a_refused_logon_changes_nothing_but_the_audit_trail(db: Database) -> None:
    """Issue 12: a refused logon is recorded (R30) and moves no session, count or note."""
    users.add_user(db, "ann")
    seen = changes.newest_change(db)
    with pytest.raises(Refused):
        logon.logon(db, "ann", station="nowhere")
    found = changes.changes_since(db, seen)
    assert found == Changes(found.newest, NONE, NONE, False, False, False, False, audit=True)
    assert found.any and found.sessions_only and found.newest > seen


def test_an_unknown_action_string_is_everything() -> None:
    assert changes.event_changes(3, "user rename", "a", "", "") == Changes.everything(3)


def test_merged_is_the_union_of_its_parts() -> None:
    parts = [
        changes.event_changes(i, a.value, f"n{i}", f"b{i}", f"a{i}")
        for i, a in enumerate(AuditAction, start=1)
        if a not in EVERYTHING_ACTIONS
    ]
    assert changes.merged(0, parts) == functools.reduce(Changes.__or__, parts)
    assert changes.merged(0, parts[:3]) == functools.reduce(Changes.__or__, parts[:3])
    assert changes.merged(5, []) == Changes.nothing(5)


def test_every_row_the_services_write_has_an_action_in_the_enum(empty_db: Database) -> None:
    db = empty_db
    demo.build_demo(db)  # licenses, stations, users, allocations, workgroups
    data = b"name,method,enable_licenses,licenses\r\nzed,concurrent,yes,Client Access\r\n"
    csv_import.import_csv(db, "users", data, dry_run=False)
    stations.update_station(db, demo.STATION_NAMES[0], licenses_enabled=False)
    users.update_user(db, "zed", method=Pool.ASSIGNABLE)
    users.update_user(db, "zed", method=Pool.CONCURRENT)
    logon.logon(db, "zed", station=demo.STATION_NAMES[1])
    logon.logoff(db, "zed")
    logon.logon(db, "zed", station=demo.STATION_NAMES[1])
    logon.log_off_all(db)
    with pytest.raises(Refused):  # recorded as the server's Event Log would (R30)
        logon.logon(db, "zed", station="nowhere")
    allocation.deallocate(db, demo.SYSTEM_STATUS, users=["operator"])
    workgroups.set_types(db, "Sales", ["call", "chat"])
    workgroups.remove_member(db, "Chat Desk", demo.CONCURRENT_USERS[3])
    workgroups.save_workgroup(db, "Desk", ["email"], ["zed"], create=True)
    workgroups.delete_workgroup(db, "Desk")
    workgroups.add_workgroup(db, "Empty", ["call"])
    allocation.allocate(db, catalog.CLIENT_ACCESS, workgroups=["Empty"])  # grant (R32)
    allocation.deallocate(db, catalog.CLIENT_ACCESS, workgroups=["Empty"])
    stations.delete_station(db, demo.STATION_NAMES[2])
    users.delete_user(db, "zed")
    with db.write() as session:  # tampering, which start-up repairs with an entry each
        session.execute(update(KeyUsage).values(assignable_configured=0))
        session.execute(update(LicenseFile).values(in_force=False))
    assert integrity.check_at_start(db, None)
    with db.read() as session:
        written = list(session.scalars(select(AuditEvent.action)))
    assert {AuditAction(a) for a in written} == set(AuditAction)  # and every one is used
