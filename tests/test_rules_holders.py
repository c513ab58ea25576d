"""Service-level tests of the station, user and workgroup rules R9–R19 and the audit (R30)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ia_licensing import catalog
from ia_licensing.catalog import Group
from ia_licensing.models import Database, KeyUsage, LogonSession, SessionLicense, Station, User
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, audit, compliance, stations, users, workgroups
from ia_licensing.services.errors import InvalidInput, NotFound
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import add_stations, add_users, refused, row, snapshot

BASIC = frozenset({catalog.BASIC_STATION})


def notes_of(db: Database, rule: str) -> dict[str, str]:
    return {n.subject: n.message for n in compliance.notes(db) if n.rule == rule}


# R9 ---------------------------------------------------------------------------------


def test_r9_enabled_station_without_basic_station_is_saved_with_a_note(db: Database) -> None:
    notes = stations.add_station(db, "s1")
    assert [(n.rule, n.message) for n in notes] == [
        ("R9", "the station cannot activate until you allocate a Basic Station license")
    ]
    assert stations.get_station(db, "s1").name == "s1"
    assert "s1" in notes_of(db, "R9")
    stations.update_station(db, "s1", edit=KeyEdit(add=BASIC))
    assert "s1" not in notes_of(db, "R9")


def test_r9_no_note_for_a_disabled_station_but_one_when_licenses_are_off(db: Database) -> None:
    assert stations.add_station(db, "off", enabled=False) == []
    notes = stations.add_station(db, "ignored", keys=BASIC, licenses_enabled=False)
    assert [n.rule for n in notes] == ["R9"]


# R10 --------------------------------------------------------------------------------


def test_r10_licensed_machine_name_is_unique_case_insensitive(db: Database) -> None:
    stations.add_station(db, "s1", machine_name="PC-01")
    stations.add_station(db, "s2")
    before = snapshot(db)
    error = refused("R10", stations.update_station, db, "s2", machine_name="pc-01")
    assert "'s1'" in str(error)
    refused("R10", stations.add_station, db, "s3", machine_name="Pc-01")
    assert snapshot(db) == before
    stations.update_station(db, "s1", machine_name="PC-01")  # keeping its own name is fine


def test_r10_licensed_machine_name_cannot_be_blank(db: Database) -> None:
    stations.add_station(db, "s1", machine_name="PC-01")
    before = snapshot(db)
    refused("R10", stations.update_station, db, "s1", machine_name="   ")
    assert snapshot(db) == before
    # Clearing a stored name is blanking it: refused, and the stored name is kept (issue 12).
    error = refused("R10", stations.update_station, db, "s1", machine_name=None)
    assert "Licensed Machine Name cannot be blank" in str(error)
    assert snapshot(db) == before
    assert stations.get_station(db, "s1").licensed_machine_name == "PC-01"
    stations.add_station(db, "s2")  # a station that never had one may stay without
    stations.update_station(db, "s2", machine_name=None)
    assert stations.get_station(db, "s2").licensed_machine_name is None


# R11–R13 --------------------------------------------------------------------------


def test_r11_one_acd_media_level_per_holder(db: Database) -> None:
    add_users(db, "u1", "u2")
    allocation.allocate(db, catalog.ACD_MEDIA_3, users=["u1"])
    before = snapshot(db)
    refused("R11", allocation.allocate, db, catalog.ACD_MEDIA_2, users=["u2", "u1"])
    refused("R11", users.update_user, db, "u1", edit=KeyEdit(add=frozenset({catalog.ACD_MEDIA_1})))
    assert snapshot(db) == before
    # Choosing another level replaces the old one (the Licensing tab's radio buttons).
    users.update_user(db, "u1", edit=KeyEdit(groups={Group.ACD_MEDIA: catalog.ACD_MEDIA_1}))
    assert users.get_user(db, "u1").keys == (catalog.ACD_MEDIA_1,)
    assert row(db, catalog.ACD_MEDIA_3).assignable_configured == 0


def test_r12_ipa_on_a_station_is_direct_or_group_only(db: Database) -> None:
    add_stations(db, "s1")
    before = snapshot(db)
    refused("R12", allocation.allocate, db, catalog.IPA_MONITOR, stations=["s1"])
    refused(
        "R12",
        stations.update_station,
        db,
        "s1",
        edit=KeyEdit(groups={Group.IPA: catalog.IPA_MONITOR}),
    )
    assert snapshot(db) == before
    stations.update_station(db, "s1", edit=KeyEdit(groups={Group.IPA: catalog.IPA_GROUP}))
    refused("R12", allocation.allocate, db, catalog.IPA_DIRECT, stations=["s1"])


def test_r12_users_may_hold_any_single_ipa_type(db: Database) -> None:
    add_users(db, "u1")
    allocation.allocate(db, catalog.IPA_MONITOR, users=["u1"])
    refused("R12", allocation.allocate, db, catalog.IPA_DIRECT, users=["u1"])


def test_r13_analytics_is_user_only_and_one_tier(db: Database) -> None:
    add_stations(db, "s1")
    add_users(db, "u1")
    refused("R13", allocation.allocate, db, catalog.ANALYTICS_CORE, stations=["s1"])
    allocation.allocate(db, catalog.ANALYTICS_CORE, users=["u1"])
    refused("R13", allocation.allocate, db, "Analytics Designer", users=["u1"])


# R14 --------------------------------------------------------------------------------


def test_r14_cleared_enable_licenses_keeps_settings_but_counts_nowhere(db: Database) -> None:
    stations.add_station(db, "s1", keys=BASIC | {catalog.CLIENT_ACCESS})
    stations.update_station(db, "s1", licenses_enabled=False)
    assert stations.get_station(db, "s1").keys == (catalog.CLIENT_ACCESS, catalog.BASIC_STATION)
    assert row(db, catalog.CLIENT_ACCESS).assignable_configured == 0
    assert row(db, catalog.BASIC_STATION).assignable_configured == 0


def test_r14_setting_enable_licenses_again_is_checked_like_a_new_allocation(db: Database) -> None:
    users.add_user(db, "u1", keys=frozenset({catalog.CLIENT_ACCESS}))
    users.update_user(db, "u1", licenses_enabled=False)
    add_users(db, "u2", "u3", "u4")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["u2", "u3", "u4"])  # fills all 3
    before = snapshot(db)
    error = refused("R4", users.update_user, db, "u1", licenses_enabled=True)
    assert "R14" in str(error)
    assert snapshot(db) == before
    allocation.deallocate(db, catalog.CLIENT_ACCESS, users=["u4"])
    users.update_user(db, "u1", licenses_enabled=True)
    assert row(db, catalog.CLIENT_ACCESS).assignable_configured == 3


# R15 --------------------------------------------------------------------------------


def test_r15_deleting_releases_allocations_and_ends_sessions(db: Database) -> None:
    stations.add_station(db, "s1", keys=BASIC | {catalog.CLIENT_ACCESS})
    users.add_user(db, "c1", Pool.CONCURRENT, keys=frozenset({"MSCRM_INTEGRATION"}))
    with db.write() as session:  # a live logon holding one concurrent license
        station_id = session.scalar(select(Station.id))
        user_id = session.scalar(select(User.id))
        logon = LogonSession(user_id=user_id, station_id=station_id)
        session.add(logon)
        session.flush()
        session.add(SessionLicense(session_id=logon.id, key="MSCRM_INTEGRATION"))
        session.get(KeyUsage, "MSCRM_INTEGRATION").concurrent_in_use = 1
    stations.delete_station(db, "s1")
    assert row(db, catalog.BASIC_STATION).assignable_configured == 0
    assert row(db, catalog.CLIENT_ACCESS).assignable_configured == 0
    assert row(db, "MSCRM_INTEGRATION").concurrent_in_use == 0
    with db.read() as session:
        assert session.scalar(select(LogonSession.id)) is None
    users.delete_user(db, "c1")
    assert row(db, "MSCRM_INTEGRATION").concurrent_configured == 0
    with pytest.raises(NotFound):
        users.get_user(db, "c1")


def test_r15_deleting_several_is_all_or_nothing(db: Database) -> None:
    add_users(db, "a1", "a2")
    add_stations(db, "s1", "s2")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["a1", "a2"], stations=["s1"])
    before = snapshot(db)
    with pytest.raises(NotFound):
        users.delete_users(db, ["a1", "nobody", "a2"])
    with pytest.raises(NotFound):
        stations.delete_stations(db, ["s1", "gone"])
    assert snapshot(db) == before
    users.delete_users(db, ["a1", "a2"])
    stations.delete_stations(db, ["s1", "s2"])
    assert row(db, catalog.CLIENT_ACCESS).assignable_configured == 0
    assert users.list_users(db) == [] and stations.list_stations(db) == []


# R16 --------------------------------------------------------------------------------


def test_r16_method_switch_moves_every_license_at_once(db: Database) -> None:
    users.add_user(db, "u1", keys=frozenset({catalog.CLIENT_ACCESS, catalog.ACD_MEDIA_1}))
    users.update_user(db, "u1", method=Pool.CONCURRENT)
    for key in (catalog.CLIENT_ACCESS, catalog.ACD_MEDIA_1):
        counted = row(db, key)
        assert (counted.assignable_configured, counted.concurrent_configured) == (0, 1)


def test_r16_method_switch_is_refused_as_a_whole(db: Database) -> None:
    keys = frozenset(
        {catalog.CLIENT_ACCESS, catalog.ACD_SOCIAL_MEDIA}
    )  # Social: 5 assigned, 0 pooled
    users.add_user(db, "u1", keys=keys)
    before = snapshot(db)
    error = refused("R16", users.update_user, db, "u1", method=Pool.CONCURRENT)
    assert "ACD Access Social Media" in str(error)
    assert snapshot(db) == before


def test_r16_switch_back_to_assignable_checks_assignable_capacity(db: Database) -> None:
    users.add_user(db, "c1", Pool.CONCURRENT, keys=frozenset({catalog.CLIENT_ACCESS}))
    add_users(db, "u1", "u2", "u3")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["u1", "u2", "u3"])
    refused("R16", users.update_user, db, "c1", method=Pool.ASSIGNABLE)
    assert users.get_user(db, "c1").method is Pool.CONCURRENT


# R17 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        catalog.CLIENT_ACCESS,
        catalog.ACD_MEDIA_2,
        catalog.IPA_MONITOR,
        catalog.ANALYTICS_ENTERPRISE,
        "I3_ACCESS_RECORDER",
    ],
)
def test_r17_users_may_hold_every_access_key_but_basic_station(db: Database, key: str) -> None:
    add_users(db, "u1")
    allocation.allocate(db, key, users=["u1"])
    assert users.get_user(db, "u1").keys == (key,)


# R18, R19 -------------------------------------------------------------------------


def test_r18_member_whose_media_level_is_too_low_gets_a_note(db: Database) -> None:
    users.add_user(db, "m1", keys=frozenset({catalog.ACD_MEDIA_1}))
    users.add_user(db, "m3", keys=frozenset({catalog.ACD_MEDIA_3}))
    users.add_user(db, "none")
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    for name in ("m1", "m3", "none"):
        workgroups.add_member(db, "Support", name)
    notes = notes_of(db, "R18")
    assert set(notes) == {"m1", "none"}
    assert "ACD Media 1 allows 1 interaction type" in notes["m1"]
    assert "no ACD Access" in notes["none"]


def test_r18_union_over_all_the_members_workgroups(db: Database) -> None:
    users.add_user(db, "m2", keys=frozenset({catalog.ACD_MEDIA_2}))
    workgroups.add_workgroup(db, "Calls", ["call"])
    workgroups.add_workgroup(db, "Chats", ["chat"])
    workgroups.add_member(db, "Calls", "m2")
    workgroups.add_member(db, "Chats", "m2")
    assert notes_of(db, "R18") == {}
    workgroups.add_workgroup(db, "Mail", ["email"])
    workgroups.add_member(db, "Mail", "m2")
    assert "3 (Call/Callback, Chat, Email)" in notes_of(db, "R18")["m2"]


def test_r19_notes_follow_every_edit_at_once(db: Database) -> None:
    users.add_user(db, "m1", keys=frozenset({catalog.ACD_MEDIA_1}))
    workgroups.add_workgroup(db, "Support", ["call"])
    workgroups.add_member(db, "Support", "m1")
    assert notes_of(db, "R18") == {}
    workgroups.set_types(db, "Support", ["call", "email"])
    assert "m1" in notes_of(db, "R18")
    users.update_user(db, "m1", edit=KeyEdit(groups={Group.ACD_MEDIA: catalog.ACD_MEDIA_2}))
    assert notes_of(db, "R18") == {}
    users.update_user(db, "m1", licenses_enabled=False)  # R14: the level grants nothing
    assert "no ACD Access" in notes_of(db, "R18")["m1"]
    users.update_user(db, "m1", licenses_enabled=True)
    workgroups.remove_member(db, "Support", "m1")
    assert notes_of(db, "R18") == {}


def test_workgroup_input_is_checked(db: Database) -> None:
    with pytest.raises(InvalidInput, match="unknown interaction type 'fax'"):
        workgroups.add_workgroup(db, "W", ["call", "fax"])
    workgroups.add_workgroup(db, "W", ["callback"])
    with pytest.raises(InvalidInput, match="already exists"):
        workgroups.add_workgroup(db, "w", ["chat"])
    assert [
        (w.name, [t.value for t in w.interaction_types]) for w in workgroups.list_workgroups(db)
    ] == [("W", ["call"])]


# Names ------------------------------------------------------------------------------


def test_duplicate_and_blank_names_are_refused_and_write_nothing(db: Database) -> None:
    add_stations(db, "Station1")
    add_users(db, "Alice")
    before = snapshot(db)
    for call, name in ((stations.add_station, "STATION1"), (users.add_user, "alice")):
        with pytest.raises(InvalidInput, match="already exists"):
            call(db, name)
        with pytest.raises(InvalidInput, match="cannot be blank"):
            call(db, "  ")
    assert snapshot(db) == before


# R30 --------------------------------------------------------------------------------


def test_r30_every_change_is_audited_with_before_and_after(db: Database) -> None:
    stations.add_station(db, "s1")
    users.add_user(db, "u1")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["u1"], stations=["s1"])
    users.update_user(db, "u1", method=Pool.CONCURRENT)
    stations.update_station(db, "s1", licenses_enabled=False)
    allocation.deallocate(db, catalog.CLIENT_ACCESS, users=["u1"])
    users.delete_user(db, "u1")
    entries = list(reversed(audit.recent(db, 100)))
    actions = [(e.action, e.subject) for e in entries if e.action != "init"]
    assert actions[-8:] == [
        ("station add", "s1"),
        ("user add", "u1"),
        ("allocate", "s1"),
        ("allocate", "u1"),
        ("user update", "u1"),
        ("station update", "s1"),
        ("deallocate", "u1"),
        ("user delete", "u1"),
    ]
    switch = next(e for e in entries if e.action == "user update")
    assert (
        "License Type: Assignable" in switch.before and "License Type: Concurrent" in switch.after
    )
    assert all(e.os_user for e in entries)


def test_r30_a_refused_change_is_not_audited(db: Database) -> None:
    add_users(db, "u1")
    count = len(audit.recent(db, 1000))
    refused("R7", allocation.allocate, db, catalog.BASIC_STATION, users=["u1"])
    assert len(audit.recent(db, 1000)) == count


def test_notes_remember_since_when_and_forget_resolved_ones(db: Database) -> None:
    stations.add_station(db, "s1")
    first = {n.subject: n.since for n in compliance.dated_notes(db)}
    again = {n.subject: n.since for n in compliance.dated_notes(db)}
    assert first["s1"] == again["s1"]
    stations.update_station(db, "s1", edit=KeyEdit(add=BASIC))
    assert "s1" not in {n.subject for n in compliance.dated_notes(db)}
    with db.read() as session:
        from ia_licensing.models import NoteSeen

        assert session.query(NoteSeen).filter_by(subject="s1").count() == 0


def test_saving_a_workgroup_is_all_or_nothing(db: Database) -> None:
    users.add_user(db, "a")
    users.add_user(db, "b")
    workgroups.save_workgroup(db, "Desk", ["call"], ["a"], create=True)
    before = snapshot(db)
    with pytest.raises(NotFound, match="ghost"):
        workgroups.save_workgroup(db, "Desk", ["call", "chat"], ["b", "ghost"], create=False)
    assert snapshot(db) == before
    workgroups.save_workgroup(db, "Desk", ["chat", "call"], ["b"], create=False)
    [desk] = workgroups.list_workgroups(db)
    assert (desk.members, [t.value for t in desk.interaction_types]) == (("b",), ["call", "chat"])
