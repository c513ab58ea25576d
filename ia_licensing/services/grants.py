"""Workgroup grants (R32): a license granted to a workgroup is held by every member.

A user holds a key directly (`user_license`) or through each of their workgroups that is
granted it (`workgroup_member` joined to `workgroup_license`), and counts once per key
however many ways (R3). Every change here — a grant or its removal, members joining or
leaving, a workgroup deleted — works out, set-based, which members start or stop holding
a key *at all*, asks the rules about those who start (`rules.grant_refusals`: refused
whole, naming the members concerned) and moves the counter rows in the same transaction.
Nothing here commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, delete, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ia_licensing import catalog, rules
from ia_licensing.models import (
    User,
    UserLicense,
    Workgroup,
    WorkgroupLicense,
    WorkgroupMember,
    tables,
)
from ia_licensing.rules import HolderKind, Pool, Refusal
from ia_licensing.services import audit, usage
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import NotFound, Refused

CHUNK = 5000

_members = tables.workgroup_members
_grants = tables.workgroup_licenses
# The keys one user holds through workgroups (bind "user_id"): a prebuilt Core statement,
# for logon's hot path (docs/performance.md).
GRANTED_TO_USER = (
    select(_grants.c.key)
    .join_from(_members, _grants, _grants.c.workgroup_id == _members.c.workgroup_id)
    .where(_members.c.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class Person:
    """A user as a grant sees it: who, and where their licenses count (None: nowhere)."""

    id: int
    name: str
    pool: Pool | None


@dataclass(frozen=True)
class Scope:
    """Which users a query is about: the members of one workgroup, or the users `ids`."""

    workgroup_id: int | None = None
    ids: Sequence[int] = ()

    def filters(self, column: InstrumentedAttribute[int]) -> list[ColumnElement[bool]]:
        if self.workgroup_id is not None:
            members = select(WorkgroupMember.user_id).where(
                WorkgroupMember.workgroup_id == self.workgroup_id
            )
            return [column.in_(members)]
        ids = list(self.ids)
        return [column.in_(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]


def person_pool(method: str, licenses_enabled: bool) -> Pool | None:
    return rules.counting_pool(HolderKind.USER, Pool(method), licenses_enabled=licenses_enabled)


def members_of(session: Session, workgroup_id: int) -> list[Person]:
    query = (
        select(User.id, User.name, User.method, User.licenses_enabled)
        .join(WorkgroupMember, WorkgroupMember.user_id == User.id)
        .where(WorkgroupMember.workgroup_id == workgroup_id)
    )
    return [Person(i, n, person_pool(m, e)) for i, n, m, e in session.execute(query)]


def people(session: Session, ids: Sequence[int]) -> list[Person]:
    found = []
    for where in Scope(ids=ids).filters(User.id):
        query = select(User.id, User.name, User.method, User.licenses_enabled).where(where)
        found += [Person(i, n, person_pool(m, e)) for i, n, m, e in session.execute(query)]
    return found


def group_keys(keys: Iterable[str]) -> frozenset[str]:
    """`keys` and every key sharing a group with one of them (R11–R13)."""
    found = set(keys)
    for key in list(found):
        group = catalog.describe(key).group
        if group is not None:
            found.update(k.key for k in catalog.KEYS if k.group is group)
    return frozenset(found)


def holdings(session: Session, scope: Scope, keys: Iterable[str]) -> dict[int, set[str]]:
    """Which of `keys` each user in `scope` holds, directly or through any workgroup."""
    wanted = sorted(set(keys))
    held: dict[int, set[str]] = {}
    if not wanted:
        return held
    for where in scope.filters(UserLicense.user_id):
        query = select(UserLicense.user_id, UserLicense.key).where(
            where, UserLicense.key.in_(wanted)
        )
        for user_id, key in session.execute(query):
            held.setdefault(user_id, set()).add(key)
    for where in scope.filters(WorkgroupMember.user_id):
        query = (
            select(WorkgroupMember.user_id, WorkgroupLicense.key)
            .join(WorkgroupLicense, WorkgroupLicense.workgroup_id == WorkgroupMember.workgroup_id)
            .where(where, WorkgroupLicense.key.in_(wanted))
        )
        for user_id, key in session.execute(query):
            held.setdefault(user_id, set()).add(key)
    return held


def inherited(
    session: Session, ids: Sequence[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """user id → key → the workgroups (by name, sorted) it is held through; every user
    when `ids` is None."""
    query = (
        select(WorkgroupMember.user_id, WorkgroupLicense.key, Workgroup.name)
        .join(WorkgroupLicense, WorkgroupLicense.workgroup_id == WorkgroupMember.workgroup_id)
        .join(Workgroup, Workgroup.id == WorkgroupMember.workgroup_id)
        .order_by(Workgroup.name_key)
    )
    parts = (
        [query]
        if ids is None
        else [query.where(w) for w in Scope(ids=ids).filters(WorkgroupMember.user_id)]
    )
    found: dict[int, dict[str, list[str]]] = {}
    for part in parts:
        for user_id, key, name in session.execute(part):
            found.setdefault(user_id, {}).setdefault(key, []).append(name)
    return found


def inherited_keys(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(inherited(session, [user_id]).get(user_id, ()))


def granted(session: Session, workgroup_id: int) -> frozenset[str]:
    """The keys granted to one workgroup."""
    query = select(WorkgroupLicense.key).where(WorkgroupLicense.workgroup_id == workgroup_id)
    return frozenset(session.scalars(query))


def grants_by_workgroup(session: Session) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    query = select(WorkgroupLicense.workgroup_id, WorkgroupLicense.key).order_by(
        WorkgroupLicense.key
    )
    for workgroup_id, key in session.execute(query):
        found.setdefault(workgroup_id, []).append(key)
    return found


# --- starting and stopping to hold ------------------------------------------------------------


def gain(
    session: Session,
    subject: str,
    who: Sequence[Person],
    scope: Scope,
    keys: Iterable[str],
    *,
    check_unheld: bool = False,
) -> None:
    """`who` (the users of `scope`) are about to hold `keys` through a workgroup; the rows
    are not written yet. Refuse it whole (R32), or move the counters of those who start
    holding a key at all. `check_unheld`: check a key even when nobody gains it (a grant
    of a key that is not purchased is refused on an empty workgroup too)."""
    wanted = frozenset(keys)
    if not wanted:
        return
    counts = usage.lock_counts(session, wanted)
    held = holdings(session, scope, group_keys(wanted)) if who else {}
    gains: dict[str, list[rules.Member]] = {}
    for key in sorted(wanted):
        gaining = [
            rules.Member(p.name, p.pool, frozenset(held.get(p.id, ())))
            for p in who
            if key not in held.get(p.id, ())
        ]
        if gaining or check_unheld:
            gains[key] = gaining
    refusals = rules.grant_refusals(subject, gains, counts)
    if refusals:
        raise Refused(refusals)
    deltas: usage.Deltas = Counter()
    for key, gaining in gains.items():
        for member in gaining:
            if member.pool is not None:
                deltas[key, member.pool] += 1
    usage.apply_deltas(session, deltas)


def lose(session: Session, who: Sequence[Person], scope: Scope, keys: Iterable[str]) -> None:
    """`who` (the users of `scope`) no longer hold `keys` through a workgroup (the rows are
    gone already): those who do not hold a key another way stop counting for it."""
    wanted = frozenset(keys)
    if not wanted or not who:
        return
    usage.lock_rows(session, wanted)
    held = holdings(session, scope, wanted)
    deltas: usage.Deltas = Counter()
    for person in who:
        if person.pool is not None:
            for key in wanted - held.get(person.id, set()):
                deltas[key, person.pool] -= 1
    usage.apply_deltas(session, deltas)


def find_workgroups(session: Session, names: Iterable[str]) -> list[Workgroup]:
    """The workgroups named (case-insensitively, each once); NotFound names the missing."""
    wanted = list(dict.fromkeys(rules.name_key(n) for n in names if n.strip()))
    found = {
        wg.name_key: wg
        for wg in session.scalars(select(Workgroup).where(Workgroup.name_key.in_(wanted)))
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise NotFound(f"no workgroup named {', '.join(repr(m) for m in missing)}")
    return [found[n] for n in wanted]


def grant_in(session: Session, workgroup: Workgroup, key: str) -> bool:
    """Grant `key` to `workgroup`: every member holds it from now on. False: granted already."""
    current = granted(session, workgroup.id)
    if key in current:
        return False
    subject = f"workgroup {workgroup.name}"
    info = catalog.describe(key)
    # Users only (R7, R17, R29), and one key of a group per workgroup too (R11–R13).
    problem = rules.holder_refusal(info, HolderKind.USER) or rules.group_refusal(info, current)
    if problem is not None:
        raise Refused(Refusal(problem.rule, f"{subject}: {problem.message}"))
    gain(
        session,
        subject,
        members_of(session, workgroup.id),
        Scope(workgroup_id=workgroup.id),
        [key],
        check_unheld=True,
    )
    session.execute(insert(WorkgroupLicense), [{"workgroup_id": workgroup.id, "key": key}])
    audit.record(session, AuditAction.GRANT, workgroup.name, "", catalog.describe(key).display_name)
    return True


def ungrant_in(session: Session, workgroup: Workgroup, key: str) -> bool:
    """Take `key` back from `workgroup`: members keep it only if they hold it another way."""
    if key not in granted(session, workgroup.id):
        return False
    session.execute(
        delete(WorkgroupLicense).where(
            WorkgroupLicense.workgroup_id == workgroup.id, WorkgroupLicense.key == key
        )
    )
    lose(session, members_of(session, workgroup.id), Scope(workgroup_id=workgroup.id), [key])
    audit.record(
        session, AuditAction.UNGRANT, workgroup.name, catalog.describe(key).display_name, ""
    )
    return True


def join(session: Session, workgroup: Workgroup, joining: Sequence[Person]) -> None:
    """Users about to become members (not written yet) take the workgroup's grants: checked
    like a grant to them alone, all of them at once."""
    keys = granted(session, workgroup.id)
    if keys and joining:
        names = rules.name_members(p.name for p in joining)
        gain(
            session,
            f"adding {names} to workgroup {workgroup.name}",
            joining,
            Scope(ids=[p.id for p in joining]),
            keys,
        )


def leave(session: Session, keys: Iterable[str], left: Sequence[Person]) -> None:
    """Users who are members no more (rows gone) release what they held only through it."""
    lose(session, left, Scope(ids=[p.id for p in left]), keys)
