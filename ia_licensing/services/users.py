"""Users: add, edit (Licensing tab), method switch, delete, list (User Licensing, R14–R17)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ia_licensing import rules
from ia_licensing.catalog import InteractionType
from ia_licensing.models import Database, User, UserLicense, Workgroup, WorkgroupMember
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import audit, grants, sessions
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound
from ia_licensing.services.holders import (
    HolderState,
    KeyEdit,
    acd_types_to_store,
    clean_name,
    describe_keys,
    parse_acd_types,
    stored_acd_types,
    transition,
    yes_no,
)


@dataclass(frozen=True)
class UserInfo:
    name: str
    method: Pool
    licenses_enabled: bool
    keys: tuple[str, ...]  # held directly
    # key → the workgroups it is held through (R32), whether or not also held directly
    inherited: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    remote_login: bool = True  # Client Rights: User-defined Telephone Number on Remote Login
    acd_types: tuple[InteractionType, ...] = ()  # chosen for Media 1 or 2 (R18); () = none
    # What the user's ACD level gives (list_users only): all for Media 3 Plus; for Media 1
    # and 2 the choice or, none chosen, their queues' types first (rules.acd_types_of).
    acd_types_in_effect: tuple[InteractionType, ...] = ()


def _find(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name_key == rules.name_key(name)))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def _keys(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(session.scalars(select(UserLicense.key).where(UserLicense.user_id == user_id)))


def _state(user: User, keys: frozenset[str]) -> HolderState:
    pool = rules.counting_pool(
        HolderKind.USER, Pool(user.method), licenses_enabled=user.licenses_enabled
    )
    return HolderState(pool, keys)


def _save_keys(session: Session, user: User, old: frozenset[str], new: frozenset[str]) -> None:
    if old - new:
        session.execute(
            delete(UserLicense).where(
                UserLicense.user_id == user.id, UserLicense.key.in_(old - new)
            )
        )
    for key in sorted(new - old):
        session.add(UserLicense(user_id=user.id, key=key))


def add_user(
    db: Database,
    name: str,
    method: Pool | str = Pool.ASSIGNABLE,
    *,
    licenses_enabled: bool = True,
    keys: frozenset[str] = frozenset(),
) -> None:
    with db.write() as session:
        add_user_in(session, name, method, licenses_enabled=licenses_enabled, keys=keys)


def add_user_in(
    session: Session,
    name: str,
    method: Pool | str = Pool.ASSIGNABLE,
    *,
    licenses_enabled: bool = True,
    keys: frozenset[str] = frozenset(),
) -> None:
    """add_user inside the caller's transaction (CSV import adds many in one)."""
    name = clean_name("user", name)
    method = _method(method)
    if session.scalar(select(User.id).where(User.name_key == rules.name_key(name))):
        raise InvalidInput(f"a user named {name!r} already exists")
    user = User(
        name=name,
        name_key=rules.name_key(name),
        method=method.value,
        licenses_enabled=licenses_enabled,
    )
    session.add(user)
    session.flush()
    transition(session, HolderKind.USER, name, None, _state(user, keys))
    _save_keys(session, user, frozenset(), keys)
    audit.record(session, AuditAction.USER_ADD, name, "", f"{method.label}: {describe_keys(keys)}")


def _method(method: Pool | str) -> Pool:
    try:
        return Pool(str(method).lower())
    except ValueError:
        raise InvalidInput("the license allocation method is assignable or concurrent") from None


def update_user(
    db: Database,
    name: str,
    *,
    edit: KeyEdit | None = None,
    method: Pool | str | None = None,
    licenses_enabled: bool | None = None,
    remote_login: bool | None = None,
    acd_types: Iterable[InteractionType | str] | None = None,
) -> None:
    """The Licensing tab's OK/Apply; a method switch moves every license at once (R16).
    `remote_login`: the Client Right that Dynamic Remote logons need (R24); `acd_types`:
    the interaction types chosen for a Media 1 or Media 2 level (R18)."""
    with db.write() as session:
        user = _find(session, name)
        old_keys = _keys(session, user.id)
        # The user holds the workgroups' grants too, and counts once per key (R32).
        inherited = grants.inherited_keys(session, user.id)
        before = _state(user, old_keys | inherited)
        was = (user.method, user.licenses_enabled, user.remote_login, user.acd_types)
        if remote_login is not None:
            user.remote_login = remote_login
        if method is not None:
            user.method = _method(method).value
        if licenses_enabled is not None:
            user.licenses_enabled = licenses_enabled
        new_keys = edit.apply(old_keys) if edit else old_keys
        after = _state(user, new_keys | inherited)
        transition(session, HolderKind.USER, user.name, before, after)
        chosen = None if acd_types is None else parse_acd_types(str(t) for t in acd_types)
        user.acd_types = acd_types_to_store(new_keys | inherited, user.acd_types, chosen)
        _save_keys(session, user, old_keys, new_keys)
        now = (user.method, user.licenses_enabled, user.remote_login, user.acd_types)
        if new_keys != old_keys or now != was:
            audit.record(
                session,
                AuditAction.USER_UPDATE,
                user.name,
                _summary(was, old_keys),
                _summary(now, new_keys),
            )


def _summary(flags: tuple[str, bool, bool, str], keys: frozenset[str]) -> str:
    method, enabled, remote_login, acd_types = flags
    return (
        f"License Type: {method.capitalize()}; Enable Licenses: {yes_no(enabled)}; "
        f"Remote Login: {yes_no(remote_login)}; ACD Interaction Types: {acd_types or 'none'}; "
        f"Licenses: {describe_keys(keys)}"
    )


def delete_user(db: Database, name: str) -> None:
    """R15: deleting releases the user's allocations and ends the user's session."""
    delete_users(db, [name])


def delete_users(db: Database, names: Iterable[str]) -> None:
    """R15 for several users, all or none: one that is not found deletes nothing."""
    with db.write() as session:
        for name in names:
            user = _find(session, name)
            keys = _keys(session, user.id)
            held = keys | grants.inherited_keys(session, user.id)
            sessions.end_sessions_of_user(session, user.id)
            transition(session, HolderKind.USER, user.name, _state(user, held), None)
            session.delete(user)
            audit.record(
                session, AuditAction.USER_DELETE, user.name, describe_keys(keys), "deleted"
            )


def get_user(db: Database, name: str) -> UserInfo:
    with db.read() as session:
        user = _find(session, name)
        return _info(user, _keys(session, user.id), grants.inherited(session, [user.id]))


def _info(
    user: User, keys: frozenset[str], inherited: Mapping[int, Mapping[str, list[str]]]
) -> UserInfo:
    sources = {k: tuple(v) for k, v in sorted(inherited.get(user.id, {}).items())}
    return UserInfo(
        user.name,
        Pool(user.method),
        user.licenses_enabled,
        tuple(sorted(keys)),
        sources,
        user.remote_login,
        tuple(sorted(stored_acd_types(user.acd_types))),
    )


def list_users(db: Database) -> list[UserInfo]:
    with db.read() as session:
        keys_by_user: dict[int, list[str]] = {}
        for user_id, key in session.execute(select(UserLicense.user_id, UserLicense.key)):
            keys_by_user.setdefault(user_id, []).append(key)
        inherited = grants.inherited(session)
        routed: dict[int, set[InteractionType]] = {}
        for user_id, types in session.execute(
            select(WorkgroupMember.user_id, Workgroup.interaction_types).join(
                Workgroup, Workgroup.id == WorkgroupMember.workgroup_id
            )
        ):
            routed.setdefault(user_id, set()).update(stored_acd_types(types))
        users = session.scalars(select(User).order_by(User.name_key))
        return [_listed(u, frozenset(keys_by_user.get(u.id, ())), inherited, routed) for u in users]


def _listed(
    user: User,
    keys: frozenset[str],
    inherited: Mapping[int, Mapping[str, list[str]]],
    routed: dict[int, set[InteractionType]],
) -> UserInfo:
    info = _info(user, keys, inherited)
    held = keys | frozenset(info.inherited)  # an ACD level granted to a workgroup counts too
    level = rules.acd_level_of(held) if user.licenses_enabled else None
    given = rules.acd_types_of(level, info.acd_types, routed.get(user.id, ()))
    return replace(info, acd_types_in_effect=tuple(sorted(given)))


def user_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0
