"""Compliance notes, computed from the database at the moment they are asked for (R6, R9,
R18, R28). Because nothing is cached, every edit is reflected at once (R19)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.models import (
    Database,
    Entitlement,
    NoteSeen,
    Station,
    StationLicense,
    User,
    UserLicense,
    Workgroup,
    WorkgroupLicense,
    WorkgroupMember,
)
from ia_licensing.models.schema import utcnow
from ia_licensing.rules import Note
from ia_licensing.services import licensing, usage
from ia_licensing.services.holders import stored_acd_types
from ia_licensing.services.workgroups import stored_types


def notes(db: Database) -> list[Note]:
    with db.read() as session:
        found = [
            *key_notes(session),
            *station_notes(session),
            *workgroup_notes(session),
            *grant_notes(session),
            *analyzer_notes(session),
        ]
    return [*licensing.license_notes(db), *found]


def key_notes(session: Session) -> list[Note]:
    return [n for counts in usage.all_counts(session) for n in rules.key_notes(counts)]


def station_notes(session: Session) -> list[Note]:
    """R9 for enabled stations whose Basic Station is missing or not granted (R14).

    SQL narrows the candidates to stations that could need the note; the rule decides.
    """
    has_basic = exists().where(
        StationLicense.station_id == Station.id, StationLicense.key == catalog.BASIC_STATION
    )
    query = (
        select(Station.name, Station.licenses_enabled, has_basic)
        .where(Station.enabled, or_(~Station.licenses_enabled, ~has_basic))
        .order_by(Station.name_key)
    )
    found = []
    for name, licenses_enabled, basic in session.execute(query):
        note = rules.station_note(
            name, enabled=True, basic_station_granted=bool(licenses_enabled and basic)
        )
        if note is not None:
            found.append(note)
    return found


@lru_cache(maxsize=1024)
def _coverage_message(
    level: str | None, types: frozenset[InteractionType], chosen: str
) -> str | None:
    """R18's verdict for one (ACD level, routed types, chosen types) triple: thousands of
    members share a handful of them."""
    note = rules.acd_coverage_note("", level, types, stored_acd_types(chosen))
    return note.message if note else None


def workgroup_notes(session: Session) -> list[Note]:
    """R18 for every workgroup member, from the union of their queues' interaction types."""
    direct_level = (
        select(UserLicense.key)
        .where(UserLicense.user_id == User.id, UserLicense.key.in_(catalog.ACD_LEVELS))
        .limit(1)
        .scalar_subquery()
    )
    granted = aliased(WorkgroupMember)
    inherited_level = (  # an ACD level granted to one of the user's workgroups (R32)
        select(WorkgroupLicense.key)
        .join(granted, granted.workgroup_id == WorkgroupLicense.workgroup_id)
        .where(granted.user_id == User.id, WorkgroupLicense.key.in_(catalog.ACD_LEVELS))
        .limit(1)
        .scalar_subquery()
    )
    level = func.coalesce(direct_level, inherited_level)
    query = (
        select(
            User.name,
            User.licenses_enabled,
            func.aggregate_strings(Workgroup.interaction_types, ","),
            level,
            User.acd_types,
        )
        .join(WorkgroupMember, WorkgroupMember.user_id == User.id)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
        .group_by(User.id)
        .order_by(User.name_key)
    )
    found = []
    for name, licenses_enabled, types, level_key, chosen in session.execute(query):
        required = frozenset(stored_types(types))
        message = _coverage_message(level_key if licenses_enabled else None, required, chosen)
        if message is not None:
            found.append(Note("R18", name, message))
    return found


def grant_notes(session: Session) -> list[Note]:
    """R32: members whose inherited key is not purchased any more, or has no licenses in
    their method's pool (a smaller license was loaded), each naming the workgroups."""
    entitled = {
        key: rules.KeyCounts(key, assigned, pooled)
        for key, assigned, pooled in session.execute(
            select(Entitlement.key, Entitlement.assigned, Entitlement.pooled)
        )
    }
    keys = set(session.scalars(select(WorkgroupLicense.key).distinct()))
    counts = {k: entitled.get(k, rules.KeyCounts(k)) for k in keys}
    # Only keys some pool cannot hold can give a note: SQL reads no member of the others.
    suspect = sorted(k for k, c in counts.items() if not c.purchased or 0 in _pools_allowed(c))
    if not suspect:
        return []
    query = (
        select(User.name, User.method, User.licenses_enabled, WorkgroupLicense.key, Workgroup.name)
        .join(WorkgroupMember, WorkgroupMember.user_id == User.id)
        .join(WorkgroupLicense, WorkgroupLicense.workgroup_id == WorkgroupMember.workgroup_id)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
        .where(WorkgroupLicense.key.in_(suspect))
        .order_by(User.name_key, WorkgroupLicense.key, Workgroup.name_key)
    )
    sources: dict[tuple[str, str], list[str]] = {}
    pools: dict[str, rules.Pool | None] = {}
    for user, method, licenses_enabled, key, workgroup in session.execute(query):
        sources.setdefault((user, key), []).append(workgroup)
        pools[user] = rules.counting_pool(
            rules.HolderKind.USER, rules.Pool(method), licenses_enabled=licenses_enabled
        )
    found = []
    for (user, key), workgroups in sources.items():
        note = rules.grant_note(user, pools[user], counts[key], workgroups)
        if note is not None:
            found.append(note)
    return found


def _pools_allowed(counts: rules.KeyCounts) -> tuple[int, int]:
    return counts.assignable_allowed, counts.concurrent_allowed


def analyzer_notes(session: Session) -> list[Note]:
    """R35 for every holder whose licenses count (R3, R14) and who holds Interaction
    Analyzer Access without Interaction Recorder Access: stations first, then users.

    SQL finds the holders of Analyzer without Recorder; the rule words the note."""
    found = []
    station_recorder = aliased(StationLicense)
    user_recorder = aliased(UserLicense)
    queries = (
        select(Station.name)
        .join(StationLicense, StationLicense.station_id == Station.id)
        .where(
            StationLicense.key == catalog.ANALYZER,
            Station.enabled,
            Station.licenses_enabled,
            ~exists().where(
                station_recorder.station_id == Station.id,
                station_recorder.key == catalog.RECORDER,
            ),
        )
        .order_by(Station.name_key),
        select(User.name)
        .join(UserLicense, UserLicense.user_id == User.id)
        .where(
            UserLicense.key == catalog.ANALYZER,
            User.licenses_enabled,
            ~exists().where(
                user_recorder.user_id == User.id, user_recorder.key == catalog.RECORDER
            ),
        )
        .order_by(User.name_key),
    )
    for query in queries:
        for name in session.scalars(query):
            note = rules.analyzer_note(name, {catalog.ANALYZER})
            if note is not None:
                found.append(note)
    return found


@dataclass(frozen=True)
class DatedNote:
    rule: str
    subject: str
    message: str
    since: dt.datetime


def dated_notes(db: Database) -> list[DatedNote]:
    """Every note with the time it was first seen; resolved notes are forgotten."""
    current = notes(db)
    keys = {(n.rule, n.subject, n.message) for n in current}
    with db.write() as session:
        seen = {
            (rule, subject, message): since
            for rule, subject, message, since in session.execute(
                select(NoteSeen.rule, NoteSeen.subject, NoteSeen.message, NoteSeen.since)
            )
        }
        gone = [k for k in seen if k not in keys]
        if gone:  # one executemany, at the Core level (the ORM has no bulk DELETE)
            statement = delete(NoteSeen).where(
                NoteSeen.rule == bindparam("r"),
                NoteSeen.subject == bindparam("s"),
                NoteSeen.message == bindparam("m"),
            )
            session.connection().execute(statement, [{"r": r, "s": s, "m": m} for r, s, m in gone])
        now = utcnow()
        new = keys - seen.keys()
        if new:
            session.execute(
                insert(NoteSeen),
                [{"rule": r, "subject": s, "message": m, "since": now} for r, s, m in new],
            )
    return [
        DatedNote(n.rule, n.subject, n.message, seen.get((n.rule, n.subject, n.message), now))
        for n in current
    ]
