"""What changed since a container last read: the audit trail (R30) as a change feed.

Every change writes its audit rows in its own transaction, so the events after the id a
container last saw say exactly what may have changed since: which station and user rows,
and whether the workgroups, the Licenses Allocation counts, the sessions or the license in
force did. Each action maps to what it can change, and anything this code cannot place (an
action it does not know, too many events) means everything: never miss a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import assert_never

from sqlalchemy import case, func, select

from ia_licensing.models import AuditEvent, Database, User
from ia_licensing.services.audit import AuditAction

CHANGES_LIMIT = 2000  # more events than this since `seen`: reading everything is as quick

_NONE: frozenset[str] = frozenset()
_MEMBERS = "; members: "  # workgroup save's before/after: "<types>; members: <a, b, ...>"
_SEPARATOR = ", "  # between member names, which may contain it too ("Smith, Ann")


@dataclass(frozen=True)
class Changes:
    """What may have changed since the event a container last saw (`newest` is the next)."""

    newest: int  # pass back as `seen` next time
    stations: frozenset[str] | None  # station names whose rows may have changed; None: all
    users: frozenset[str] | None  # user names whose rows may have changed; None: all
    workgroups: bool  # the Workgroups container (members, types, member notes)
    counts: bool  # Licenses Allocation counts or notes
    sessions: bool  # the Sessions container (logon, logoff, sessions ended by a delete)
    license: bool  # the license in force or its entitlements (the status bar)
    audit: bool = False  # an event only the Audit container shows (a refused logon)

    @classmethod
    def everything(cls, newest: int) -> Changes:
        return cls(newest, None, None, True, True, True, True, True)

    @classmethod
    def nothing(cls, newest: int) -> Changes:
        return cls(newest, _NONE, _NONE, False, False, False, False)

    @property
    def any(self) -> bool:
        """Anything at all happened (the Audit and Notes containers read again)."""
        return bool(
            self.stations is None
            or self.stations
            or self.users is None
            or self.users
            or self.workgroups
            or self.counts
            or self.sessions
            or self.license
            or self.audit
        )

    @property
    def sessions_only(self) -> bool:
        """Nothing but logons and logoffs (and the counts they move); True if nothing at all."""
        return (
            self.stations == _NONE and self.users == _NONE and not (self.workgroups or self.license)
        )

    def __or__(self, other: Changes) -> Changes:
        """Both changes: the newer id, the union of the names (None wins), any flag set."""
        return Changes(
            max(self.newest, other.newest),
            _union(self.stations, other.stations),
            _union(self.users, other.users),
            self.workgroups or other.workgroups,
            self.counts or other.counts,
            self.sessions or other.sessions,
            self.license or other.license,
            self.audit or other.audit,
        )


def _union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return None if a is None or b is None else a | b


def newest_change(db: Database) -> int:
    """The newest audit id (0 if none): every change is recorded, so it marks a version."""
    with db.read() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def changes_since(db: Database, seen: int) -> Changes:
    """Everything that may have changed after audit event `seen`, from one query of the
    events (and, only when a workgroup save lists members, one of the names with commas).

    With no event after `seen` the query returns the newest alone: newer than none and
    older than `seen` means the trail was emptied (init --force) and everything changed."""
    newest = select(func.max(AuditEvent.id)).scalar_subquery()
    query = (
        select(
            AuditEvent.id,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.before,
            AuditEvent.after,
        )
        .where(AuditEvent.id >= case((newest > seen, seen + 1), else_=newest))
        .order_by(AuditEvent.id)
        .limit(CHANGES_LIMIT + 1)
    )
    with db.read() as session:
        events = session.execute(query).all()
        if len(events) > CHANGES_LIMIT:
            return Changes.everything(session.scalar(select(func.max(AuditEvent.id))) or seen)
        if events and events[0].id <= seen:
            last = events[0].id
            return Changes.nothing(seen) if last == seen else Changes.everything(last)
        comma_names: frozenset[str] = _NONE
        if any(e.action == AuditAction.WORKGROUP_SAVE for e in events):
            # A member named "Smith, Ann" is one name, not two: only a stored name can say.
            # (One who has gone since has a user delete event of its own.)
            query_names = select(User.name).where(User.name.contains(_SEPARATOR, autoescape=True))
            comma_names = frozenset(session.scalars(query_names))
    return merged(seen, (event_changes(i, a, s, b, f, comma_names) for i, a, s, b, f in events))


def merged(seen: int, changes: Iterable[Changes]) -> Changes:
    """All of `changes` as one (as `|`, without copying the name sets at every step)."""
    newest = seen
    stations: set[str] | None = set()
    users: set[str] | None = set()
    workgroups = counts = sessions = license = audit = False
    for c in changes:
        newest = max(newest, c.newest)
        stations = _add(stations, c.stations)
        users = _add(users, c.users)
        workgroups, counts = workgroups or c.workgroups, counts or c.counts
        sessions, license = sessions or c.sessions, license or c.license
        audit = audit or c.audit
    return Changes(
        newest,
        None if stations is None else frozenset(stations),
        None if users is None else frozenset(users),
        workgroups,
        counts,
        sessions,
        license,
        audit,
    )


def _add(names: set[str] | None, more: frozenset[str] | None) -> set[str] | None:
    """`names` with `more` added in place; None (everything) absorbs."""
    if names is None or more is None:
        return None
    names |= more
    return names


def event_changes(
    event_id: int,
    action: str,
    subject: str,
    before: str,
    after: str,
    comma_names: frozenset[str] = _NONE,
) -> Changes:
    """What one audit row says may have changed; an action not in AuditAction (written by
    another version) means everything. `comma_names`: the user names containing ", ", to
    read a workgroup save's member lists (names are joined with ", " there)."""
    try:
        known = AuditAction(action)
    except ValueError:
        return Changes.everything(event_id)
    return _changes(event_id, known, subject, before, after, comma_names)


def _changes(
    newest: int,
    action: AuditAction,
    subject: str,
    before: str,
    after: str,
    comma_names: frozenset[str],
) -> Changes:
    one = frozenset({subject})
    match action:
        case (
            AuditAction.INIT
            | AuditAction.LICENSE_LOAD
            | AuditAction.ENTITLEMENT
            | AuditAction.IN_FORCE
        ):
            return Changes.everything(newest)
        case AuditAction.TRUST_KEY:  # which licenses verify: the license in force may
            return Changes(newest, _NONE, _NONE, False, False, False, True)
        case AuditAction.RECOUNT:  # counter rows rewritten from the allocation rows
            return Changes(newest, _NONE, _NONE, False, True, False, False)
        case AuditAction.STATION_ADD | AuditAction.STATION_UPDATE:
            return Changes(newest, one, _NONE, False, True, False, False)
        case AuditAction.STATION_DELETE:  # ends the sessions on the station (R15)
            return Changes(newest, one, _NONE, False, True, True, False)
        case AuditAction.USER_ADD | AuditAction.USER_UPDATE:  # members' ACD notes (R18)
            return Changes(newest, _NONE, one, True, True, False, False)
        case AuditAction.USER_DELETE:  # leaves its workgroups, ends its session (R15)
            return Changes(newest, _NONE, one, True, True, True, False)
        case AuditAction.ALLOCATE | AuditAction.DEALLOCATE:
            # The subject is a station or a user: a name is simply not found in the other
            # container. A user's ACD level changes workgroup notes (R18).
            return Changes(newest, one, one, True, True, False, False)
        case AuditAction.GRANT | AuditAction.UNGRANT:  # every member's licenses (R32)
            return Changes(newest, _NONE, None, True, True, False, False)
        # Members take and release the workgroup's grants (R32): the counts may move.
        case AuditAction.WORKGROUP_MEMBER_ADD:
            return _workgroups(newest, frozenset({after}), counts=True)
        case AuditAction.WORKGROUP_MEMBER_REMOVE:
            return _workgroups(newest, frozenset({before}), counts=True)
        case AuditAction.WORKGROUP_ADD:  # a new queue has no members yet
            return _workgroups(newest, _NONE)
        case AuditAction.WORKGROUP_TYPES:  # every member's R18 note; members not recorded
            return _workgroups(newest, _NONE if before == after else None)
        case AuditAction.WORKGROUP_DELETE:  # every former member's R18 note; not recorded
            return _workgroups(newest, None, counts=True)
        case AuditAction.WORKGROUP_SAVE:
            return _workgroups(newest, _saved_members(before, after, comma_names), counts=True)
        case AuditAction.LOGON | AuditAction.LOGOFF:  # no Stations or Users column shows it
            return Changes(newest, _NONE, _NONE, False, True, True, False)
        case AuditAction.LOGON_REFUSED:
            # Changes nothing a container shows but the Audit trail: no session, count or
            # note moves (R30; the server's Event Log entry).
            return Changes(newest, _NONE, _NONE, False, False, False, False, audit=True)
        case _:
            assert_never(action)


def _workgroups(newest: int, users: frozenset[str] | None, *, counts: bool = False) -> Changes:
    return Changes(newest, _NONE, users, True, counts, False, False)


def _saved_members(before: str, after: str, comma_names: frozenset[str]) -> frozenset[str]:
    """Every member before and after a workgroup save: the types, and so the R18 notes of
    all of them, may have changed (the dialog saves both at once)."""
    longest = max((len(n.split(_SEPARATOR)) for n in comma_names), default=1)
    return frozenset(
        name
        for text in (before, after)
        for name in _member_names(text.partition(_MEMBERS)[2], comma_names, longest)
    )


def _member_names(joined: str, comma_names: frozenset[str], longest: int) -> set[str]:
    """Member names joined by ", ", where a name may contain ", " too: every piece, and
    every run of up to `longest` pieces that is one of `comma_names`. A superset of the
    names (names are stripped, so a cut at ", " is between names or inside one)."""
    pieces: Sequence[str] = joined.split(_SEPARATOR) if joined else ()
    names = set(pieces)
    for start in range(len(pieces)):
        for end in range(start + 2, min(len(pieces), start + longest) + 1):
            run = _SEPARATOR.join(pieces[start:end])
            if run in comma_names:
                names.add(run)
    return names
