"""Per-key counts: the entitlement of the license in force and the counter rows (R1, R3).

Every change that makes a holder's licenses start or stop counting goes through
`apply_deltas` in the same transaction, after `lock_counts` has read the rows under the
write lock. `recount` derives the same numbers from the allocation rows; tests use it to
prove the counters never drift.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from sqlalchemy import and_, bindparam, func, insert, select, union, update
from sqlalchemy.orm import Session

from ia_licensing.models import (
    Entitlement,
    KeyUsage,
    SessionLicense,
    Station,
    StationLicense,
    User,
    UserLicense,
    WorkgroupLicense,
    WorkgroupMember,
    tables,
)
from ia_licensing.models.cursor import Cursor
from ia_licensing.rules import KeyCounts, Pool

Deltas = Counter[tuple[str, Pool]]

_COLUMN = {Pool.ASSIGNABLE: "assignable_configured", Pool.CONCURRENT: "concurrent_configured"}


_usage = tables.key_usage
_entitlement = tables.entitlements
# Prebuilt Core statements: logon and logoff run these thousands of times, and building
# and caching a fresh ORM statement per call cost more than the SQL itself.
_USAGE_OF = (
    select(
        _usage.c.key,
        _usage.c.assignable_configured,
        _usage.c.concurrent_configured,
        _usage.c.concurrent_in_use,
    )
    .where(_usage.c.key.in_(bindparam("keys", expanding=True)))
    .order_by(_usage.c.key)
)
_USAGE_OF_LOCKED = _USAGE_OF.with_for_update()
_ENTITLED_OF = select(_entitlement.c.key, _entitlement.c.assigned, _entitlement.c.pooled).where(
    _entitlement.c.key.in_(bindparam("keys", expanding=True))
)
_USAGE_KEYS_OF = select(_usage.c.key).where(_usage.c.key.in_(bindparam("keys", expanding=True)))
_NEW_USAGE_ROW = insert(_usage).values(
    assignable_configured=0, concurrent_configured=0, concurrent_in_use=0
)
_ADD_TO = {
    pool: update(_usage)
    .where(_usage.c.key == bindparam("usage_key"))
    .values({column: _usage.c[column] + bindparam("delta")})
    for pool, column in _COLUMN.items()
}


def lock_counts(session: Session, keys: Iterable[str]) -> dict[str, KeyCounts]:
    """Counts for `keys`, read after the write lock is taken (see `lock_counts_on`)."""
    return lock_counts_on(Cursor.of(session), keys)


def lock_counts_on(cursor: Cursor, keys: Iterable[str]) -> dict[str, KeyCounts]:
    """Counts for `keys`, read after the write lock is taken.

    On SQLite the write transaction began with BEGIN IMMEDIATE; elsewhere the counter
    rows are locked (FOR UPDATE) in key order, so two editors never deadlock.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    locked = cursor.name != "sqlite"
    params = {"keys": wanted}
    usage = {row[0]: row for row in cursor.rows(_USAGE_OF_LOCKED if locked else _USAGE_OF, params)}
    entitled = {row[0]: row for row in cursor.rows(_ENTITLED_OF, params)}
    result = {}
    for key in wanted:
        u, e = usage.get(key), entitled.get(key)
        result[key] = KeyCounts(
            key,
            assigned=e[1] if e else 0,
            pooled=e[2] if e else 0,
            assignable_configured=u[1] if u else 0,
            concurrent_configured=u[2] if u else 0,
            concurrent_in_use=u[3] if u else 0,
        )
    return result


def lock_rows(session: Session, keys: Iterable[str]) -> None:
    lock_rows_on(Cursor.of(session), keys)


def lock_rows_on(cursor: Cursor, keys: Iterable[str]) -> None:
    """Lock the counter rows of `keys` before changing them without reading them. On
    SQLite, BEGIN IMMEDIATE already holds the database's one write lock."""
    if cursor.name != "sqlite":
        lock_counts_on(cursor, keys)


def ensure_usage_rows(session: Session, keys: Iterable[str]) -> None:
    ensure_usage_rows_on(Cursor.of(session), keys)


def ensure_usage_rows_on(cursor: Cursor, keys: Iterable[str]) -> None:
    wanted = sorted(set(keys))
    if not wanted:
        return
    existing = set(cursor.scalars(_USAGE_KEYS_OF, {"keys": wanted}))
    missing = [{"key": key} for key in wanted if key not in existing]
    if missing:
        cursor.run_many(_NEW_USAGE_ROW, missing)


def apply_deltas(session: Session, deltas: Mapping[tuple[str, Pool], int]) -> None:
    changed = {k: d for k, d in deltas.items() if d}
    if not changed:
        return
    ensure_usage_rows(session, {key for key, _ in changed})
    connection = session.connection()
    for (key, pool), delta in sorted(changed.items()):
        connection.execute(_ADD_TO[pool], {"usage_key": key, "delta": delta})


def all_counts(session: Session) -> list[KeyCounts]:
    """Every key that is purchased or counted: the rows of Licenses Allocation (R1, R3)."""
    usage = {u.key: u for u in session.scalars(select(KeyUsage))}
    entitled = {e.key: e for e in session.scalars(select(Entitlement))}
    rows = []
    for key in sorted(usage.keys() | entitled.keys()):
        u, e = usage.get(key), entitled.get(key)
        counts = KeyCounts(
            key,
            assigned=e.assigned if e else 0,
            pooled=e.pooled if e else 0,
            assignable_configured=u.assignable_configured if u else 0,
            concurrent_configured=u.concurrent_configured if u else 0,
            concurrent_in_use=u.concurrent_in_use if u else 0,
        )
        if counts.info.allocatable and (
            counts.purchased
            or counts.assignable_configured
            or counts.concurrent_configured
            or counts.concurrent_in_use
        ):
            rows.append(counts)
    return rows


def recount(session: Session) -> dict[str, tuple[int, int, int]]:
    """(assignable, concurrent, in use) per key, from the allocation rows themselves."""
    totals: dict[str, list[int]] = {}
    station_rows = session.execute(
        select(StationLicense.key, func.count())
        .join(Station, Station.id == StationLicense.station_id)
        .where(and_(Station.enabled, Station.licenses_enabled))
        .group_by(StationLicense.key)
    )
    for key, n in station_rows:
        totals.setdefault(key, [0, 0, 0])[0] += n
    # A user counts once per key, held directly or through any of their workgroups (R32):
    # UNION (not UNION ALL) keeps one (user, key) pair however many ways it is held.
    held = union(
        select(UserLicense.user_id, UserLicense.key),
        select(WorkgroupMember.user_id, WorkgroupLicense.key).join(
            WorkgroupLicense, WorkgroupLicense.workgroup_id == WorkgroupMember.workgroup_id
        ),
    ).subquery()
    user_rows = session.execute(
        select(held.c.key, User.method, func.count())
        .join(User, User.id == held.c.user_id)
        .where(User.licenses_enabled)
        .group_by(held.c.key, User.method)
    )
    for key, method, n in user_rows:
        totals.setdefault(key, [0, 0, 0])[0 if method == Pool.ASSIGNABLE else 1] += n
    for key, n in session.execute(
        select(SessionLicense.key, func.count()).group_by(SessionLicense.key)
    ):
        totals.setdefault(key, [0, 0, 0])[2] += n
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


def stored_counts(session: Session) -> dict[str, tuple[int, int, int]]:
    return {
        u.key: (u.assignable_configured, u.concurrent_configured, u.concurrent_in_use)
        for u in session.scalars(select(KeyUsage))
        if u.assignable_configured or u.concurrent_configured or u.concurrent_in_use
    }
