"""Compliance notes, computed from the database at the moment they are asked for (R6, R9,
R18, R28). Because nothing is cached, every edit is reflected at once (R19)."""

from __future__ import annotations

from sqlalchemy import exists, select
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
from ia_licensing.rules import Note
from ia_licensing.services import licensing, usage
from ia_licensing.services.workgroups import stored_types


def notes(db: Database) -> list[Note]:
    with db.read() as session:
        found = [*key_notes(session), *station_notes(session), *workgroup_notes(session)]
    return [*licensing.license_notes(db), *found]


def key_notes(session: Session) -> list[Note]:
    return [n for counts in usage.all_counts(session) for n in rules.key_notes(counts)]


def station_notes(session: Session) -> list[Note]:
    """R9 for enabled stations whose Basic Station is missing or not granted (R14)."""
    has_basic = exists().where(
        StationLicense.station_id == Station.id, StationLicense.key == catalog.BASIC_STATION
    )
    query = select(Station.name, Station.licenses_enabled, has_basic).where(Station.enabled)
    found = []
    for name, licenses_enabled, basic in session.execute(query.order_by(Station.name_key)):
        note = rules.station_note(
            name, enabled=True, basic_station_granted=bool(licenses_enabled and basic)
        )
        if note is not None:
            found.append(note)
    return found


def workgroup_notes(session: Session) -> list[Note]:
    """R18 for every workgroup member, from the union of their queues' interaction types."""
    required: dict[int, set[InteractionType]] = {}
    names: dict[int, tuple[str, bool]] = {}
    query = (
        select(User.id, User.name, User.licenses_enabled, Workgroup.interaction_types)
        .join(WorkgroupMember, WorkgroupMember.user_id == User.id)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
    )
    for user_id, name, licenses_enabled, types in session.execute(query):
        required.setdefault(user_id, set()).update(stored_types(types))
        names[user_id] = (name, licenses_enabled)
    levels: dict[int, str] = {}
    level_query = select(UserLicense.user_id, UserLicense.key).where(
        UserLicense.key.in_(catalog.ACD_LEVELS),
        UserLicense.user_id.in_(select(WorkgroupMember.user_id)),
    )
    for user_id, key in session.execute(level_query):
        levels[user_id] = key
    found = []
    for user_id in sorted(required, key=lambda u: names[u][0].casefold()):
        name, licenses_enabled = names[user_id]
        level = levels.get(user_id) if licenses_enabled else None
        note = rules.acd_coverage_note(name, level, required[user_id])
        if note is not None:
            found.append(note)
    return found
