"""Service-level tests of the allocation rules R1–R8 (counts, purchase, capacity, pools)."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, licensing, stations, users
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import ENTITLEMENTS, add_stations, add_users, refused, row, snapshot

CLIENT = catalog.CLIENT_ACCESS


# R1 ---------------------------------------------------------------------------------


def test_r1_allowed_counts_come_from_the_license(db: Database) -> None:
    basic = row(db, catalog.BASIC_STATION)
    assert (basic.assignable_allowed, basic.concurrent_allowed) == (4, 0)  # 3 assigned + 1 pooled
    client = row(db, CLIENT)
    assert (client.assignable_allowed, client.concurrent_allowed) == (3, 2)
    assert row(db, "MSCRM_INTEGRATION").name == "Arbitrary: MSCRM_INTEGRATION"


def test_r1_keys_not_in_the_license_are_not_listed(db: Database) -> None:
    keys = {r.key for r in allocation.allocations(db)}
    assert "I3_ACCESS_FEEDBACK" not in keys
    assert "I3_FEATURE_SIP" not in keys  # features are not access keys (R29)
    assert "I3_LICENSE_MEDIA_SESSION_ADDON" not in keys


def test_r1_a_new_license_changes_allowed_counts_at_once(db: Database) -> None:
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (7, 0)}, "bigger")
    assert row(db, CLIENT).assignable_allowed == 7
    assert row(db, CLIENT).concurrent_allowed == 0


# R2 ---------------------------------------------------------------------------------


def test_r2_allocating_a_key_not_purchased_is_refused_and_writes_nothing(db: Database) -> None:
    add_users(db, "alice")
    add_stations(db, "s1")
    before = snapshot(db)
    refused("R2", allocation.allocate, db, "I3_ACCESS_FEEDBACK", users=["alice"])
    refused(
        "R2", users.update_user, db, "alice", edit=KeyEdit(add=frozenset({"I3_ACCESS_TRACKER"}))
    )
    refused(
        "R2", stations.update_station, db, "s1", edit=KeyEdit(add=frozenset({"I3_ACCESS_TRACKER"}))
    )
    assert snapshot(db) == before


def test_r2_a_key_with_zero_of_both_is_not_purchased(db: Database) -> None:
    licensing.seed_entitlements(db, {**ENTITLEMENTS, "I3_ACCESS_TRACKER": (0, 0)}, "zero")
    add_users(db, "alice")
    refused("R2", allocation.allocate, db, "I3_ACCESS_TRACKER", users=["alice"])


def test_r2_concurrent_user_cannot_take_a_key_without_concurrent_licenses(db: Database) -> None:
    add_users(db, "carol", method=Pool.CONCURRENT)
    before = snapshot(db)
    refused("R2", allocation.allocate, db, catalog.ACD_SOCIAL_MEDIA, users=["carol"])
    assert snapshot(db) == before


def test_r29_features_and_sessions_are_not_allocatable(db: Database) -> None:
    add_users(db, "alice")
    refused("R29", allocation.allocate, db, "I3_FEATURE_SIP", users=["alice"])
    refused("R29", allocation.allocate, db, "I3_LICENSE_MEDIA_SESSION_ADDON", users=["alice"])


# R3 ---------------------------------------------------------------------------------


def test_r3_configured_counts_follow_holders_and_methods(db: Database) -> None:
    add_stations(db, "s1", "s2")
    add_users(db, "alice")
    add_users(db, "carol", "dave", method=Pool.CONCURRENT)
    allocation.allocate(db, CLIENT, stations=["s1"], users=["alice", "carol", "dave"])
    client = row(db, CLIENT)
    assert (client.assignable_configured, client.concurrent_configured) == (2, 2)
    assert client.concurrent_in_use == 0


def test_r3_a_disabled_station_counts_nowhere(db: Database) -> None:
    stations.add_station(db, "s1", enabled=False)
    allocation.allocate(db, CLIENT, stations=["s1"])
    assert row(db, CLIENT).assignable_configured == 0
    stations.update_station(db, "s1", enabled=True)
    assert row(db, CLIENT).assignable_configured == 1


# R4 ---------------------------------------------------------------------------------


def test_r4_single_allocation_past_assignable_allowed_is_refused(db: Database) -> None:
    add_users(db, "u1", "u2", "u3", "u4")
    for name in ("u1", "u2", "u3"):
        allocation.allocate(db, CLIENT, users=[name])
    before = snapshot(db)
    error = refused("R4", allocation.allocate, db, CLIENT, users=["u4"])
    assert "Client Access" in str(error) and "Allowed is 3" in str(error)
    assert "3 are configured" in str(error)
    assert snapshot(db) == before


def test_r4_bulk_allocation_is_all_or_nothing(db: Database) -> None:
    add_users(db, "u1", "u2")
    add_stations(db, "s1", "s2")
    before = snapshot(db)
    refused("R4", allocation.allocate, db, CLIENT, users=["u1", "u2"], stations=["s1", "s2"])
    assert snapshot(db) == before
    result = allocation.allocate(db, CLIENT, users=["u1", "u2"], stations=["s1"])
    assert result.changed == 3
    assert row(db, CLIENT).assignable_configured == 3


def test_r4_an_edit_through_the_station_licensing_tab_is_refused_too(db: Database) -> None:
    add_stations(db, "s1", "s2", "s3", "s4", "s5")
    allocation.allocate(db, catalog.BASIC_STATION, stations=["s1", "s2", "s3", "s4"])
    before = snapshot(db)
    edit = KeyEdit(add=frozenset({catalog.BASIC_STATION}))
    refused("R4", stations.update_station, db, "s5", edit=edit)
    refused("R4", stations.add_station, db, "s6", keys=frozenset({catalog.BASIC_STATION}))
    assert snapshot(db) == before


def test_r4_unknown_holder_in_a_bulk_writes_nothing(db: Database) -> None:
    add_users(db, "u1")
    before = snapshot(db)
    with pytest.raises(Exception, match="no user named 'ghost'"):
        allocation.allocate(db, CLIENT, users=["u1", "ghost"])
    assert snapshot(db) == before


def test_r4_removing_is_always_allowed_even_when_over_allocated(db: Database) -> None:
    add_users(db, "u1", "u2", "u3")
    allocation.allocate(db, CLIENT, users=["u1", "u2", "u3"])
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (1, 0)}, "smaller")
    add_users(db, "u4")
    refused("R4", allocation.allocate, db, CLIENT, users=["u4"])
    allocation.deallocate(db, CLIENT, users=["u3"])
    assert row(db, CLIENT).assignable_configured == 2


# R5 ---------------------------------------------------------------------------------


def test_r5_concurrent_configured_may_exceed_concurrent_allowed(db: Database) -> None:
    add_users(db, *(f"c{i}" for i in range(6)), method=Pool.CONCURRENT)
    allocation.allocate(db, "MSCRM_INTEGRATION", users=[f"c{i}" for i in range(6)])
    mscrm = row(db, "MSCRM_INTEGRATION")
    assert (mscrm.concurrent_allowed, mscrm.concurrent_configured) == (4, 6)
    assert mscrm.notes == ""  # pooling is the point: configured past allowed is no problem


def test_r5_a_key_with_no_assignable_licenses_cannot_be_assigned(db: Database) -> None:
    add_users(db, "alice")
    refused("R4", allocation.allocate, db, "I3_ACCESS_DIALER_ADDON", users=["alice"])


# R6 ---------------------------------------------------------------------------------


def test_r6_a_smaller_license_keeps_allocations_and_notes_the_excess(db: Database) -> None:
    add_users(db, "u1", "u2", "u3")
    allocation.allocate(db, CLIENT, users=["u1", "u2", "u3"])
    licensing.seed_entitlements(db, {**ENTITLEMENTS, CLIENT: (1, 0)}, "smaller")
    client = row(db, CLIENT)
    assert client.assignable_configured == 3
    assert client.notes == "Assignable over-allocated by 2 — remove 2"


def test_r6_a_key_configured_but_no_longer_purchased_is_noted(db: Database) -> None:
    add_users(db, "u1")
    allocation.allocate(db, "I3_ACCESS_RECORDER", users=["u1"])
    reduced = {k: v for k, v in ENTITLEMENTS.items() if k != "I3_ACCESS_RECORDER"}
    licensing.seed_entitlements(db, reduced, "without recorder")
    recorder = row(db, "I3_ACCESS_RECORDER")
    assert recorder.assignable_allowed == 0
    assert "no longer purchased" in recorder.notes


# R7, R8 -----------------------------------------------------------------------------


def test_r7_basic_station_to_a_user_is_refused(db: Database) -> None:
    add_users(db, "alice")
    before = snapshot(db)
    error = refused("R7", allocation.allocate, db, "Basic Station", users=["alice"])
    assert str(error) == "refused (R7): Basic Station can only be allocated to stations"
    refused(
        "R7", users.update_user, db, "alice", edit=KeyEdit(add=frozenset({catalog.BASIC_STATION}))
    )
    refused("R7", users.add_user, db, "bob", keys=frozenset({catalog.BASIC_STATION}))
    assert snapshot(db) == before


def test_r8_stations_count_as_assignable_only(db: Database) -> None:
    add_stations(db, "s1")
    allocation.allocate(db, CLIENT, stations=["s1"])
    client = row(db, CLIENT)
    assert (client.assignable_configured, client.concurrent_configured) == (1, 0)


def test_r8_a_concurrent_only_key_cannot_go_to_a_station(db: Database) -> None:
    add_stations(db, "s1")
    before = snapshot(db)
    refused("R8", allocation.allocate, db, "MSCRM_INTEGRATION", stations=["s1"])
    refused(
        "R8", stations.update_station, db, "s1", edit=KeyEdit(add=frozenset({"MSCRM_INTEGRATION"}))
    )
    assert snapshot(db) == before
