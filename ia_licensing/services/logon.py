"""Logging users on and off: the server side that IA shows as "Concurrent In Use" (R20–R25).

A logon is one unit of all or nothing: the facts are read under the write lock (BEGIN
IMMEDIATE on SQLite, the advisory lock and counter rows FOR UPDATE elsewhere), the rules in
rules.py decide, and only then the old session ends (R21), the new one starts and
Concurrent In Use moves with its SessionLicense rows. A refused logon raises Refused and
writes nothing but its refusal (R24, R30, R33).

The decisions are made here, once, against a `LogonStore` (logon_store.py): a live logon's
transaction, or a replay's batch (R34), which reads and writes the same facts in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from ia_licensing import catalog, rules
from ia_licensing.models import Database, LogonSession, SessionLicense, Station, User
from ia_licensing.rules import Acquisition, HolderKind, KeyCounts, Pool
from ia_licensing.services import audit, expiry, usage
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.holders import describe_keys, stored_acd_types
from ia_licensing.services.logon_store import Account, LiveStore, LogonStore, Place, location
from ia_licensing.services.sessions import end_sessions
from ia_licensing.services.workgroups import stored_types

MAX_REMOTE_NUMBER = 64


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
        return location(self.station, self.remote_number)


@dataclass(frozen=True)
class SessionInfo:
    user: str
    station: str | None
    remote_number: str | None
    since: dt.datetime
    licenses: tuple[str, ...]


def _clean_remote_number(number: str) -> str:
    cleaned = number.strip()
    if not cleaned:
        raise InvalidInput("a remote phone number cannot be blank")
    if len(cleaned) > MAX_REMOTE_NUMBER:
        raise InvalidInput(f"a remote phone number is at most {MAX_REMOTE_NUMBER} characters")
    return cleaned


def _find_user(store: LogonStore, name: str) -> Account:
    account = store.user(name)
    if account is None:
        raise NotFound(f"no user named {name!r}")
    return account


def logon(
    db: Database, user: str, *, station: str | None = None, remote_number: str | None = None
) -> LogonResult:
    """Log `user` on to a station, or Dynamic Remote with a phone number (R20–R25, R31).

    A refused logon changes nothing and is recorded in the audit trail, as the server's
    Event Log records it (R24, R30), in a transaction of its own."""
    return logon_with(LiveStore(db), user, station=station, remote_number=remote_number)


def logon_with(
    store: LogonStore, user: str, *, station: str | None = None, remote_number: str | None = None
) -> LogonResult:
    """`logon` against any store: a live transaction, or a replay's batch (R34). A refused
    logon writes nothing but its refusal, in a unit of its own."""
    if (station is None) == (remote_number is None):
        raise InvalidInput("log on to a station or with a remote phone number (exactly one)")
    number = _clean_remote_number(remote_number) if remote_number is not None else None
    try:
        with store.unit():
            return _logon(store, user, station, number)
    except Refused as refusal:
        with store.unit():
            _record_refusal(store, user, station, number, refusal)
        raise


def _record_refusal(
    store: LogonStore, user: str, station: str | None, number: str | None, refusal: Refused
) -> None:
    account = _find_user(store, user)
    place = station.strip() if station is not None else None
    where = location(place, number)
    store.audit(AuditAction.LOGON_REFUSED, account.name, "", f"{where}: {refusal}")
    # R33: a denial, kept raw with the rule and the key that was short (if one was).
    store.denial(account.name, place, number, refusal.rule, refusal.key)


def _logon(store: LogonStore, user: str, station: str | None, number: str | None) -> LogonResult:
    account = _find_user(store, user)
    expiry.refuse_if_expired_given(store.in_force())  # R28: no logon once expired
    place = _find_station(store, station, account) if station is not None else None
    current = store.current(account)
    held = current.held if current else frozenset()
    user_keys = store.user_keys(account.id)
    station_keys = _granted(store, place)
    pool = rules.counting_pool(
        HolderKind.USER, Pool(account.method), licenses_enabled=account.licenses_enabled
    )
    # R25: an Assignable user's licenses were counted at allocation; only a Concurrent
    # user (with Enable Licenses set, R14) acquires anything at logon.
    wanted = user_keys if pool is Pool.CONCURRENT else frozenset()
    assigned = user_keys if pool is Pool.ASSIGNABLE else frozenset()
    counts = store.lock_counts(wanted | held | assigned | station_keys | {catalog.BASIC_STATION})
    acquisition = rules.concurrent_acquisition(wanted, counts, held)
    if place is not None:
        _check_station(place, station_keys, pool, user_keys, acquisition)
    else:
        _check_dynamic_remote(store, account, counts[catalog.BASIC_STATION])
    _check_available(store, account, counts, Counter([*assigned, *station_keys]))
    acquired = set(acquisition.acquired)
    if place is None:  # R24: the connection holds a Basic Station, shown as In Use
        acquired.add(catalog.BASIC_STATION)
    if current is not None:  # R21: one station at a time, in this same transaction
        store.end_session(account, current)
    store.start_session(account, place, number, frozenset(acquired))
    result = LogonResult(
        account.name,
        place.name if place else None,
        number,
        tuple(sorted(acquired)),
        tuple(sorted(acquired & held)),
        tuple(sorted(acquisition.not_acquired.items())),
        current.place if current else None,
        _acd_warnings(store, account, place, assigned | acquisition.acquired, station_keys),
    )
    store.audit(
        AuditAction.LOGON,
        account.name,
        current.describe() if current else "logged off",
        f"{result.location}; concurrent licenses: {describe_keys(result.acquired)}",
    )
    return result


def _acd_warnings(
    store: LogonStore,
    user: Account,
    place: Place | None,
    user_grants: frozenset[str],
    station_grants: frozenset[str],
) -> tuple[str, ...]:
    """R18 at logon: the types the user's and the station's ACD levels give, against the
    union of the user's queues; short, the logon succeeds with the spec's warning."""
    required = {t for text in store.routed_to(user.id) for t in stored_types(text)}
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


def _granted(store: LogonStore, place: Place | None) -> frozenset[str]:
    """What a station grants whoever logs on to it: its keys, if its Enable Licenses is set."""
    if place is None or not place.licenses_enabled:
        return frozenset()
    return store.station_keys(place.id)


def _check_available(
    store: LogonStore,
    user: Account,
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
        if not rules.over_allocated(row, dynamic=dynamic):
            continue  # every holder has its license: nothing to count
        in_use = store.holders_in_use(key, user.id)
        if key == catalog.BASIC_STATION:
            in_use += store.live_dynamic_of_others(user.id)
        refusal = rules.availability_refusal(row, in_use=in_use, adding=adds, dynamic=dynamic)
        if refusal is not None:
            raise Refused(refusal, key=key)


def _find_station(store: LogonStore, name: str, user: Account) -> Place:
    station = store.station(name)
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
    refusal = rules.station_in_use_refusal(station.name, store.station_used_by(station.id, user.id))
    if refusal is not None:
        raise Refused(refusal)
    return station


def _check_station(
    station: Place,
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


def _check_dynamic_remote(store: LogonStore, user: Account, basic: KeyCounts) -> None:
    """R24: the user's right, then a free Basic Station. Active stations holding Basic
    Station are its Assignable Configured counter (R3: users cannot hold it, R7), kept equal
    to the rows in every transaction; the live Dynamic Remote connections are one COUNT.
    The session this logon replaces does not count."""
    refusal = rules.remote_login_refusal(user.name, has_right=user.remote_login)
    if refusal is not None:
        raise Refused(refusal)
    refusal = rules.dynamic_remote_refusal(
        basic.assignable_configured, store.live_dynamic_of_others(user.id), basic.assignable_allowed
    )
    if refusal is not None:
        raise Refused(refusal, key=catalog.BASIC_STATION)


def logoff(db: Database, user: str) -> None:
    """End the user's session and release its concurrent licenses (R23)."""
    logoff_with(LiveStore(db), user)


def logoff_with(store: LogonStore, user: str) -> None:
    """`logoff` against any store: a live transaction, or a replay's batch (R34)."""
    with store.unit():
        account = _find_user(store, user)
        current = store.current(account)
        if current is None:
            raise InvalidInput(f"{account.name} is not logged on")
        store.lock_counts(current.held)
        store.end_session(account, current)
        store.audit(AuditAction.LOGOFF, account.name, current.describe(), "logged off")


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
