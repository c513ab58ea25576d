"""Workgroup grants (R32): a license granted to a workgroup is held by every member, and a
user counts once per key however many ways they hold it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ia_licensing import catalog, rules
from ia_licensing.models import Database, KeyUsage
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import (
    allocation,
    bulk,
    compliance,
    license_configuration,
    licensing,
    logon,
    usage,
    users,
    workgroups,
)
from ia_licensing.services.errors import NotFound
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import (
    ENTITLEMENTS,
    add_users,
    refused,
    row,
    snapshot,
    station,
)

CLIENT = catalog.CLIENT_ACCESS  # Assignable Allowed 3, Concurrent Allowed 2
SOCIAL = catalog.ACD_SOCIAL_MEDIA  # Assignable Allowed 5, Concurrent Allowed 0


def configured(db: Database, key: str) -> tuple[int, int]:
    found = row(db, key)
    return found.assignable_configured, found.concurrent_configured


def no_drift(db: Database) -> None:
    with db.read() as session:
        assert usage.stored_counts(session) == usage.recount(session)


def team(db: Database, name: str, *members: str, method: Pool = Pool.ASSIGNABLE) -> None:
    add_users(db, *members, method=method)
    workgroups.save_workgroup(db, name, ["call"], members, create=True)


def inherited(db: Database, user: str) -> dict[str, tuple[str, ...]]:
    return dict(users.get_user(db, user).inherited)


# --- grant, count once -----------------------------------------------------------------------


def test_a_grant_is_held_by_every_member_and_counted(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    result = allocation.allocate(db, CLIENT, workgroups=["support"])
    assert (result.changed, result.unchanged) == (1, 0)
    assert inherited(db, "ann") == {CLIENT: ("Support",)}
    assert users.get_user(db, "ann").keys == ()  # held through the workgroup, not directly
    assert configured(db, CLIENT) == (2, 0)
    assert workgroups.list_workgroups(db)[0].licenses == (CLIENT,)
    again = allocation.allocate(db, CLIENT, workgroups=["Support"])
    assert (again.changed, again.unchanged) == (0, 1)
    no_drift(db)


def test_a_user_counts_once_however_many_ways_they_hold_a_key(db: Database) -> None:
    team(db, "Support", "ann")
    workgroups.save_workgroup(db, "Sales", ["call"], ["ann"], create=True)
    allocation.allocate(db, CLIENT, users=["ann"])
    allocation.allocate(db, CLIENT, workgroups=["Support", "Sales"])
    assert configured(db, CLIENT) == (1, 0)
    assert inherited(db, "ann") == {CLIENT: ("Sales", "Support")}
    allocation.deallocate(db, CLIENT, users=["ann"])  # still held through two workgroups
    assert configured(db, CLIENT) == (1, 0)
    allocation.deallocate(db, CLIENT, workgroups=["Sales"])
    assert configured(db, CLIENT) == (1, 0)
    allocation.deallocate(db, CLIENT, workgroups=["Support"])
    assert configured(db, CLIENT) == (0, 0)
    no_drift(db)


def test_a_direct_allocation_to_an_inheriting_user_is_kept_but_not_counted_again(
    db: Database,
) -> None:
    team(db, "Support", "ann", "bob", "cy")
    allocation.allocate(db, CLIENT, workgroups=["Support"])  # 3 of 3
    allocation.allocate(db, CLIENT, users=["ann"])  # no capacity needed: ann counts already
    assert users.get_user(db, "ann").keys == (CLIENT,)
    assert configured(db, CLIENT) == (3, 0)
    no_drift(db)


# --- members -------------------------------------------------------------------------------


def test_a_new_member_inherits_the_grants(db: Database) -> None:
    team(db, "Support", "ann")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    add_users(db, "bob")
    workgroups.add_member(db, "Support", "bob")
    assert inherited(db, "bob") == {CLIENT: ("Support",)}
    assert configured(db, CLIENT) == (2, 0)
    no_drift(db)


def test_a_member_over_the_threshold_is_refused_whole_and_named(db: Database) -> None:
    team(db, "Support", "ann", "bob", "cy")
    allocation.allocate(db, CLIENT, workgroups=["Support"])  # 3 of 3 Assignable
    add_users(db, "dee", "eve")
    before = snapshot(db)
    error = refused("R4", workgroups.add_member, db, "Support", "dee")
    assert "dee" in str(error) and "Support" in str(error)
    error = refused(
        "R4",
        workgroups.save_workgroup,
        db,
        "Support",
        ["call"],
        ["ann", "bob", "cy", "dee", "eve"],
        create=False,
    )
    assert "dee, eve" in str(error)
    assert snapshot(db) == before


def test_a_grant_past_assignable_allowed_is_refused_naming_the_members(db: Database) -> None:
    team(db, "Support", "ann", "bob", "cy", "dee")
    before = snapshot(db)
    error = refused("R4", allocation.allocate, db, CLIENT, workgroups=["Support"])
    assert "Assignable Allowed is 3" in str(error)
    assert "ann, bob, cy, dee" in str(error)
    assert snapshot(db) == before
    # A member who holds it already is not concerned: only those who would start counting.
    allocation.allocate(db, CLIENT, users=["ann"])
    error = refused("R4", allocation.allocate, db, CLIENT, workgroups=["Support"])
    assert "members concerned: bob, cy, dee)" in str(error)
    allocation.allocate(db, CLIENT, users=["bob"])
    workgroups.remove_member(db, "Support", "dee")
    allocation.allocate(db, CLIENT, workgroups=["Support"])  # only cy starts counting: fits
    assert configured(db, CLIENT) == (3, 0)
    no_drift(db)


def test_member_removal_releases_what_is_not_held_another_way(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    allocation.allocate(db, CLIENT, users=["bob"])
    workgroups.remove_member(db, "Support", "ann")
    workgroups.remove_member(db, "Support", "bob")
    assert inherited(db, "ann") == {}
    assert configured(db, CLIENT) == (1, 0)  # bob still holds it directly
    no_drift(db)


def test_grant_removal_keeps_direct_holdings(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, CLIENT, users=["ann"])
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    allocation.deallocate(db, CLIENT, workgroups=["Support"])
    assert users.get_user(db, "ann").keys == (CLIENT,)
    assert configured(db, CLIENT) == (1, 0)
    assert workgroups.list_workgroups(db)[0].licenses == ()
    no_drift(db)


def test_deleting_a_workgroup_or_a_member_releases_the_grants(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    users.delete_user(db, "bob")
    assert configured(db, CLIENT) == (1, 0)
    workgroups.delete_workgroup(db, "Support")
    assert configured(db, CLIENT) == (0, 0)
    assert inherited(db, "ann") == {}
    no_drift(db)


def test_enable_licenses_cleared_counts_inherited_keys_nowhere(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    users.update_user(db, "ann", licenses_enabled=False)
    assert configured(db, CLIENT) == (1, 0)
    users.update_user(db, "ann", licenses_enabled=True)
    assert configured(db, CLIENT) == (2, 0)
    no_drift(db)


# --- method switch, shape ------------------------------------------------------------------


def test_method_switch_moves_inherited_keys_and_is_refused_when_they_cannot_follow(
    db: Database,
) -> None:
    team(db, "Support", "ann")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    users.update_user(db, "ann", method=Pool.CONCURRENT)
    assert configured(db, CLIENT) == (0, 1)
    users.update_user(db, "ann", method=Pool.ASSIGNABLE)
    allocation.allocate(db, SOCIAL, workgroups=["Support"])  # no Concurrent licenses at all
    before = snapshot(db)
    error = refused("R16", users.update_user, db, "ann", method=Pool.CONCURRENT)
    assert "switching ann to Concurrent" in str(error) and "Social Media" in str(error)
    assert snapshot(db) == before
    no_drift(db)


def test_a_grant_a_concurrent_member_cannot_hold_is_refused_naming_them(db: Database) -> None:
    team(db, "Chat", "ann")
    add_users(db, "zed", method=Pool.CONCURRENT)
    workgroups.add_member(db, "Chat", "zed")
    error = refused("R2", allocation.allocate, db, SOCIAL, workgroups=["Chat"])
    assert "Concurrent members concerned: zed" in str(error)
    assert "ann" not in str(error)


def test_a_group_conflict_is_refused_naming_the_members(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, catalog.ACD_MEDIA_1, users=["bob"])
    error = refused("R11", allocation.allocate, db, catalog.ACD_MEDIA_2, workgroups=["Support"])
    assert "bob already holds ACD Media 1" in str(error) and "ann " not in str(error)
    allocation.allocate(db, catalog.ACD_MEDIA_1, workgroups=["Support"])
    refused("R11", allocation.allocate, db, catalog.ACD_MEDIA_2, workgroups=["Support"])
    # A level the user inherits blocks a second one given directly, too.
    refused(
        "R11",
        users.update_user,
        db,
        "ann",
        edit=KeyEdit(add=frozenset({catalog.ACD_MEDIA_3})),
    )


def test_stations_are_never_members_and_station_keys_are_never_granted(db: Database) -> None:
    team(db, "Support", "ann")
    refused("R7", allocation.allocate, db, catalog.BASIC_STATION, workgroups=["Support"])
    station(db, "s1")
    with pytest.raises(NotFound):
        workgroups.add_member(db, "Support", "s1")
    with pytest.raises(NotFound):
        allocation.allocate(db, CLIENT, workgroups=["nobody"])


def test_a_grant_of_a_key_not_purchased_is_refused_even_to_an_empty_workgroup(
    db: Database,
) -> None:
    workgroups.add_workgroup(db, "Empty", ["call"])
    refused("R2", allocation.allocate, db, "I3_ACCESS_SUPERVISOR_PLUS", workgroups=["Empty"])


def test_a_grant_and_an_allocation_in_one_command_are_all_or_nothing(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    add_users(db, "cy", "dee")
    before = snapshot(db)
    refused("R4", allocation.allocate, db, CLIENT, workgroups=["Support"], users=["cy", "dee"])
    assert snapshot(db) == before


# --- the Workgroup Configuration dialog's save ---------------------------------------------------


def test_save_workgroup_sets_the_exact_licenses(db: Database) -> None:
    team(db, "Support", "ann")
    workgroups.save_workgroup(
        db, "Support", ["call"], ["ann"], create=False, licenses=[CLIENT, "ACD Media 1"]
    )
    assert set(inherited(db, "ann")) == {CLIENT, catalog.ACD_MEDIA_1}
    workgroups.save_workgroup(db, "Support", ["call"], ["ann"], create=False, licenses=[CLIENT])
    assert set(inherited(db, "ann")) == {CLIENT}
    assert configured(db, catalog.ACD_MEDIA_1) == (0, 0)
    no_drift(db)


# --- notes, logon, License Configuration -----------------------------------------------------


def test_a_smaller_license_gives_members_a_note_naming_the_workgroup(db: Database) -> None:
    team(db, "Support", "ann")
    add_users(db, "zed", method=Pool.CONCURRENT)
    workgroups.add_member(db, "Support", "zed")
    allocation.allocate(db, catalog.ACD_MEDIA_1, workgroups=["Support"])
    smaller = {**ENTITLEMENTS, catalog.ACD_MEDIA_1: (5, 0)}
    licensing.seed_entitlements(db, smaller, "smaller")
    notes = {n.subject: n.message for n in compliance.notes(db) if n.rule == "R32"}
    media = catalog.describe(catalog.ACD_MEDIA_1).display_name
    assert notes == {
        "zed": f"{media} from workgroup Support has no Concurrent licenses "
        "and the user is Concurrent"
    }
    gone = {k: v for k, v in ENTITLEMENTS.items() if k != catalog.ACD_MEDIA_1}
    licensing.seed_entitlements(db, gone, "smaller still")
    notes = {n.subject: n.message for n in compliance.notes(db) if n.rule == "R32"}
    assert set(notes) == {"ann", "zed"}
    assert "not purchased any more" in notes["ann"] and "workgroup Support" in notes["ann"]


def test_a_concurrent_member_takes_granted_keys_at_logon(db: Database) -> None:
    station(db, "s1")
    team(db, "Desk", "zed", method=Pool.CONCURRENT)
    allocation.allocate(db, CLIENT, workgroups=["Desk"])
    result = logon.logon(db, "zed", station="s1")
    assert CLIENT in result.acquired
    assert row(db, CLIENT).concurrent_in_use == 1
    no_drift(db)


def test_license_configuration_lists_and_changes_workgroups(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    workgroups.add_workgroup(db, "Empty", ["call"])
    change = license_configuration.Change(add_workgroups=frozenset({"Support"}))
    license_configuration.apply(db, CLIENT, change)
    holders = license_configuration.holders_of(db, CLIENT)
    assert [(w.name, w.assignable, w.concurrent) for w in holders.workgroups] == [("Support", 2, 0)]
    offered = license_configuration.eligible_workgroups(db, CLIENT)
    assert [(w.name, w.refusal) for w in offered] == [("Empty", None)]
    license_configuration.apply(db, CLIENT, change.inverse())
    assert license_configuration.holders_of(db, CLIENT).workgroups == ()
    assert configured(db, CLIENT) == (0, 0)


def test_the_picker_greys_out_a_workgroup_whose_members_would_not_fit(db: Database) -> None:
    team(db, "Big", "a1", "a2", "a3", "a4")
    (big,) = license_configuration.eligible_workgroups(db, CLIENT)
    assert big.refusal is not None and big.refusal.rule == "R4"
    assert (big.assignable, big.concurrent) == (4, 0)


def test_the_counter_row_moves_in_the_grants_transaction(db: Database) -> None:
    team(db, "Support", "ann", "bob")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    with db.read() as session:
        query = select(KeyUsage.assignable_configured).where(KeyUsage.key == CLIENT)
        assert session.scalar(query) == 2


def test_a_long_list_of_members_is_cut_short() -> None:
    assert rules.name_members(["b", "a", "c"], limit=2) == "a, b and 1 more"


def test_bulk_allocation_counts_an_inheriting_user_once_and_undo_reverses_it(
    db: Database,
) -> None:
    team(db, "Support", "ann")
    add_users(db, "bob")
    allocation.allocate(db, CLIENT, workgroups=["Support"])
    changed = bulk.bulk_change(db, CLIENT, HolderKind.USER, ["ann", "bob"], allocate=True)
    assert changed == ["ann", "bob"]  # both got a direct allocation
    assert configured(db, CLIENT) == (2, 0)  # ann counted once
    bulk.bulk_change(db, CLIENT, HolderKind.USER, changed, allocate=False)  # the undo
    assert configured(db, CLIENT) == (1, 0) and inherited(db, "ann") == {CLIENT: ("Support",)}
    no_drift(db)
