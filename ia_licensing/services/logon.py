"""Logging users on and off: the server side that IA shows as "Concurrent In Use" (R20–R25).

A logon is one write transaction: the facts are read under the write lock (BEGIN IMMEDIATE
on SQLite, counter rows FOR UPDATE elsewhere), the rules in rules.py decide, and only then
the old session ends (R21), the new one starts and Concurrent In Use moves with its
SessionLicense rows. A refused logon raises Refused and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, union

from ia_licensing import catalog, rules
from ia_licensing.models import (
    Base,
    Database,
    LogonSession,
    SessionLicense,
    Station,
    StationLicense,
    User,
    UserLicense,
    Workgroup,
    WorkgroupMember,
)
from ia_licensing.models.cursor import Cursor
from ia_licensing.rules import Acquisition, HolderKind, KeyCounts, Pool
from ia_licensing.services import audit, expiry, grants, usage, usage_history
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.holders import describe_keys, stored_acd_types
from ia_licensing.services.sessions import end_sessions, end_sessions_on, move_in_use_on
from ia_licensing.services.workgroups import stored_types

MAX_REMOTE_NUMBER = 64

_users = Base.metadata.tables[User.__tablename__]
_stations = Base.metadata.tables[Station.__tablename__]
_sessions = Base.metadata.tables[LogonSession.__tablename__]
_session_licenses = Base.metadata.tables[SessionLicense.__tablename__]
_user_licenses = Base.metadata.tables[UserLicense.__tablename__]
_station_licenses = Base.metadata.tables[StationLicense.__tablename__]
_workgroups = Base.metadata.tables[Workgroup.__tablename__]
_members = Base.metadata.tables[WorkgroupMember.__tablename__]
# Prebuilt Core statements: a logon is a dozen small queries, and building and caching a
# fresh ORM statement for each cost several times the SQL itself (docs/performance.md).
_USER_NAMED = select(
    _users.c.id,
    _users.c.name,
    _users.c.method,
    _users.c.licenses_enabled,
    _users.c.remote_login,
    _users.c.acd_types,
).where(_users.c.name_key == bindparam("name_key"))
_STATION_NAMED = select(
    _stations.c.id,
    _stations.c.name,
    _stations.c.enabled,
    _stations.c.licenses_enabled,
    _stations.c.station_type,
    _stations.c.acd_types,
).where(_stations.c.name_key == bindparam("name_key"))
_STATION_USED_BY = (
    select(_users.c.name)
    .join_from(_sessions, _users, _users.c.id == _sessions.c.user_id)
    .where(
        _sessions.c.station_id == bindparam("station_id"),
        _sessions.c.user_id != bindparam("user_id"),
    )
)
_SESSION_OF = (
    select(_sessions.c.id, _stations.c.name, _sessions.c.remote_number)
    .join_from(_sessions, _stations, _stations.c.id == _sessions.c.station_id, isouter=True)
    .where(_sessions.c.user_id == bindparam("user_id"))
)
_HELD_BY = select(_session_licenses.c.key).where(
    _session_licenses.c.session_id == bindparam("session_id")
)
# R23 with R32: the user's own keys and those granted to their workgroups, each once.
_USER_KEYS = union(
    select(_user_licenses.c.key).where(_user_licenses.c.user_id == bindparam("user_id")),
    grants.GRANTED_TO_USER,
)
_STATION_KEYS = select(_station_licenses.c.key).where(
    _station_licenses.c.station_id == bindparam("station_id")
)
_LIVE_DYNAMIC_OF_OTHERS = (
    select(func.count())
    .select_from(_sessions)
    .where(_sessions.c.station_id.is_(None), _sessions.c.user_id != bindparam("user_id"))
)
# R20: holders of a key in use by the logons of users other than this one.
_STATIONS_IN_USE = (
    select(func.count())
    .select_from(_sessions)
    .join(_stations, _stations.c.id == _sessions.c.station_id)
    .join(_station_licenses, _station_licenses.c.station_id == _stations.c.id)
    .where(
        _station_licenses.c.key == bindparam("key"),
        _stations.c.enabled,
        _stations.c.licenses_enabled,
        _sessions.c.user_id != bindparam("user_id"),
    )
)
_USERS_IN_USE = (
    select(func.count())
    .select_from(_sessions)
    .join(_users, _users.c.id == _sessions.c.user_id)
    .join(_user_licenses, _user_licenses.c.user_id == _users.c.id)
    .where(
        _user_licenses.c.key == bindparam("key"),
        _users.c.method == Pool.ASSIGNABLE.value,
        _users.c.licenses_enabled,
        _sessions.c.user_id != bindparam("user_id"),
    )
)
_ROUTED_TO = (  # R18: the interaction types of the user's workgroup queues
    select(_workgroups.c.interaction_types)
    .join_from(_members, _workgroups, _workgroups.c.id == _members.c.workgroup_id)
    .where(_members.c.user_id == bindparam("user_id"))
)
_NEW_SESSION = insert(_sessions).returning(_sessions.c.id)
_NEW_SESSION_LICENSE = insert(_session_licenses)


@dataclass(frozen=True)
class _Account:
    id: int
    name: str
    method: str
    licenses_enabled: bool
    remote_login: bool
    acd_types: str


@dataclass(frozen=True)
class _Place:
    id: int
    name: str
    enabled: bool
    licenses_enabled: bool
    station_type: str
    acd_types: str


@dataclass(frozen=True)
class LogonResult:
    """What a logon did. `not_acquired` pairs a key with the reason (R23); `logged_off_from`
    is the station name or remote number of the session this logon replaced (R21);
    `warnings` are what the client would show (R18's limited interaction types)."""

    user: str
    station: str | None
    remote_number: str | None
    acquired: tuple[str, ...]
    reused: tuple[str, ...]
    not_acquired: tuple[tuple[str, str], ...]
    logged_off_from: str | None
    warnings: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        return _location(self.station, self.remote_number)


@dataclass(frozen=True)
class SessionInfo:
    user: str
    station: str | None
    remote_number: str | None
    since: dt.datetime
    licenses: tuple[str, ...]


def _location(station: str | None, remote_number: str | None) -> str:
    return f"station {station}" if station is not None else f"remote number {remote_number}"


def _find_user(cursor: Cursor, name: str) -> _Account:
    row = cursor.first(_USER_NAMED, {"name_key": rules.name_key(name)})
    if row is None:
        raise NotFound(f"no user named {name!r}")
    user_id, found, method, licenses_enabled, remote_login, acd_types = row
    return _Account(user_id, found, method, bool(licenses_enabled), bool(remote_login), acd_types)


def _clean_remote_number(number: str) -> str:
    cleaned = number.strip()
    if not cleaned:
        raise InvalidInput("a remote phone number cannot be blank")
    if len(cleaned) > MAX_REMOTE_NUMBER:
        raise InvalidInput(f"a remote phone number is at most {MAX_REMOTE_NUMBER} characters")
    return cleaned


@dataclass(frozen=True)
class _Current:
    """The user's live session, if any, and the licenses it holds (reused by R23)."""

    id: int
    station: str | None
    remote_number: str | None
    held: frozenset[str]

    @property
    def place(self) -> str:
        """The station name or remote number, as LogonResult.logged_off_from gives it."""
        return self.station if self.station is not None else self.remote_number or ""

    def describe(self) -> str:
        """For the audit trail's before → after."""
        held = describe_keys(self.held)
        return f"{_location(self.station, self.remote_number)}; concurrent licenses: {held}"


def _current(cursor: Cursor, user: _Account) -> _Current | None:
    row = cursor.first(_SESSION_OF, {"user_id": user.id})
    if row is None:
        return None
    session_id, station_name, remote_number = row
    held = frozenset(cursor.scalars(_HELD_BY, {"session_id": session_id}))
    return _Current(session_id, station_name, remote_number, held)


def logon(
    db: Database, user: str, *, station: str | None = None, remote_number: str | None = None
) -> LogonResult:
    """Log `user` on to a station, or Dynamic Remote with a phone number (R20–R25, R31).

    A refused logon changes nothing and is recorded in the audit trail, as the server's
    Event Log records it (R24, R30), in a transaction of its own."""
    if (station is None) == (remote_number is None):
        raise InvalidInput("log on to a station or with a remote phone number (exactly one)")
    number = _clean_remote_number(remote_number) if remote_number is not None else None
    try:
        return _logon(db, user, station, number)
    except Refused as refusal:
        _record_refusal(db, user, station, number, refusal)
        raise


def _record_refusal(
    db: Database, user: str, station: str | None, number: str | None, refusal: Refused
) -> None:
    with db.write_cursor() as cursor:
        account = _find_user(cursor, user)
        place = station.strip() if station is not None else None
        where = _location(place, number)
        audit.record_on(cursor, AuditAction.LOGON_REFUSED, account.name, "", f"{where}: {refusal}")
        # R33: a denial, kept raw with the rule and the key that was short (if one was).
        usage_history.record_denial_on(
            cursor, account.name, place, number, refusal.rule, refusal.key
        )


def _logon(db: Database, user: str, station: str | None, number: str | None) -> LogonResult:
    with db.write_cursor() as connection:
        account = _find_user(connection, user)
        expiry.refuse_if_expired_on(connection)  # R28: no logon once the license has expired
        place = _find_station(connection, station, account) if station is not None else None
        current = _current(connection, account)
        held = current.held if current else frozenset()
        user_keys = frozenset(connection.scalars(_USER_KEYS, {"user_id": account.id}))
        station_keys = _granted(connection, place)
        pool = rules.counting_pool(
            HolderKind.USER, Pool(account.method), licenses_enabled=account.licenses_enabled
        )
        # R25: an Assignable user's licenses were counted at allocation; only a Concurrent
        # user (with Enable Licenses set, R14) acquires anything at logon.
        wanted = user_keys if pool is Pool.CONCURRENT else frozenset()
        assigned = user_keys if pool is Pool.ASSIGNABLE else frozenset()
        counts = usage.lock_counts_on(
            connection, wanted | held | assigned | station_keys | {catalog.BASIC_STATION}
        )
        acquisition = rules.concurrent_acquisition(wanted, counts, held)
        if place is not None:
            _check_station(place, station_keys, pool, user_keys, acquisition)
        else:
            _check_dynamic_remote(connection, account, counts[catalog.BASIC_STATION])
        _check_available(connection, account, counts, Counter([*assigned, *station_keys]))
        acquired = set(acquisition.acquired)
        if place is None:  # R24: the connection holds a Basic Station, shown as In Use
            acquired.add(catalog.BASIC_STATION)
        if current is not None:  # R21: one station at a time, in this same transaction
            end_sessions_on(connection, [current.id], Counter(current.held))
        new_id = connection.scalar(
            _NEW_SESSION,
            {
                "user_id": account.id,
                "station_id": place.id if place else None,
                "remote_number": number,
                "started_at": usage_history.now(),
            },
        )
        if acquired:
            connection.run_many(
                _NEW_SESSION_LICENSE,
                [{"session_id": new_id, "key": key} for key in sorted(acquired)],
            )
        move_in_use_on(connection, dict.fromkeys(acquired, 1))
        result = LogonResult(
            account.name,
            place.name if place else None,
            number,
            tuple(sorted(acquired)),
            tuple(sorted(acquired & held)),
            tuple(sorted(acquisition.not_acquired.items())),
            current.place if current else None,
            _acd_warnings(
                connection, account, place, assigned | acquisition.acquired, station_keys
            ),
        )
        audit.record_on(
            connection,
            AuditAction.LOGON,
            account.name,
            current.describe() if current else "logged off",
            f"{result.location}; concurrent licenses: {describe_keys(result.acquired)}",
        )
        return result


def _acd_warnings(
    connection: Cursor,
    user: _Account,
    place: _Place | None,
    user_grants: frozenset[str],
    station_grants: frozenset[str],
) -> tuple[str, ...]:
    """R18 at logon: the types the user's and the station's ACD levels give, against the
    union of the user's queues; short, the logon succeeds with the spec's warning."""
    required = {
        t
        for text in connection.scalars(_ROUTED_TO, {"user_id": user.id})
        for t in stored_types(text)
    }
    if not required:
        return ()
    given = rules.acd_types_of(
        rules.acd_level_of(user_grants), stored_acd_types(user.acd_types), required
    )
    if place is not None:
        given |= rules.acd_types_of(
            rules.acd_level_of(station_grants), stored_acd_types(place.acd_types), required
        )
    warning = rules.acd_logon_warning(required, given)
    return (warning,) if warning else ()


def _granted(connection: Cursor, place: _Place | None) -> frozenset[str]:
    """What a station grants whoever logs on to it: its keys, if its Enable Licenses is set."""
    if place is None or not place.licenses_enabled:
        return frozenset()
    return frozenset(connection.scalars(_STATION_KEYS, {"station_id": place.id}))


def _check_available(
    connection: Cursor,
    user: _Account,
    counts: dict[str, KeyCounts],
    adding: Counter[str],
) -> None:
    """R20 "allocated and available": each Assignable key this logon brings into use (the
    station's and an Assignable user's) must have a license left for one more holder when
    it is over-allocated. `adding`: key → holders this logon brings in (the station, the
    user, or both). Holders in use are counted only for over-allocated keys."""
    for key, adds in sorted(adding.items()):
        row = counts[key]
        dynamic = row.concurrent_in_use if key == catalog.BASIC_STATION else 0
        if row.assignable_configured + dynamic <= row.assignable_allowed:
            continue  # not over-allocated: every holder has its license
        params = {"key": key, "user_id": user.id}
        in_use = (connection.scalar(_STATIONS_IN_USE, params) or 0) + (
            connection.scalar(_USERS_IN_USE, params) or 0
        )
        if key == catalog.BASIC_STATION:
            in_use += connection.scalar(_LIVE_DYNAMIC_OF_OTHERS, {"user_id": user.id}) or 0
        refusal = rules.availability_refusal(row, in_use=in_use, adding=adds, dynamic=dynamic)
        if refusal is not None:
            raise Refused(refusal, key=key)


def _find_station(connection: Cursor, name: str, user: _Account) -> _Place:
    row = connection.first(_STATION_NAMED, {"name_key": rules.name_key(name)})
    if row is None:
        missing = rules.station_logon_refusal(
            name.strip(),
            exists=False,
            enabled=False,
            basic_station_granted=False,
            client_capability_available=False,
        )
        assert missing is not None
        raise Refused(missing)
    station_id, found, enabled, licenses_enabled, station_type, acd_types = row
    station = _Place(
        station_id, found, bool(enabled), bool(licenses_enabled), station_type, acd_types
    )
    other = connection.scalar(_STATION_USED_BY, {"station_id": station.id, "user_id": user.id})
    refusal = rules.station_in_use_refusal(station.name, other)
    if refusal is not None:
        raise Refused(refusal)
    return station


def _check_station(
    station: _Place,
    granted: frozenset[str],
    pool: Pool | None,
    user_keys: frozenset[str],
    acquisition: Acquisition,
) -> None:
    """R20, R31, and R23's refusal when the client capability cannot be acquired."""
    from_station = rules.has_client_capability(granted)
    if pool is Pool.ASSIGNABLE:
        from_user = rules.has_client_capability(user_keys)
    else:  # Concurrent: only what this logon can acquire supplies the client (R23)
        from_user = rules.has_client_capability(acquisition.acquired)
    refusal = rules.station_logon_refusal(
        station.name,
        exists=True,
        enabled=station.enabled,
        basic_station_granted=catalog.BASIC_STATION in granted,
        client_capability_available=from_station or from_user,
    )
    if refusal is not None and station.enabled and catalog.BASIC_STATION in granted:
        # The capability is what is missing: say so as R23 when the user has it Concurrent
        # but none is free, rather than as if the user had no such license at all.
        refusal = rules.client_capability_refusal(station.name, acquisition.not_acquired) or refusal
    refusal = refusal or rules.remote_station_refusal(
        station.name,
        remote=station.station_type == "remote",
        client_access_granted=catalog.CLIENT_ACCESS in granted,
    )
    if refusal is not None:
        # R33: an R23 refusal is a denial of the Concurrent client license that was short.
        short = sorted(k for k in acquisition.not_acquired if k in catalog.CLIENT_CAPABILITIES)
        raise Refused(refusal, key=short[0] if refusal.rule == "R23" and short else None)


def _check_dynamic_remote(connection: Cursor, user: _Account, basic: KeyCounts) -> None:
    """R24: the user's right, then a free Basic Station. Active stations holding Basic
    Station are its Assignable Configured counter (R3: users cannot hold it, R7), kept equal
    to the rows in every transaction; the live Dynamic Remote connections are one COUNT.
    The session this logon replaces does not count."""
    refusal = rules.remote_login_refusal(user.name, has_right=user.remote_login)
    if refusal is not None:
        raise Refused(refusal)
    live_dynamic = connection.scalar(_LIVE_DYNAMIC_OF_OTHERS, {"user_id": user.id})
    refusal = rules.dynamic_remote_refusal(
        basic.assignable_configured, live_dynamic or 0, basic.assignable_allowed
    )
    if refusal is not None:
        raise Refused(refusal, key=catalog.BASIC_STATION)


def logoff(db: Database, user: str) -> None:
    """End the user's session and release its concurrent licenses (R23)."""
    with db.write_cursor() as connection:
        account = _find_user(connection, user)
        current = _current(connection, account)
        if current is None:
            raise InvalidInput(f"{account.name} is not logged on")
        usage.lock_rows_on(connection, current.held)
        end_sessions_on(connection, [current.id], Counter(current.held))
        audit.record_on(
            connection,
            AuditAction.LOGOFF,
            account.name,
            current.describe(),
            "logged off",
        )


def log_off_all(db: Database) -> int:
    """End every session (e.g. the server restarting); returns how many ended."""
    with db.write() as session:
        rows = session.execute(
            select(LogonSession.id, User.name).join(User, User.id == LogonSession.user_id)
        ).all()
        held = session.scalars(select(SessionLicense.key).distinct())
        usage.lock_rows(session, held)
        end_sessions(session, [session_id for session_id, _ in rows])
        audit.record_many(
            session,
            AuditAction.LOGOFF,
            [(name, "logged on", "logged off (all)") for _, name in rows],
        )
        return len(rows)


def sessions(db: Database) -> list[SessionInfo]:
    """Every live session with the concurrent licenses it holds, in two queries."""
    with db.read() as session:
        licenses: dict[int, list[str]] = {}
        for session_id, key in session.execute(
            select(SessionLicense.session_id, SessionLicense.key).order_by(SessionLicense.key)
        ):
            licenses.setdefault(session_id, []).append(key)
        rows = session.execute(
            select(
                LogonSession.id,
                User.name,
                Station.name,
                LogonSession.remote_number,
                LogonSession.started_at,
            )
            .join(User, User.id == LogonSession.user_id)
            .outerjoin(Station, Station.id == LogonSession.station_id)
            .order_by(User.name_key)
        )
        return [
            SessionInfo(user, station, number, since, tuple(licenses.get(session_id, ())))
            for session_id, user, station, number, since in rows
        ]
