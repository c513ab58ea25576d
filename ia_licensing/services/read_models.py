"""Rows of the Stations, Users and Workgroups containers, and what their dialogs read.

A container shows up to 50,000 holders, so its rows come from a couple of set-based
queries (holders, then their keys) into plain frozen dataclasses with every column
already worked out: the Qt model sorts and filters them without asking anything again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.models import (
    Database,
    Station,
    StationLicense,
    User,
    UserLicense,
    Workgroup,
    WorkgroupMember,
)
from ia_licensing.rules import HolderKind, KeyCounts, Pool
from ia_licensing.services import allocation, compliance, grants, usage
from ia_licensing.services.holders import stored_acd_types
from ia_licensing.services.stations import StationType
from ia_licensing.services.workgroups import stored_types


# Thousands of holders share a handful of key sets: each set's columns are worked out once.
@lru_cache(maxsize=65_536)
def _acd_level(keys: tuple[str, ...]) -> str:
    level = rules.acd_level_of(keys)
    return catalog.ACD_LEVEL_LABELS[level] if level else ""


_SHOWN_IN_COLUMNS = frozenset(
    {catalog.BASIC_STATION, catalog.CLIENT_ACCESS, *catalog.ACD_LEVEL_LABELS}
)


@lru_cache(maxsize=1024)
def _display_name(key: str) -> str:
    return catalog.describe(key).display_name


# Holders share far fewer key combinations than there are holders, but at 50,000 users
# with 80 keys there are more than a few thousand: a small cache would miss on most rows.
@lru_cache(maxsize=65_536)
def _others(keys: tuple[str, ...]) -> str:
    """Every key without a column of its own, by display name."""
    return ", ".join(sorted(_display_name(k) for k in keys if k not in _SHOWN_IN_COLUMNS))


class StationRow(NamedTuple):
    """One row of the Stations container (a tuple: 50,000 are built at each full read)."""

    name: str
    station_type: StationType
    licensed_machine_name: str
    enabled: bool
    licenses_enabled: bool
    basic_station: bool
    client_access: bool
    acd_level: str
    additional: str
    keys: tuple[str, ...]
    note: str  # R9, when the station cannot activate


class UserRow(NamedTuple):
    """One row of the Users container (a tuple, as StationRow)."""

    name: str
    method: Pool
    licenses_enabled: bool
    client_access: bool
    acd_level: str
    additional: str
    keys: tuple[str, ...]
    note: str  # R18, when the user's ACD level is short of their workgroups


@dataclass(frozen=True)
class WorkgroupRow:
    """One row of the Workgroups container, with the R18 notes of its members."""

    name: str
    interaction_types: tuple[InteractionType, ...]
    members: tuple[str, ...]
    notes: tuple[rules.Note, ...]
    licenses: tuple[str, ...] = ()  # keys granted to the workgroup, held by its members (R32)

    @property
    def types_label(self) -> str:
        return ", ".join(t.label for t in self.interaction_types)

    @property
    def note(self) -> str:
        return "\n".join(f"{n.subject}: {n.message} ({n.rule})" for n in self.notes)


def user_names(db: Database, limit: int | None = None) -> list[str]:
    """Every user name (or the first `limit`), for completing a member's name."""
    with db.read() as session:
        return list(session.scalars(select(User.name).order_by(User.name_key).limit(limit)))


def station_names(db: Database, limit: int | None = None) -> list[str]:
    """Every station name (or the first `limit`), for completing a template's name."""
    with db.read() as session:
        query = select(Station.name).order_by(Station.name_key).limit(limit)
        return list(session.scalars(query))


# Dictionary look-ups, not enum constructors: 50,000 of those cost a sixth of a second.
_STATION_TYPES = {t.value: t for t in StationType}
_POOLS = {p.value: p for p in Pool}


def _keys_by_holder(
    session: Session, kind: HolderKind, ids: Sequence[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """Each holder's keys, aggregated in SQL: one row per holder, not one per allocation."""
    table = StationLicense if kind is HolderKind.STATION else UserLicense
    owner = StationLicense.station_id if kind is HolderKind.STATION else UserLicense.user_id
    query = select(owner, func.aggregate_strings(table.key, ",")).group_by(owner)
    parts = [query] if ids is None else [query.where(owner.in_(c)) for c in _chunks(ids)]
    found: dict[int, tuple[str, ...]] = {}
    connection = session.connection()
    for part in parts:
        for holder_id, keys in connection.execute(part).all():
            found[holder_id] = _key_tuple(keys)
    return found


@lru_cache(maxsize=4096)
def _key_tuple(joined: str) -> tuple[str, ...]:
    return tuple(sorted(joined.split(",")))


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + allocation.CHUNK] for i in range(0, len(items), allocation.CHUNK)]


def _holders(session: Session, query: Any, name_key: Any, names: Iterable[str] | None) -> list[Any]:
    """All rows of `query`, or only those named (case-insensitively), in SQL."""
    # On the connection, not the Session: plain rows, without the ORM's per-row work.
    connection = session.connection()
    if names is None:
        return list(connection.execute(query).all())
    wanted = sorted({rules.name_key(n) for n in names})
    return [
        row for c in _chunks(wanted) for row in connection.execute(query.where(name_key.in_(c)))
    ]


def station_rows(db: Database, names: Iterable[str] | None = None) -> list[StationRow]:
    """Every station (or only those named), in two queries whatever the count."""
    query = select(
        Station.id,
        Station.name,
        Station.station_type,
        Station.licensed_machine_name,
        Station.enabled,
        Station.licenses_enabled,
    ).order_by(Station.name_key)
    with db.read() as session:
        result = _holders(session, query, Station.name_key, names)
        ids = None if names is None else [r[0] for r in result]
        keys_of = _keys_by_holder(session, HolderKind.STATION, ids)
    rows = []
    for sid, name, station_type, machine, enabled, licenses_enabled in result:
        keys = keys_of.get(sid, ())
        basic = catalog.BASIC_STATION in keys
        note = rules.station_note(
            name, enabled=enabled, basic_station_granted=basic and licenses_enabled
        )
        rows.append(
            StationRow(
                name,
                _STATION_TYPES[station_type],
                machine or "",
                enabled,
                licenses_enabled,
                basic,
                catalog.CLIENT_ACCESS in keys,
                _acd_level(keys),
                _others(keys),
                keys,
                note.message if note else "",
            )
        )
    return rows


def user_rows(db: Database, names: Iterable[str] | None = None) -> list[UserRow]:
    """Every user (or only those named), in three queries (users, keys, R18 notes)."""
    query = select(User.id, User.name, User.method, User.licenses_enabled).order_by(User.name_key)
    with db.read() as session:
        result = _holders(session, query, User.name_key, names)
        ids = None if names is None else [r[0] for r in result]
        keys_of = _keys_by_holder(session, HolderKind.USER, ids)
        if names is None:
            notes = {n.subject: n.message for n in compliance.workgroup_notes(session)}
        else:
            found = _coverage(session, "", [r[1] for r in result])
            notes = {c.name: n.message for c in found if (n := c.note(())) is not None}
    rows = []
    for uid, name, method, licenses_enabled in result:
        keys = keys_of.get(uid, ())
        rows.append(
            UserRow(
                name,
                _POOLS[method],
                licenses_enabled,
                catalog.CLIENT_ACCESS in keys,
                _acd_level(keys),
                _others(keys),
                keys,
                notes.get(name, ""),
            )
        )
    return rows


def workgroup_rows(db: Database) -> list[WorkgroupRow]:
    """Every workgroup with its members and their R18 notes (R19: read at every refresh)."""
    members: dict[int, list[str]] = {}
    member_query = (
        select(WorkgroupMember.workgroup_id, User.name)
        .join(User, User.id == WorkgroupMember.user_id)
        .order_by(User.name_key)
    )
    with db.read() as session:
        for wg_id, user in session.execute(member_query):
            members.setdefault(wg_id, []).append(user)
        notes = {n.subject: n for n in compliance.workgroup_notes(session)}
        licenses = grants.grants_by_workgroup(session)
        groups = session.execute(
            select(Workgroup.id, Workgroup.name, Workgroup.interaction_types).order_by(
                Workgroup.name_key
            )
        ).all()
    return [
        WorkgroupRow(
            name,
            stored_types(types),
            tuple(members.get(wg_id, ())),
            tuple(notes[m] for m in members.get(wg_id, ()) if m in notes),
            tuple(licenses.get(wg_id, ())),
        )
        for wg_id, name, types in groups
    ]


@dataclass(frozen=True)
class MemberCoverage:
    """What R18 needs to judge one member while a workgroup is being edited."""

    name: str
    acd_level: str | None  # None: no ACD Access, or Enable Licenses cleared
    other_types: frozenset[InteractionType]  # routed by the member's other workgroups
    acd_types: frozenset[InteractionType] = frozenset()  # chosen for Media 1 or 2 (R18)

    def note(self, types: Iterable[InteractionType]) -> rules.Note | None:
        return rules.acd_coverage_note(
            self.name, self.acd_level, {*self.other_types, *types}, self.acd_types
        )


def member_coverage(db: Database, workgroup: str, names: Sequence[str]) -> list[MemberCoverage]:
    """R18's facts for `names` as members of `workgroup` (which may not exist yet)."""
    with db.read() as session:
        return _coverage(session, workgroup, names)


def _coverage(session: Session, workgroup: str, names: Sequence[str]) -> list[MemberCoverage]:
    wanted = [rules.name_key(n) for n in names]
    users = session.execute(
        select(User.id, User.name, User.licenses_enabled, User.acd_types).where(
            User.name_key.in_(wanted)
        )
    ).all()
    ids = [u[0] for u in users]
    levels = dict(
        session.execute(
            select(UserLicense.user_id, UserLicense.key).where(
                UserLicense.user_id.in_(ids), UserLicense.key.in_(catalog.ACD_LEVELS)
            )
        ).all()
    )
    # A level granted to one of the user's workgroups gives ACD Access too (R32).
    for uid, keys in grants.holdings(session, grants.Scope(ids=ids), catalog.ACD_LEVELS).items():
        levels.setdefault(uid, min(keys))
    other_types: dict[int, set[InteractionType]] = {}
    query = (
        select(WorkgroupMember.user_id, Workgroup.interaction_types)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
        .where(
            WorkgroupMember.user_id.in_(ids),
            Workgroup.name_key != rules.name_key(workgroup),
        )
    )
    for uid, types in session.execute(query):
        other_types.setdefault(uid, set()).update(stored_types(types))
    by_key = {rules.name_key(row.name): row for row in users}
    found = []
    for key in wanted:
        if key in by_key:
            uid, name, enabled, chosen = by_key[key]
            level = levels.get(uid) if enabled else None
            found.append(
                MemberCoverage(
                    name,
                    level,
                    frozenset(other_types.get(uid, ())),
                    stored_acd_types(chosen),
                )
            )
    return found


def machine_name_taken_by(db: Database, machine_name: str, station: str) -> str | None:
    """The other station whose Licensed Machine Name is `machine_name`, if any (R10)."""
    with db.read() as session:
        return session.scalar(
            select(Station.name).where(
                Station.machine_name_key == rules.name_key(machine_name),
                Station.name_key != rules.name_key(station),
            )
        )


def key_counts(db: Database) -> dict[str, KeyCounts]:
    """Counts of every purchased or configured access key, for greying out choices."""
    with db.read() as session:
        return {c.key: c for c in usage.all_counts(session)}


def left(counts: KeyCounts, pool: Pool, change: int = 0) -> int:
    """How many of `pool` are left after this holder's pending `change` (+1, 0 or -1)."""
    return counts.allowed(pool) - counts.configured(pool) - change
