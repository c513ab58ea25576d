"""Logging users on and off: the server side that IA shows as "Concurrent In Use" (R20–R25).

A logon is one write transaction: the facts are read under the write lock (BEGIN IMMEDIATE
on SQLite, counter rows FOR UPDATE elsewhere), the rules in rules.py decide, and only then
the old session ends (R21), the new one starts and Concurrent In Use moves with its
SessionLicense rows. A refused logon raises Refused and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.models import (
    Database,
    LogonSession,
    SessionLicense,
    Station,
    StationLicense,
    User,
    UserLicense,
)
from ia_licensing.models.schema import utcnow
from ia_licensing.rules import Acquisition, HolderKind, KeyCounts, Pool
from ia_licensing.services import audit, usage
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.holders import describe_keys
from ia_licensing.services.sessions import end_sessions, move_in_use

MAX_REMOTE_NUMBER = 64


@dataclass(frozen=True)
class LogonResult:
    """What a logon did. `not_acquired` pairs a key with the reason (R23); `logged_off_from`
    is the station name or remote number of the session this logon replaced (R21)."""

    user: str
    station: str | None
    remote_number: str | None
    acquired: tuple[str, ...]
    reused: tuple[str, ...]
    not_acquired: tuple[tuple[str, str], ...]
    logged_off_from: str | None

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


def _find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name_key == name.strip().casefold()))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


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


def _current(session: Session, user: User) -> _Current | None:
    row = session.execute(
        select(LogonSession.id, Station.name, LogonSession.remote_number)
        .outerjoin(Station, Station.id == LogonSession.station_id)
        .where(LogonSession.user_id == user.id)
    ).first()
    if row is None:
        return None
    session_id, station_name, remote_number = row
    held = frozenset(
        session.scalars(select(SessionLicense.key).where(SessionLicense.session_id == session_id))
    )
    return _Current(session_id, station_name, remote_number, held)


def logon(
    db: Database, user: str, *, station: str | None = None, remote_number: str | None = None
) -> LogonResult:
    """Log `user` on to a station, or Dynamic Remote with a phone number (R20–R25)."""
    if (station is None) == (remote_number is None):
        raise InvalidInput("log on to a station or with a remote phone number (exactly one)")
    number = _clean_remote_number(remote_number) if remote_number is not None else None
    with db.write() as session:
        account = _find_user(session, user)
        place = _find_station(session, station, account) if station is not None else None
        current = _current(session, account)
        held = current.held if current else frozenset()
        user_keys = frozenset(
            session.scalars(select(UserLicense.key).where(UserLicense.user_id == account.id))
        )
        pool = rules.counting_pool(
            HolderKind.USER, Pool(account.method), licenses_enabled=account.licenses_enabled
        )
        # R25: an Assignable user's licenses were counted at allocation; only a Concurrent
        # user (with Enable Licenses set, R14) acquires anything at logon.
        wanted = user_keys if pool is Pool.CONCURRENT else frozenset()
        counts = usage.lock_counts(session, wanted | held | {catalog.BASIC_STATION})
        acquisition = rules.concurrent_acquisition(wanted, counts, held)
        if place is not None:
            _check_station(session, place, account, pool, user_keys, acquisition)
        else:
            _check_dynamic_remote(session, account, counts[catalog.BASIC_STATION])
        if current is not None:  # R21: one station at a time, in this same transaction
            end_sessions(session, [current.id])
        new_id = session.scalar(
            insert(LogonSession)
            .values(
                user_id=account.id,
                station_id=place.id if place else None,
                remote_number=number,
                started_at=utcnow(),
            )
            .returning(LogonSession.id)
        )
        if acquisition.acquired:
            session.execute(
                insert(SessionLicense),
                [{"session_id": new_id, "key": key} for key in sorted(acquisition.acquired)],
            )
        move_in_use(session, dict.fromkeys(acquisition.acquired, 1))
        result = LogonResult(
            account.name,
            place.name if place else None,
            number,
            tuple(sorted(acquisition.acquired)),
            tuple(sorted(acquisition.acquired & held)),
            tuple(sorted(acquisition.not_acquired.items())),
            current.place if current else None,
        )
        audit.record(
            session,
            "logon",
            account.name,
            current.describe() if current else "logged off",
            f"{result.location}; concurrent licenses: {describe_keys(result.acquired)}",
        )
        return result


def _find_station(session: Session, name: str, user: User) -> Station:
    station = session.scalar(select(Station).where(Station.name_key == name.strip().casefold()))
    if station is None:
        missing = rules.station_logon_refusal(
            name.strip(),
            exists=False,
            enabled=False,
            basic_station_granted=False,
            client_capability_available=False,
        )
        assert missing is not None
        raise Refused(missing)
    other = session.scalar(
        select(User.name)
        .join(LogonSession, LogonSession.user_id == User.id)
        .where(LogonSession.station_id == station.id, User.id != user.id)
    )
    refusal = rules.station_in_use_refusal(station.name, other)
    if refusal is not None:
        raise Refused(refusal)
    return station


def _check_station(
    session: Session,
    station: Station,
    user: User,
    pool: Pool | None,
    user_keys: frozenset[str],
    acquisition: Acquisition,
) -> None:
    """R20, and R23's refusal when the client capability cannot be acquired."""
    granted = frozenset(
        session.scalars(select(StationLicense.key).where(StationLicense.station_id == station.id))
        if station.licenses_enabled
        else ()
    )
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
    if refusal is not None:
        raise Refused(refusal)


def _check_dynamic_remote(session: Session, user: User, basic: KeyCounts) -> None:
    """R24. Active stations holding Basic Station are its Assignable Configured counter (R3:
    users cannot hold it, R7), kept equal to the rows in every transaction; the live Dynamic
    Remote connections are one COUNT. The session this logon replaces does not count."""
    live_dynamic = session.scalar(
        select(func.count())
        .select_from(LogonSession)
        .where(LogonSession.station_id.is_(None), LogonSession.user_id != user.id)
    )
    refusal = rules.dynamic_remote_refusal(
        basic.assignable_configured, live_dynamic or 0, basic.assignable_allowed
    )
    if refusal is not None:
        raise Refused(refusal)


def logoff(db: Database, user: str) -> None:
    """End the user's session and release its concurrent licenses (R23)."""
    with db.write() as session:
        account = _find_user(session, user)
        current = _current(session, account)
        if current is None:
            raise InvalidInput(f"{account.name} is not logged on")
        usage.lock_counts(session, current.held)
        end_sessions(session, [current.id])
        audit.record(
            session,
            "logoff",
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
        usage.lock_counts(session, held)
        end_sessions(session, [session_id for session_id, _ in rows])
        audit.record_many(
            session, "logoff", [(name, "logged on", "logged off (all)") for _, name in rows]
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
