"""ACD workgroup queues: interaction types and members (R18, R19 via compliance notes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ia_licensing import rules
from ia_licensing.catalog import InteractionType
from ia_licensing.models import Database, User, Workgroup, WorkgroupLicense, WorkgroupMember
from ia_licensing.services import audit, grants
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound
from ia_licensing.services.grants import Person
from ia_licensing.services.holders import clean_name, resolve_key


@dataclass(frozen=True)
class WorkgroupInfo:
    name: str
    interaction_types: tuple[InteractionType, ...]
    members: tuple[str, ...]
    licenses: tuple[str, ...] = ()  # keys granted to the workgroup (R32)


_ALIASES = {"callback": InteractionType.CALL, "call/callback": InteractionType.CALL}


def parse_types(types: Iterable[str]) -> tuple[InteractionType, ...]:
    """Interaction types as typed: call (or callback), chat, email, generic."""
    parsed = set()
    for word in types:
        text = word.strip().lower()
        if not text:
            continue
        try:
            parsed.add(_ALIASES.get(text) or InteractionType(text))
        except ValueError:
            raise InvalidInput(
                f"unknown interaction type {word!r}: use call, chat, email or generic"
            ) from None
    if not parsed:
        raise InvalidInput("a workgroup queue routes at least one interaction type")
    return tuple(sorted(parsed))


@lru_cache(maxsize=64)
def stored_types(text: str) -> tuple[InteractionType, ...]:
    """Stored interaction types ("call,chat"); also accepts several joined by commas."""
    return tuple(sorted({InteractionType(t) for t in text.split(",") if t}))


def _find(session: Session, name: str) -> Workgroup:
    wg = session.scalar(select(Workgroup).where(Workgroup.name_key == rules.name_key(name)))
    if wg is None:
        raise NotFound(f"no workgroup named {name!r}")
    return wg


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name_key == rules.name_key(name)))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def _person(user: User) -> Person:
    pool = grants.person_pool(user.method, user.licenses_enabled)
    return Person(user.id, user.name, pool)


def _labels(types: Iterable[InteractionType]) -> str:
    return ", ".join(t.label for t in types)


def add_workgroup(db: Database, name: str, types: Iterable[str]) -> None:
    name = clean_name("workgroup", name)
    parsed = parse_types(types)
    with db.write() as session:
        if session.scalar(select(Workgroup.id).where(Workgroup.name_key == rules.name_key(name))):
            raise InvalidInput(f"a workgroup named {name!r} already exists")
        session.add(
            Workgroup(
                name=name,
                name_key=rules.name_key(name),
                interaction_types=",".join(t.value for t in parsed),
            )
        )
        audit.record(session, AuditAction.WORKGROUP_ADD, name, "", _labels(parsed))


def set_types(db: Database, name: str, types: Iterable[str]) -> None:
    parsed = parse_types(types)
    with db.write() as session:
        wg = _find(session, name)
        before = _labels(stored_types(wg.interaction_types))
        wg.interaction_types = ",".join(t.value for t in parsed)
        audit.record(session, AuditAction.WORKGROUP_TYPES, wg.name, before, _labels(parsed))


def add_member(db: Database, workgroup: str, user: str) -> None:
    with db.write() as session:
        wg, member = _find(session, workgroup), _user(session, user)
        if session.get(WorkgroupMember, (wg.id, member.id)) is None:
            grants.join(session, wg, [_person(member)])  # R32: refused whole, or counted
            session.add(WorkgroupMember(workgroup_id=wg.id, user_id=member.id))
            audit.record(session, AuditAction.WORKGROUP_MEMBER_ADD, wg.name, "", member.name)


def remove_member(db: Database, workgroup: str, user: str) -> None:
    with db.write() as session:
        wg, member = _find(session, workgroup), _user(session, user)
        link = session.get(WorkgroupMember, (wg.id, member.id))
        if link is None:
            raise NotFound(f"{member.name!r} is not a member of {wg.name!r}")
        session.delete(link)
        session.flush()
        grants.leave(session, grants.granted(session, wg.id), [_person(member)])
        audit.record(session, AuditAction.WORKGROUP_MEMBER_REMOVE, wg.name, member.name, "")


def delete_workgroup(db: Database, name: str) -> None:
    with db.write() as session:
        wg = _find(session, name)
        keys, members = grants.granted(session, wg.id), grants.members_of(session, wg.id)
        session.execute(delete(WorkgroupLicense).where(WorkgroupLicense.workgroup_id == wg.id))
        session.execute(delete(WorkgroupMember).where(WorkgroupMember.workgroup_id == wg.id))
        session.delete(wg)
        session.flush()  # the grants go with the workgroup; its members release them (R32)
        grants.leave(session, keys, members)
        audit.record(session, AuditAction.WORKGROUP_DELETE, wg.name, "", "deleted")


def list_workgroups(db: Database) -> list[WorkgroupInfo]:
    with db.read() as session:
        members: dict[int, list[str]] = {}
        query = select(WorkgroupMember.workgroup_id, User.name).join(
            User, User.id == WorkgroupMember.user_id
        )
        for wg_id, user in session.execute(query.order_by(User.name_key)):
            members.setdefault(wg_id, []).append(user)
        licenses = grants.grants_by_workgroup(session)
        return [
            WorkgroupInfo(
                wg.name,
                stored_types(wg.interaction_types),
                tuple(members.get(wg.id, ())),
                tuple(licenses.get(wg.id, ())),
            )
            for wg in session.scalars(select(Workgroup).order_by(Workgroup.name_key))
        ]


def save_workgroup(
    db: Database,
    name: str,
    types: Iterable[str],
    members: Iterable[str],
    *,
    create: bool,
    licenses: Iterable[str] | None = None,
) -> None:
    """The Workgroup Configuration dialog's OK/Apply: types, the exact member list and (when
    given) the exact licenses granted, in one transaction (a refused or unknown member or
    license changes nothing). Members leave first and grants are taken back before new
    ones are made, so that the capacity they free is there for what is added (R4)."""
    parsed = parse_types(types)
    wanted = {rules.name_key(m) for m in members if m.strip()}
    keys = None if licenses is None else frozenset(resolve_key(k) for k in licenses)
    with db.write() as session:
        if create:
            name = clean_name("workgroup", name)
            if session.scalar(
                select(Workgroup.id).where(Workgroup.name_key == rules.name_key(name))
            ):
                raise InvalidInput(f"a workgroup named {name!r} already exists")
            wg = Workgroup(name=name, name_key=rules.name_key(name), interaction_types="")
            session.add(wg)
            session.flush()
        else:
            wg = _find(session, name)
        before_types = _labels(stored_types(wg.interaction_types)) if wg.interaction_types else ""
        wg.interaction_types = ",".join(t.value for t in parsed)
        current = {
            user.name_key: user
            for user in session.scalars(
                select(User)
                .join(WorkgroupMember, WorkgroupMember.user_id == User.id)
                .where(WorkgroupMember.workgroup_id == wg.id)
            )
        }
        joining = [_user(session, key) for key in sorted(wanted - current.keys())]
        leaving = [current[key] for key in sorted(current.keys() - wanted)]
        for user in leaving:
            session.execute(
                delete(WorkgroupMember).where(
                    WorkgroupMember.workgroup_id == wg.id,
                    WorkgroupMember.user_id == user.id,
                )
            )
        session.flush()
        grants.leave(session, grants.granted(session, wg.id), [_person(u) for u in leaving])
        if keys is not None:
            granted = grants.granted(session, wg.id)
            for key in sorted(granted - keys):
                grants.ungrant_in(session, wg, key)
            for key in sorted(keys - granted):
                grants.grant_in(session, wg, key)
        grants.join(session, wg, [_person(u) for u in joining])
        for user in joining:
            session.add(WorkgroupMember(workgroup_id=wg.id, user_id=user.id))
        before = f"{before_types}; members: {', '.join(sorted(u.name for u in current.values()))}"
        after_members = sorted(
            [u.name for k, u in current.items() if k in wanted] + [u.name for u in joining]
        )
        after = f"{_labels(parsed)}; members: {', '.join(after_members)}"
        if before != after:
            audit.record(session, AuditAction.WORKGROUP_SAVE, wg.name, before, after)
