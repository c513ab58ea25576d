"""The Licenses Allocation container: counts per key, and one key to many holders.

`allocate` and `deallocate` are all-or-nothing over any number of stations and users,
set-based (a handful of statements whatever the number of holders), and check capacity
once for the whole change under the write lock (R2, R4, R5, R7, R8, R11–R13, R17).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.models import Database, Station, StationLicense, User, UserLicense
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.services import audit, expiry, grants, usage
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.holders import resolve_key

CHUNK = 5000


@dataclass(frozen=True)
class AllocationRow:
    """One row of the Licenses Allocation container."""

    key: str
    name: str
    assignable_allowed: int
    assignable_configured: int
    concurrent_allowed: int
    concurrent_configured: int
    concurrent_in_use: int
    notes: str

    @classmethod
    def from_counts(cls, counts: KeyCounts) -> AllocationRow:
        return cls(
            counts.key,
            counts.info.display_name,
            counts.assignable_allowed,
            counts.assignable_configured,
            counts.concurrent_allowed,
            counts.concurrent_configured,
            counts.concurrent_in_use,
            "; ".join(n.message for n in rules.key_notes(counts)),
        )


@dataclass(frozen=True)
class AllocationResult:
    changed: int
    unchanged: int


def allocations(db: Database) -> list[AllocationRow]:
    """The rows of Licenses Allocation; once the license in force has expired (R28) every
    row's Notes begin by saying so, since none of them can be allocated any more."""
    with db.read() as session:
        rows = [AllocationRow.from_counts(c) for c in usage.all_counts(session)]
        expired = expiry.expired_refusal(session)
    if expired is not None:
        rows = [replace(r, notes="; ".join(filter(None, [expired.message, r.notes]))) for r in rows]
    return sorted(rows, key=lambda r: r.name.casefold())


def key_counts(db: Database, key: str) -> KeyCounts:
    with db.read() as session:
        return usage.lock_counts(session, [resolve_key(key)])[resolve_key(key)]


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@dataclass(frozen=True)
class _Holder:
    id: int
    name: str
    pool: Pool | None


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(rules.name_key(n) for n in names if n.strip()))


def _stations(session: Session, names: Sequence[str]) -> list[_Holder]:
    found: list[_Holder] = []
    for chunk in _chunks(names):
        query = select(Station.id, Station.name, Station.enabled, Station.licenses_enabled)
        for sid, name, enabled, lic in session.execute(query.where(Station.name_key.in_(chunk))):
            pool = rules.counting_pool(
                HolderKind.STATION, Pool.ASSIGNABLE, enabled=enabled, licenses_enabled=lic
            )
            found.append(_Holder(sid, name, pool))
    _require_all("station", names, found)
    return found


def _users(session: Session, names: Sequence[str]) -> list[_Holder]:
    found: list[_Holder] = []
    for chunk in _chunks(names):
        query = select(User.id, User.name, User.method, User.licenses_enabled)
        for uid, name, method, lic in session.execute(query.where(User.name_key.in_(chunk))):
            pool = rules.counting_pool(HolderKind.USER, Pool(method), licenses_enabled=lic)
            found.append(_Holder(uid, name, pool))
    _require_all("user", names, found)
    return found


def _require_all(kind: str, names: Sequence[str], found: list[_Holder]) -> None:
    if len(found) == len(names):
        return
    missing = sorted(set(names) - {rules.name_key(h.name) for h in found})
    shown = ", ".join(repr(m) for m in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    raise NotFound(f"no {kind} named {shown}{more}")


def _holding(
    session: Session,
    table: type[StationLicense] | type[UserLicense],
    ids: list[int],
    keys: Iterable[str],
) -> dict[int, set[str]]:
    """Which of `ids` hold which of `keys`."""
    owner = table.station_id if table is StationLicense else table.user_id  # type: ignore[union-attr]
    wanted = list(keys)
    held: dict[int, set[str]] = {}
    for chunk in _chunks(ids):
        query = select(owner, table.key).where(owner.in_(chunk), table.key.in_(wanted))
        for holder_id, key in session.execute(query):
            held.setdefault(holder_id, set()).add(key)
    return held


def _group_keys(info: catalog.LicenseKey) -> list[str]:
    if info.group is None:
        return [info.key]
    return [k.key for k in catalog.KEYS if k.group is info.group]


def allocate(
    db: Database,
    key: str,
    *,
    stations: Iterable[str] = (),
    users: Iterable[str] = (),
    workgroups: Iterable[str] = (),
) -> AllocationResult:
    """Allocate one key to many holders; all-or-nothing. Holders that have it already
    are left as they are. A workgroup is granted the key: its members hold it (R32)."""
    with db.write() as session:
        return allocate_in(session, key, stations=stations, users=users, workgroups=workgroups)


def allocate_in(
    session: Session,
    key: str,
    *,
    stations: Iterable[str] = (),
    users: Iterable[str] = (),
    workgroups: Iterable[str] = (),
) -> AllocationResult:
    """allocate inside the caller's transaction."""
    key = resolve_key(key)
    info = catalog.describe(key)
    station_names, user_names = _unique(stations), _unique(users)
    group_names = _unique(workgroups)
    if not station_names and not user_names and not group_names:
        raise InvalidInput("name at least one --user, --station or --workgroup")
    granted = 0
    for workgroup in grants.find_workgroups(session, group_names):
        granted += grants.grant_in(session, workgroup, key)
    if not station_names and not user_names:
        return AllocationResult(granted, len(group_names) - granted)
    shape = [
        rules.holder_refusal(info, kind)
        for kind, names in ((HolderKind.STATION, station_names), (HolderKind.USER, user_names))
        if names
    ]
    if any(shape):
        raise Refused([r for r in shape if r])
    new_stations = _new_holders(session, StationLicense, _stations(session, station_names), info)
    new_users = _new_holders(session, UserLicense, _users(session, user_names), info)
    if new_stations or new_users:
        expiry.refuse_if_expired(session)  # R28: nothing new once the license has expired
    # A user who holds the key through a workgroup already counts for it (R32).
    inheriting = _inheriting(session, new_users, key)
    starting = [*new_stations, *(h for h in new_users if h.id not in inheriting)]
    additions = Counter(h.pool for h in starting if h.pool is not None)
    counts = usage.lock_counts(session, [key])[key]
    if new_stations and (problem := rules.station_pool_refusal(counts)) is not None:
        raise Refused(problem)
    _check_capacity(counts, additions, len(new_stations) + len(new_users))
    if new_stations:
        rows = [{"station_id": h.id, "key": key} for h in new_stations]
        session.execute(insert(StationLicense), rows)
    if new_users:
        session.execute(insert(UserLicense), [{"user_id": h.id, "key": key} for h in new_users])
    usage.apply_deltas(session, {(key, pool): n for pool, n in additions.items()})
    audit.record_many(
        session,
        AuditAction.ALLOCATE,
        ((h.name, "", info.display_name) for h in (*new_stations, *new_users)),
    )
    changed = len(new_stations) + len(new_users) + granted
    named = len(station_names) + len(user_names) + len(group_names)
    return AllocationResult(changed, named - changed)


def _inheriting(session: Session, holders: Sequence[_Holder], key: str) -> set[int]:
    """The users among `holders` who hold `key` through a workgroup (R32)."""
    ids = [h.id for h in holders]
    return (
        {
            i
            for i, keys in grants.holdings(session, grants.Scope(ids=ids), [key]).items()
            if key in keys
        }
        if ids
        else set()
    )


def _new_holders(
    session: Session,
    table: type[StationLicense] | type[UserLicense],
    holders: list[_Holder],
    info: catalog.LicenseKey,
) -> list[_Holder]:
    ids = [h.id for h in holders]
    held = _holding(session, table, ids, _group_keys(info))
    every_way = held
    if table is UserLicense and ids:  # what users hold through workgroups counts (R11-R13)
        every_way = grants.holdings(session, grants.Scope(ids=ids), _group_keys(info))
    for holder in holders:
        refusal = rules.group_refusal(info, every_way.get(holder.id, ()))
        if refusal is not None:
            raise Refused(Refusal(refusal.rule, f"{holder.name}: {refusal.message}"))
    return [h for h in holders if info.key not in held.get(h.id, ())]


def _check_capacity(counts: KeyCounts, additions: Counter[Pool], new_holders: int) -> None:
    """R2 for any new holder; per pool, R5 (no Concurrent licenses) and R4 (capacity)."""
    if new_holders and not counts.purchased:
        raise Refused(rules.not_purchased_refusal(counts))
    refusals = []
    for pool, added in sorted(additions.items()):
        refusals += rules.start_counting_refusals(
            "allocation", {counts.key: added}, pool, {counts.key: counts}
        )
    if refusals:
        raise Refused(refusals)


def deallocate(
    db: Database,
    key: str,
    *,
    stations: Iterable[str] = (),
    users: Iterable[str] = (),
    workgroups: Iterable[str] = (),
) -> AllocationResult:
    """Remove one key from many holders; holders without it are left as they are. A
    workgroup's grant is taken back: members keep what they hold another way (R32)."""
    with db.write() as session:
        return deallocate_in(session, key, stations=stations, users=users, workgroups=workgroups)


def deallocate_in(
    session: Session,
    key: str,
    *,
    stations: Iterable[str] = (),
    users: Iterable[str] = (),
    workgroups: Iterable[str] = (),
) -> AllocationResult:
    """deallocate inside the caller's transaction."""
    key = resolve_key(key)
    info = catalog.describe(key)
    station_names, user_names = _unique(stations), _unique(users)
    group_names = _unique(workgroups)
    if not station_names and not user_names and not group_names:
        raise InvalidInput("name at least one --user, --station or --workgroup")
    ungranted = 0
    for workgroup in grants.find_workgroups(session, group_names):
        ungranted += grants.ungrant_in(session, workgroup, key)
    deltas: Counter[tuple[str, Pool]] = Counter()
    removed: list[str] = []
    for table, holders in (
        (StationLicense, _stations(session, station_names)),
        (UserLicense, _users(session, user_names)),
    ):
        held = _holding(session, table, [h.id for h in holders], [key])
        losing = [h for h in holders if h.id in held]
        owner = table.station_id if table is StationLicense else table.user_id  # type: ignore[union-attr]
        for chunk in _chunks([h.id for h in losing]):
            session.execute(delete(table).where(owner.in_(chunk), table.key == key))
        # A user who still holds the key through a workgroup keeps counting (R32).
        keeping = _inheriting(session, losing, key) if table is UserLicense else set()
        for holder in losing:
            if holder.pool is not None and holder.id not in keeping:
                deltas[key, holder.pool] -= 1
            removed.append(holder.name)
    usage.lock_counts(session, [key])
    usage.apply_deltas(session, deltas)
    audit.record_many(
        session, AuditAction.DEALLOCATE, ((n, info.display_name, "") for n in removed)
    )
    changed = len(removed) + ungranted
    named = len(station_names) + len(user_names) + len(group_names)
    return AllocationResult(changed, named - changed)
