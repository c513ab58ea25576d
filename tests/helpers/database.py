"""The test database: the license in force in it, shortcuts to fill it, ways to read it."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.models.schema import Base
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, stations, users
from ia_licensing.services.errors import Refused

# A small license for rule tests: tight counts make the thresholds easy to reach.
ENTITLEMENTS: dict[str, tuple[int, int]] = {
    catalog.BASIC_STATION: (3, 1),
    catalog.CLIENT_ACCESS: (3, 2),
    catalog.ACD_MEDIA_1: (5, 5),
    catalog.ACD_MEDIA_2: (5, 5),
    catalog.ACD_MEDIA_3: (5, 5),
    catalog.ACD_SOCIAL_MEDIA: (5, 0),
    catalog.IPA_DIRECT: (5, 5),
    catalog.IPA_GROUP: (5, 5),
    catalog.IPA_MONITOR: (5, 5),
    catalog.ANALYTICS_CORE: (5, 5),
    catalog.ANALYTICS_DESIGNER: (5, 5),
    catalog.ANALYTICS_ENTERPRISE: (5, 0),
    "I3_ACCESS_RECORDER": (2, 0),
    "I3_ACCESS_DIALER_ADDON": (0, 2),
    "I3_LICENSE_MEDIA_SESSION_ADDON": (10, 0),
    "I3_FEATURE_SIP": (1, 0),
    "MSCRM_INTEGRATION": (0, 4),
}

DIALER = "I3_ACCESS_DIALER_ADDON"  # Concurrent only, Concurrent Allowed 2


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that a refused change wrote nothing."""
    with db.engine.connect() as conn:
        return {
            table.name: sorted(tuple(row) for row in conn.execute(table.select()))
            for table in Base.metadata.sorted_tables
        }


def row(db: Database, key: str) -> allocation.AllocationRow:
    return next(r for r in allocation.allocations(db) if r.key == key)


def refused(rule: str, call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as info:
        call(*args, **kwargs)
    assert info.value.rule == rule, str(info.value)
    assert f"({rule})" in str(info.value)
    return info.value


def add_users(db: Database, *names: str, method: Pool = Pool.ASSIGNABLE) -> None:
    for name in names:
        users.add_user(db, name, method)


def add_stations(db: Database, *names: str) -> None:
    for name in names:
        stations.add_station(db, name)


def station(
    db: Database,
    name: str,
    *keys: str,
    basic: bool = True,
    enabled: bool = True,
    licenses_enabled: bool = True,
) -> None:
    held = frozenset(keys) | ({catalog.BASIC_STATION} if basic else set())
    stations.add_station(db, name, keys=held, enabled=enabled, licenses_enabled=licenses_enabled)


def concurrent_user(db: Database, name: str, *keys: str, **kwargs: bool) -> None:
    users.add_user(db, name, Pool.CONCURRENT, keys=frozenset(keys), **kwargs)


def only_refusals_recorded(db: Database, before: dict[str, list[tuple[object, ...]]]) -> list[str]:
    """Assert that nothing changed since `before` but "logon refused" audit rows and their
    denials (R30, R33: a refused logon changes nothing and is recorded); returns their
    subjects."""
    after = snapshot(db)
    recorded = ("audit_event", "usage_denial")
    assert {k: v for k, v in after.items() if k not in recorded} == {
        k: v for k, v in before.items() if k not in recorded
    }
    old_denials = before.get("usage_denial", [])
    assert after.get("usage_denial", [])[: len(old_denials)] == old_denials
    old = before["audit_event"]
    assert after["audit_event"][: len(old)] == old
    new = after["audit_event"][len(old) :]
    assert [row[3] for row in new] == ["logon refused"] * len(new)
    assert len(after.get("usage_denial", [])) - len(old_denials) == len(new)
    return [str(row[4]) for row in new]
