"""The License Configuration dialog's use cases: who holds one key, who may be added.

IA's dialog shows, for one key, an Assignable tab (User Name and Station Name lists) and a
Concurrent tab (User Name list). A user's tab is decided by the user's License allocation
method, because all of a user's licenses follow it (R16); stations are Assignable only (R8).
Everything here is set-based: the Add… picker filters with LIKE and LIMIT in SQL, so it
stays fast at 50,000 users. Changes are applied through the allocation use cases, in one
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, bindparam, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from ia_licensing import catalog, rules
from ia_licensing.models import (
    Database,
    Station,
    StationLicense,
    User,
    UserLicense,
    Workgroup,
    WorkgroupLicense,
    WorkgroupMember,
    tables,
)
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.services import allocation, grants, usage
from ia_licensing.services.errors import InvalidInput
from ia_licensing.services.holders import resolve_key


class Holder(NamedTuple):
    """A station or user in one of the dialog's lists (a tuple: a key held by 100,000
    holders builds 100,000 of them each time the dialog opens).

    `counting` is False when the holder's licenses count nowhere (a disabled station, or
    Enable Licenses cleared, R3/R14): it is listed but not part of Total configured.
    """

    name: str
    counting: bool = True


class GrantHolder(NamedTuple):
    """A workgroup in a Workgroup Name list (R32), with how many of its members count, per
    pool, through it alone: granted, they stop counting if it is deleted; offered by the
    Add… picker, they start counting if it is added."""

    name: str
    assignable: int = 0
    concurrent: int = 0

    def in_pool(self, pool: Pool) -> int:
        return self.assignable if pool is Pool.ASSIGNABLE else self.concurrent


@dataclass(frozen=True)
class EligibleWorkgroup:
    """A workgroup the Add… picker lists; `refusal` set means it is shown greyed out."""

    name: str
    refusal: Refusal | None
    assignable: int = 0
    concurrent: int = 0

    def in_pool(self, pool: Pool) -> int:
        return self.assignable if pool is Pool.ASSIGNABLE else self.concurrent


@dataclass(frozen=True)
class KeyHolders:
    """What License Configuration - <name> shows when it opens."""

    key: str
    display_name: str
    assignable_users: tuple[Holder, ...]
    stations: tuple[Holder, ...]
    concurrent_users: tuple[Holder, ...]
    counts: KeyCounts
    workgroups: tuple[GrantHolder, ...] = ()  # granted the key (R32), on both tabs

    def users(self, pool: Pool) -> tuple[Holder, ...]:
        return self.assignable_users if pool is Pool.ASSIGNABLE else self.concurrent_users


@dataclass(frozen=True)
class Eligible:
    """A holder the Add… picker lists; `refusal` set means it is shown greyed out."""

    name: str
    refusal: Refusal | None
    counting: bool = True


@dataclass(frozen=True)
class Change:
    """The dialog's pending edits to one key: names to add and to remove."""

    add_users: frozenset[str] = frozenset()
    add_stations: frozenset[str] = frozenset()
    remove_users: frozenset[str] = frozenset()
    remove_stations: frozenset[str] = frozenset()
    add_workgroups: frozenset[str] = frozenset()  # grants (R32)
    remove_workgroups: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (
            self.add_users
            or self.add_stations
            or self.remove_users
            or self.remove_stations
            or self.add_workgroups
            or self.remove_workgroups
        )

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return Change(
            self.remove_users,
            self.remove_stations,
            self.add_users,
            self.add_stations,
            self.remove_workgroups,
            self.add_workgroups,
        )


def _user_pool(method: str, licenses_enabled: bool) -> Pool | None:
    return rules.counting_pool(HolderKind.USER, Pool(method), licenses_enabled=licenses_enabled)


def _station_pool(enabled: bool, licenses_enabled: bool) -> Pool | None:
    return rules.counting_pool(
        HolderKind.STATION, Pool.ASSIGNABLE, enabled=enabled, licenses_enabled=licenses_enabled
    )


_users = tables.users
_user_licenses = tables.user_licenses
_stations = tables.stations
_station_licenses = tables.station_licenses
# Core, not ORM: at 100,000 holders the ORM's per-row work cost more than the query.
_members = tables.workgroup_members
_grants = tables.workgroup_licenses
# A user who also holds the key through a workgroup counts through it (R32): removing the
# direct allocation changes no count, so the list does not count it in Total configured.
_INHERITS = (
    exists()
    .where(
        _members.c.user_id == _users.c.id,
        _grants.c.workgroup_id == _members.c.workgroup_id,
        _grants.c.key == bindparam("key"),
    )
    .correlate(_users)
)
_USERS_HOLDING = (
    select(_users.c.name, _users.c.method, _users.c.licenses_enabled, _INHERITS)
    .join_from(_users, _user_licenses, _user_licenses.c.user_id == _users.c.id)
    .where(_user_licenses.c.key == bindparam("key"))
    .order_by(_users.c.name_key)
)
_STATIONS_HOLDING = (
    select(_stations.c.name, _stations.c.enabled, _stations.c.licenses_enabled)
    .join_from(_stations, _station_licenses, _station_licenses.c.station_id == _stations.c.id)
    .where(_station_licenses.c.key == bindparam("key"))
    .order_by(_stations.c.name_key)
)


def holders_of(db: Database, key: str) -> KeyHolders:
    """The stations and users holding `key`, by tab, with the key's counts."""
    key = resolve_key(key)
    # The rules decide once per combination of flags, not once per holder.
    flags = (False, True)
    user_counts = {
        (pool.value, on): _user_pool(pool.value, on) is not None for pool in Pool for on in flags
    }
    station_counts = {
        (enabled, on): _station_pool(enabled, on) is not None for enabled in flags for on in flags
    }
    with db.read() as session:
        connection = session.connection()
        by_pool: dict[str, list[Holder]] = {pool.value: [] for pool in Pool}
        for name, method, on, inherits in connection.execute(_USERS_HOLDING, {"key": key}):
            by_pool[method].append(Holder(name, user_counts[method, bool(on)] and not inherits))
        station_list = tuple(
            Holder(name, station_counts[bool(enabled), bool(on)])
            for name, enabled, on in connection.execute(_STATIONS_HOLDING, {"key": key})
        )
        counts = usage.lock_counts(session, [key])[key]
        granted = session.execute(
            select(Workgroup.id, Workgroup.name)
            .join(WorkgroupLicense, WorkgroupLicense.workgroup_id == Workgroup.id)
            .where(WorkgroupLicense.key == key)
            .order_by(Workgroup.name_key)
        ).all()
        sole = _through_alone(session, key, [wg_id for wg_id, _ in granted])
    return KeyHolders(
        key,
        catalog.describe(key).display_name,
        tuple(by_pool[Pool.ASSIGNABLE.value]),
        station_list,
        tuple(by_pool[Pool.CONCURRENT.value]),
        counts,
        tuple(GrantHolder(name, *sole.get(wg_id, (0, 0))) for wg_id, name in granted),
    )


def _through_alone(
    session: Session, key: str, workgroup_ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Per workgroup: how many members, (Assignable, Concurrent), hold `key` through it
    alone — neither directly nor through another workgroup. One grouped query."""
    if not workgroup_ids:
        return {}
    other_member, other_grant = aliased(WorkgroupMember), aliased(WorkgroupLicense)
    direct = exists().where(UserLicense.user_id == User.id, UserLicense.key == key)
    elsewhere = exists().where(
        other_member.user_id == User.id,
        other_grant.workgroup_id == other_member.workgroup_id,
        other_grant.key == key,
        other_member.workgroup_id != WorkgroupMember.workgroup_id,
    )
    found: dict[int, list[int]] = {}
    for start in range(0, len(workgroup_ids), allocation.CHUNK):
        chunk = workgroup_ids[start : start + allocation.CHUNK]
        query = (
            select(WorkgroupMember.workgroup_id, User.method, func.count())
            .join(User, User.id == WorkgroupMember.user_id)
            .where(WorkgroupMember.workgroup_id.in_(chunk), User.licenses_enabled)
            .where(~direct, ~elsewhere)
            .group_by(WorkgroupMember.workgroup_id, User.method)
        )
        for wg_id, method, n in session.execute(query):
            found.setdefault(wg_id, [0, 0])[0 if method == Pool.ASSIGNABLE.value else 1] += n
    return {wg_id: (a, c) for wg_id, (a, c) in found.items()}


def eligible_workgroups(
    db: Database,
    key: str,
    filter_text: str = "",
    limit: int = 500,
    *,
    pending: Change | None = None,
    pending_configured: int = 0,
) -> list[EligibleWorkgroup]:
    """Workgroups the Add… picker offers for the Workgroup Name list (R32), at most
    `limit`, by name: those not granted `key` (pending removals are offered again, pending
    additions are not), each with how many members would start counting per pool and the
    refusal that greys it out (R2, R4, R5, R7, R17 — `rules.grant_pool_refusal`, as the
    service). `pending_configured`: the dialog's pending Assignable change."""
    key = resolve_key(key)
    info = catalog.describe(key)
    pending = pending or Change()
    with db.read() as session:
        counts = usage.lock_counts(session, [key])[key]
        counts = _with_pending(counts, Pool.ASSIGNABLE, pending_configured)
        granted = exists().where(
            WorkgroupLicense.workgroup_id == Workgroup.id, WorkgroupLicense.key == key
        )
        query = select(Workgroup.id, Workgroup.name)
        removing = _folded(pending.remove_workgroups)
        query = query.where(~granted | Workgroup.name_key.in_(removing) if removing else ~granted)
        adding = _folded(pending.add_workgroups)
        if adding:
            query = query.where(Workgroup.name_key.not_in(adding))
        condition = _name_filter(Workgroup.name_key, filter_text)
        if condition is not None:
            query = query.where(condition)
        rows = session.execute(query.order_by(Workgroup.name_key).limit(limit)).all()
        gains = _through_alone(session, key, [wg_id for wg_id, _ in rows])
    shape = rules.holder_refusal(info, HolderKind.USER)
    if shape is None and not counts.purchased:
        shape = rules.not_purchased_refusal(counts)
    found = []
    for wg_id, name in rows:
        assignable, concurrent = gains.get(wg_id, (0, 0))
        refusal = shape or rules.grant_pool_refusal(
            counts, {Pool.ASSIGNABLE: assignable, Pool.CONCURRENT: concurrent}
        )
        found.append(EligibleWorkgroup(name, refusal, assignable, concurrent))
    return found


def _folded(names: Iterable[str]) -> list[str]:
    return sorted({rules.name_key(n) for n in names if n.strip()})


def eligible(
    db: Database,
    key: str,
    kind: HolderKind,
    pool: Pool,
    filter_text: str = "",
    limit: int = 500,
    *,
    pending: Change | None = None,
    pending_configured: int = 0,
) -> list[Eligible]:
    """Holders the Add… picker offers for one tab's list, at most `limit`, by name.

    Lists holders that do not hold `key` yet (nor are pending additions in the dialog,
    while pending removals are offered again), each with the refusal that would grey it
    out. `pending_configured` is how many more holders the dialog's pending edits already
    make count in `pool`, so the capacity check (R4) sees what the administrator sees.
    """
    key = resolve_key(key)
    info = catalog.describe(key)
    pending = pending or Change()
    if kind is HolderKind.STATION and pool is not Pool.ASSIGNABLE:
        raise InvalidInput("licenses on stations are Assignable only (R8)")
    with db.read() as session:
        counts = usage.lock_counts(session, [key])[key]
        counts = _with_pending(counts, pool, pending_configured)
        if kind is HolderKind.USER:
            rows = _eligible_users(session, key, pool, filter_text, limit, pending)
        else:
            rows = _eligible_stations(session, key, filter_text, limit, pending)
        ids = [holder_id for holder_id, _, _ in rows]
        inheriting: set[int] = set()
        if kind is HolderKind.USER:
            # Every way a user holds keys (R32): a user who holds this one through a
            # workgroup already counts for it, so adding it needs no capacity.
            held = grants.holdings(session, grants.Scope(ids=ids), grants.group_keys([key]))
            inheriting = {i for i, keys in held.items() if key in keys}
        else:
            held = _group_keys_held(session, StationLicense, ids, info)
    return [
        Eligible(
            name,
            rules.allocation_refusal(
                info,
                kind,
                None if holder_id in inheriting else holder_pool,
                held.get(holder_id, ()),
                counts,
            ),
            holder_pool is not None and holder_id not in inheriting,
        )
        for holder_id, name, holder_pool in rows
    ]


def _with_pending(counts: KeyCounts, pool: Pool, extra: int) -> KeyCounts:
    if pool is Pool.ASSIGNABLE:
        return KeyCounts(
            counts.key,
            counts.assigned,
            counts.pooled,
            counts.assignable_configured + extra,
            counts.concurrent_configured,
            counts.concurrent_in_use,
        )
    return KeyCounts(
        counts.key,
        counts.assigned,
        counts.pooled,
        counts.assignable_configured,
        counts.concurrent_configured + extra,
        counts.concurrent_in_use,
    )


def _name_filter(
    column: InstrumentedAttribute[str], filter_text: str
) -> ColumnElement[bool] | None:
    text = rules.name_key(filter_text)
    return column.contains(text, autoescape=True) if text else None


def _eligible_users(
    session: Session, key: str, pool: Pool, filter_text: str, limit: int, pending: Change
) -> list[tuple[int, str, Pool | None]]:
    holds = exists().where(UserLicense.user_id == User.id, UserLicense.key == key)
    query = select(User.id, User.name, User.method, User.licenses_enabled).where(
        User.method == pool.value
    )
    removing = _folded(pending.remove_users)
    query = query.where(~holds | User.name_key.in_(removing)) if removing else query.where(~holds)
    adding = _folded(pending.add_users)
    if adding:
        query = query.where(User.name_key.not_in(adding))
    condition = _name_filter(User.name_key, filter_text)
    if condition is not None:
        query = query.where(condition)
    rows = session.execute(query.order_by(User.name_key).limit(limit))
    return [(uid, name, _user_pool(method, lic)) for uid, name, method, lic in rows]


def _eligible_stations(
    session: Session, key: str, filter_text: str, limit: int, pending: Change
) -> list[tuple[int, str, Pool | None]]:
    holds = exists().where(StationLicense.station_id == Station.id, StationLicense.key == key)
    query = select(Station.id, Station.name, Station.enabled, Station.licenses_enabled)
    removing = _folded(pending.remove_stations)
    query = (
        query.where(~holds | Station.name_key.in_(removing)) if removing else query.where(~holds)
    )
    adding = _folded(pending.add_stations)
    if adding:
        query = query.where(Station.name_key.not_in(adding))
    condition = _name_filter(Station.name_key, filter_text)
    if condition is not None:
        query = query.where(condition)
    rows = session.execute(query.order_by(Station.name_key).limit(limit))
    return [(sid, name, _station_pool(enabled, lic)) for sid, name, enabled, lic in rows]


def _group_keys_held(
    session: Session,
    table: type[UserLicense] | type[StationLicense],
    ids: Sequence[int],
    info: catalog.LicenseKey,
) -> dict[int, set[str]]:
    """For R11–R13: which keys of `info`'s group each of `ids` already holds."""
    if info.group is None or not ids:
        return {}
    group = [k.key for k in catalog.KEYS if k.group is info.group]
    owner = UserLicense.user_id if table is UserLicense else StationLicense.station_id
    held: dict[int, set[str]] = {}
    query = select(owner, table.key).where(owner.in_(ids), table.key.in_(group))
    for holder_id, held_key in session.execute(query):
        held.setdefault(holder_id, set()).add(held_key)
    return held


def apply(db: Database, key: str, change: Change) -> Change:
    """Apply the dialog's pending edits to one key in one transaction; all-or-nothing.

    Removals go first so that they free the capacity the additions may need: R4 is met
    by the net change, so swapping one holder for another at full capacity is allowed,
    as in IA. Any refusal rolls the whole change back.
    """
    if change.is_empty:
        return change
    with db.write() as session:
        if change.remove_users or change.remove_stations or change.remove_workgroups:
            allocation.deallocate_in(
                session,
                key,
                users=change.remove_users,
                stations=change.remove_stations,
                workgroups=change.remove_workgroups,
            )
        if change.add_users or change.add_stations or change.add_workgroups:
            allocation.allocate_in(
                session,
                key,
                users=change.add_users,
                stations=change.add_stations,
                workgroups=change.add_workgroups,
            )
    return change
