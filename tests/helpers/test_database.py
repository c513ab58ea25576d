"""The test-database helpers themselves."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.models.schema import Base
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, licensing, stations, users
from ia_licensing.services.errors import Refused
from tests.helpers.database import (
    DIALER,
    ENTITLEMENTS,
    add_stations,
    add_users,
    concurrent_user,
    refused,
    row,
    snapshot,
    station,
)


def test_the_db_fixture_has_entitlements_in_force(db: Database) -> None:
    client = row(db, catalog.CLIENT_ACCESS)
    assert (client.assignable_allowed, client.concurrent_allowed) == ENTITLEMENTS[
        catalog.CLIENT_ACCESS
    ]
    assert row(db, DIALER).concurrent_allowed == 2


def test_snapshot_sees_every_write_and_nothing_else(db: Database) -> None:
    before = snapshot(db)
    assert set(before) == {table.name for table in Base.metadata.sorted_tables}
    assert snapshot(db) == before
    assert before["user_account"] == []
    add_users(db, "alice")
    after = snapshot(db)
    assert len(after["user_account"]) == 1
    assert {name for name in after if after[name] != before[name]} >= {"user_account"}


def test_refused_returns_the_refusal_of_the_named_rule(db: Database) -> None:
    add_users(db, "alice")
    error = refused("R2", allocation.allocate, db, "I3_ACCESS_FEEDBACK", users=["alice"])
    assert isinstance(error, Refused) and error.rule == "R2"


def test_refused_fails_on_another_rule_or_no_refusal(db: Database) -> None:
    add_users(db, "alice")
    with pytest.raises(AssertionError, match="R2"):
        refused("R4", allocation.allocate, db, "I3_ACCESS_FEEDBACK", users=["alice"])
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        refused("R2", allocation.allocate, db, catalog.CLIENT_ACCESS, users=["alice"])


def test_add_users_and_add_stations(db: Database) -> None:
    add_users(db, "a", "b")
    add_users(db, "c", method=Pool.CONCURRENT)
    add_stations(db, "s1", "s2")
    assert {u.name: u.method for u in users.list_users(db)} == {
        "a": Pool.ASSIGNABLE,
        "b": Pool.ASSIGNABLE,
        "c": Pool.CONCURRENT,
    }
    assert [s.name for s in stations.list_stations(db)] == ["s1", "s2"]


def test_station_holds_basic_station_unless_told_not_to(db: Database) -> None:
    station(db, "s1", catalog.CLIENT_ACCESS)
    station(db, "s2", basic=False, enabled=False, licenses_enabled=False)
    s1, s2 = stations.get_station(db, "s1"), stations.get_station(db, "s2")
    assert set(s1.keys) == {catalog.BASIC_STATION, catalog.CLIENT_ACCESS}
    assert s1.enabled and s1.licenses_enabled
    assert set(s2.keys) == set()
    assert not s2.enabled and not s2.licenses_enabled


def test_concurrent_user_holds_its_keys_in_the_concurrent_pool(db: Database) -> None:
    concurrent_user(db, "cu", DIALER)
    info = users.get_user(db, "cu")
    assert info.method is Pool.CONCURRENT and set(info.keys) == {DIALER}


def test_entitlements_seed_a_database(empty_db: Database) -> None:
    licensing.seed_entitlements(empty_db, ENTITLEMENTS, "test license")
    assert row(empty_db, catalog.BASIC_STATION).assignable_allowed == 4  # 3 + 1 pooled
