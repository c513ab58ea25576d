"""The License Configuration dialog's service: holders by tab, the Add… picker, apply."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import allocation, stations, users
from ia_licensing.services import license_configuration as lc
from ia_licensing.services.errors import InvalidInput, Refused
from tests.helpers.database import add_stations, add_users, row, snapshot

CLIENT = catalog.CLIENT_ACCESS
BASIC = catalog.BASIC_STATION


def names(holders: tuple[lc.Holder, ...] | list[lc.Eligible]) -> list[str]:
    return [h.name for h in holders]


def test_holders_of_splits_users_by_method_and_lists_stations(db: Database) -> None:
    add_users(db, "bob", "alice")
    add_users(db, "carol", method=Pool.CONCURRENT)
    add_stations(db, "s2", "s1")
    allocation.allocate(db, CLIENT, users=["alice", "bob", "carol"], stations=["s1"])
    holders = lc.holders_of(db, "client access")
    assert holders.key == CLIENT
    assert holders.display_name == "Client Access"
    assert names(holders.assignable_users) == ["alice", "bob"]
    assert names(holders.concurrent_users) == ["carol"]
    assert names(holders.stations) == ["s1"]
    assert holders.counts.assignable_configured == 3
    assert holders.counts.concurrent_configured == 1
    assert holders.users(Pool.CONCURRENT) == holders.concurrent_users


def test_holders_of_marks_holders_that_count_nowhere(db: Database) -> None:
    users.add_user(db, "idle", licenses_enabled=False)
    stations.add_station(db, "off", enabled=False)
    allocation.allocate(db, CLIENT, users=["idle"], stations=["off"])
    holders = lc.holders_of(db, CLIENT)
    assert holders.assignable_users == (lc.Holder("idle", counting=False),)
    assert holders.stations == (lc.Holder("off", counting=False),)
    assert holders.counts.assignable_configured == 0


def test_eligible_lists_only_holders_without_the_key_of_the_tab_method(db: Database) -> None:
    add_users(db, "alice", "bob")
    add_users(db, "carol", method=Pool.CONCURRENT)
    allocation.allocate(db, CLIENT, users=["alice"])
    assignable = lc.eligible(db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE)
    assert names(assignable) == ["bob"]
    concurrent = lc.eligible(db, CLIENT, HolderKind.USER, Pool.CONCURRENT)
    assert names(concurrent) == ["carol"]
    assert all(e.refusal is None for e in assignable + concurrent)


def test_eligible_filters_case_insensitively_with_a_limit(db: Database) -> None:
    add_users(db, "Agent_1", "agent%2", "Agent3", "boss")
    # Ordered by the case-folded name, as the database sorts it.
    assert names(lc.eligible(db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE, "AGENT")) == [
        "agent%2",
        "Agent3",
        "Agent_1",
    ]
    # LIKE wildcards typed by the administrator are plain characters.
    assert names(lc.eligible(db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE, "%")) == ["agent%2"]
    assert names(lc.eligible(db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE, "_")) == ["Agent_1"]
    assert len(lc.eligible(db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE, limit=2)) == 2


def test_eligible_greys_out_a_user_with_another_acd_level_r11(db: Database) -> None:
    add_users(db, "alice", "bob")
    allocation.allocate(db, catalog.ACD_MEDIA_1, users=["alice"])
    found = {
        e.name: e for e in lc.eligible(db, catalog.ACD_MEDIA_2, HolderKind.USER, Pool.ASSIGNABLE)
    }
    assert found["bob"].refusal is None
    refusal = found["alice"].refusal
    assert refusal is not None and refusal.rule == "R11"
    assert "ACD Media 1 is already allocated" in refusal.message


def test_eligible_basic_station_users_are_refused_r7(db: Database) -> None:
    add_users(db, "alice")
    [alice] = lc.eligible(db, BASIC, HolderKind.USER, Pool.ASSIGNABLE)
    assert alice.refusal is not None and alice.refusal.rule == "R7"


def test_eligible_capacity_counts_pending_additions_r4(db: Database) -> None:
    add_users(db, "a", "b", "c", "d")
    allocation.allocate(db, CLIENT, users=["a", "b"])
    pending = lc.Change(add_users=frozenset({"c"}))
    [d] = lc.eligible(
        db, CLIENT, HolderKind.USER, Pool.ASSIGNABLE, pending=pending, pending_configured=1
    )
    assert d.name == "d"
    assert d.refusal is not None and d.refusal.rule == "R4"


def test_eligible_offers_pending_removals_again(db: Database) -> None:
    add_stations(db, "s1", "s2")
    allocation.allocate(db, BASIC, stations=["s1"])
    pending = lc.Change(remove_stations=frozenset({"S1"}))
    found = lc.eligible(db, BASIC, HolderKind.STATION, Pool.ASSIGNABLE, pending=pending)
    assert names(found) == ["s1", "s2"]


def test_eligible_refuses_stations_on_the_concurrent_tab_r8(db: Database) -> None:
    with pytest.raises(InvalidInput, match="R8"):
        lc.eligible(db, CLIENT, HolderKind.STATION, Pool.CONCURRENT)


def test_apply_adds_and_removes_and_inverse_undoes(db: Database) -> None:
    add_users(db, "alice", "bob")
    add_stations(db, "s1")
    allocation.allocate(db, CLIENT, users=["alice"])
    change = lc.Change(
        add_users=frozenset({"bob"}),
        add_stations=frozenset({"s1"}),
        remove_users=frozenset({"alice"}),
    )
    lc.apply(db, CLIENT, change)
    holders = lc.holders_of(db, CLIENT)
    assert names(holders.assignable_users) == ["bob"]
    assert names(holders.stations) == ["s1"]
    assert row(db, CLIENT).assignable_configured == 2
    lc.apply(db, CLIENT, change.inverse())
    assert names(lc.holders_of(db, CLIENT).assignable_users) == ["alice"]
    assert row(db, CLIENT).assignable_configured == 1


def test_apply_over_capacity_is_refused_and_writes_nothing_r4(db: Database) -> None:
    add_users(db, "a", "b", "c", "d")
    before = snapshot(db)
    with pytest.raises(Refused) as info:
        lc.apply(db, CLIENT, lc.Change(add_users=frozenset({"a", "b", "c", "d"})))
    assert info.value.rule == "R4"
    assert "Assignable Allowed is 3" in str(info.value)
    assert snapshot(db) == before


def test_apply_swapping_a_holder_at_full_capacity_is_allowed(db: Database) -> None:
    add_users(db, "a", "b", "c", "d")
    allocation.allocate(db, CLIENT, users=["a", "b", "c"])
    lc.apply(db, CLIENT, lc.Change(add_users=frozenset({"d"}), remove_users=frozenset({"a"})))
    assert names(lc.holders_of(db, CLIENT).assignable_users) == ["b", "c", "d"]


def test_apply_basic_station_to_a_user_is_refused_r7(db: Database) -> None:
    add_users(db, "alice")
    before = snapshot(db)
    with pytest.raises(Refused) as info:
        lc.apply(db, BASIC, lc.Change(add_users=frozenset({"alice"})))
    assert info.value.rule == "R7"
    assert snapshot(db) == before


def test_apply_key_not_purchased_is_refused_r2(db: Database) -> None:
    users.add_user(db, "idle", licenses_enabled=False)
    with pytest.raises(Refused) as info:
        lc.apply(db, "I3_ACCESS_FEEDBACK", lc.Change(add_users=frozenset({"idle"})))
    assert info.value.rule == "R2"


def test_apply_nothing_is_a_no_op(db: Database) -> None:
    before = snapshot(db)
    assert lc.apply(db, CLIENT, lc.Change()).is_empty
    assert snapshot(db) == before
