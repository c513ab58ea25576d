"""What a logon or logoff reads and writes, behind one interface (`LogonStore`).

`logon.py` decides (R20–R25, R28, R31, through rules.py) against a store, and one code
path serves both callers:

- `LiveStore`, a live logon or logoff: each unit is a write transaction of its own and each
  fact is one prebuilt query on the DB-API cursor (models/cursor.py).
- `replay_store.BatchStore`, a replay (R34): each unit is a savepoint of the batch's one
  transaction; the facts the events cannot change are read once per batch, and the
  aggregates (counters, hourly peaks, denials, the audit chain) are written once per batch.

Both see the database under the one write lock, so what a store read stays true for as
long as it holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam, func, insert, select, union

from ia_licensing import rules
from ia_licensing.models import Database
from ia_licensing.models import tables as t
from ia_licensing.models.cursor import Cursor
from ia_licensing.rules import KeyCounts, Pool
from ia_licensing.services import audit, expiry, grants, usage, usage_history
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.holders import describe_keys
from ia_licensing.services.sessions import end_sessions_on, move_in_use_on

# Prebuilt Core statements: a logon is a dozen small queries, and building and caching a
# fresh ORM statement for each cost several times the SQL itself (docs/performance.md).
ACCOUNT_COLUMNS = (
    t.users.c.id,
    t.users.c.name,
    t.users.c.method,
    t.users.c.licenses_enabled,
    t.users.c.remote_login,
    t.users.c.acd_types,
)
PLACE_COLUMNS = (
    t.stations.c.id,
    t.stations.c.name,
    t.stations.c.enabled,
    t.stations.c.licenses_enabled,
    t.stations.c.station_type,
    t.stations.c.acd_types,
)
_USER_NAMED = select(*ACCOUNT_COLUMNS).where(t.users.c.name_key == bindparam("name_key"))
_STATION_NAMED = select(*PLACE_COLUMNS).where(t.stations.c.name_key == bindparam("name_key"))
_STATION_USED_BY = (
    select(t.users.c.name)
    .join_from(t.sessions, t.users, t.users.c.id == t.sessions.c.user_id)
    .where(
        t.sessions.c.station_id == bindparam("station_id"),
        t.sessions.c.user_id != bindparam("user_id"),
    )
)
SESSION_COLUMNS = (
    t.sessions.c.id,
    t.sessions.c.station_id,
    t.stations.c.name,
    t.sessions.c.remote_number,
)
_SESSION_OF = (
    select(*SESSION_COLUMNS)
    .join_from(t.sessions, t.stations, t.stations.c.id == t.sessions.c.station_id, isouter=True)
    .where(t.sessions.c.user_id == bindparam("user_id"))
)
_HELD_BY = select(t.session_licenses.c.key).where(
    t.session_licenses.c.session_id == bindparam("session_id")
)
# R23 with R32: the user's own keys and those granted to their workgroups, each once.
_USER_KEYS = union(
    select(t.user_licenses.c.key).where(t.user_licenses.c.user_id == bindparam("user_id")),
    grants.GRANTED_TO_USER,
)
_STATION_KEYS = select(t.station_licenses.c.key).where(
    t.station_licenses.c.station_id == bindparam("station_id")
)
_LIVE_DYNAMIC_OF_OTHERS = (
    select(func.count())
    .select_from(t.sessions)
    .where(t.sessions.c.station_id.is_(None), t.sessions.c.user_id != bindparam("user_id"))
)
# R20: holders of a key in use by the logons of users other than this one.
_STATIONS_IN_USE = (
    select(func.count())
    .select_from(t.sessions)
    .join(t.stations, t.stations.c.id == t.sessions.c.station_id)
    .join(t.station_licenses, t.station_licenses.c.station_id == t.stations.c.id)
    .where(
        t.station_licenses.c.key == bindparam("key"),
        t.stations.c.enabled,
        t.stations.c.licenses_enabled,
        t.sessions.c.user_id != bindparam("user_id"),
    )
)
_USERS_IN_USE = (
    select(func.count())
    .select_from(t.sessions)
    .join(t.users, t.users.c.id == t.sessions.c.user_id)
    .join(t.user_licenses, t.user_licenses.c.user_id == t.users.c.id)
    .where(
        t.user_licenses.c.key == bindparam("key"),
        t.users.c.method == Pool.ASSIGNABLE.value,
        t.users.c.licenses_enabled,
        t.sessions.c.user_id != bindparam("user_id"),
    )
)
_ROUTED_TO = (  # R18: the interaction types of the user's workgroup queues
    select(t.workgroups.c.interaction_types)
    .join_from(
        t.workgroup_members, t.workgroups, t.workgroups.c.id == t.workgroup_members.c.workgroup_id
    )
    .where(t.workgroup_members.c.user_id == bindparam("user_id"))
)
NEW_SESSION = insert(t.sessions).returning(t.sessions.c.id)
NEW_SESSION_LICENSE = insert(t.session_licenses)
RELEASE = t.session_licenses.delete().where(t.session_licenses.c.session_id == bindparam("id"))
END = t.sessions.delete().where(t.sessions.c.id == bindparam("id"))


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    method: str
    licenses_enabled: bool
    remote_login: bool
    acd_types: str

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Account:
        user_id, name, method, licenses_enabled, remote_login, acd_types = row
        return cls(user_id, name, method, bool(licenses_enabled), bool(remote_login), acd_types)


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    enabled: bool
    licenses_enabled: bool
    station_type: str
    acd_types: str

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Place:
        station_id, name, enabled, licenses_enabled, station_type, acd_types = row
        return cls(station_id, name, bool(enabled), bool(licenses_enabled), station_type, acd_types)


def location(station: str | None, remote_number: str | None) -> str:
    return f"station {station}" if station is not None else f"remote number {remote_number}"


@dataclass(frozen=True)
class Current:
    """The user's live session, if any, and the licenses it holds (reused by R23)."""

    id: int
    station_id: int | None
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
        return f"{location(self.station, self.remote_number)}; concurrent licenses: {held}"


class LogonStore(Protocol):
    """The facts a logon decides on and the writes it makes, in units of all or nothing."""

    def unit(self) -> contextlib.AbstractContextManager[None]:
        """One logon, logoff or refusal: all of it is written, or none of it."""

    def user(self, name: str) -> Account | None: ...
    def station(self, name: str) -> Place | None: ...
    def station_used_by(self, station_id: int, user_id: int) -> str | None:
        """The name of another user logged on at this station, if one is."""

    def current(self, user: Account) -> Current | None: ...
    def user_keys(self, user_id: int) -> frozenset[str]:
        """The user's own keys and those granted to their workgroups (R32)."""

    def station_keys(self, station_id: int) -> frozenset[str]: ...
    def routed_to(self, user_id: int) -> tuple[str, ...]:
        """The stored interaction types of the user's workgroup queues (R18)."""

    def in_force(self) -> tuple[dt.date, dt.date] | None:
        """(expires, generated) of the license in force (R28), if one is."""

    def lock_counts(self, keys: Iterable[str]) -> dict[str, KeyCounts]: ...
    def holders_in_use(self, key: str, user_id: int) -> int:
        """R20: the stations and Assignable users holding `key` in use by other users."""

    def live_dynamic_of_others(self, user_id: int) -> int: ...
    def start_session(
        self, user: Account, place: Place | None, number: str | None, acquired: frozenset[str]
    ) -> None:
        """A new session holding `acquired`; Concurrent In Use rises with it (R33)."""

    def end_session(self, user: Account, current: Current) -> None:
        """End the session and release what it holds (R21, R23)."""

    def audit(self, action: AuditAction, subject: str, before: str, after: str) -> None: ...
    def denial(
        self, user: str, station: str | None, number: str | None, rule: str, key: str | None
    ) -> None: ...


class LiveStore:
    """A live logon or logoff: a write transaction per unit, a query per fact."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cursor: Cursor | None = None

    @contextlib.contextmanager
    def unit(self) -> Iterator[None]:
        with self._db.write_cursor() as cursor:
            self._cursor = cursor
            try:
                yield
            finally:
                self._cursor = None

    @property
    def cursor(self) -> Cursor:
        assert self._cursor is not None, "a store is read inside a unit"
        return self._cursor

    def user(self, name: str) -> Account | None:
        row = self.cursor.first(_USER_NAMED, {"name_key": rules.name_key(name)})
        return None if row is None else Account.of(row)

    def station(self, name: str) -> Place | None:
        row = self.cursor.first(_STATION_NAMED, {"name_key": rules.name_key(name)})
        return None if row is None else Place.of(row)

    def station_used_by(self, station_id: int, user_id: int) -> str | None:
        other = self.cursor.scalar(_STATION_USED_BY, {"station_id": station_id, "user_id": user_id})
        return None if other is None else str(other)

    def current(self, user: Account) -> Current | None:
        row = self.cursor.first(_SESSION_OF, {"user_id": user.id})
        if row is None:
            return None
        session_id, station_id, station_name, remote_number = row
        held = frozenset(self.cursor.scalars(_HELD_BY, {"session_id": session_id}))
        return Current(session_id, station_id, station_name, remote_number, held)

    def user_keys(self, user_id: int) -> frozenset[str]:
        return frozenset(self.cursor.scalars(_USER_KEYS, {"user_id": user_id}))

    def station_keys(self, station_id: int) -> frozenset[str]:
        return frozenset(self.cursor.scalars(_STATION_KEYS, {"station_id": station_id}))

    def routed_to(self, user_id: int) -> tuple[str, ...]:
        return tuple(self.cursor.scalars(_ROUTED_TO, {"user_id": user_id}))

    def in_force(self) -> tuple[dt.date, dt.date] | None:
        return expiry.in_force_on(self.cursor)

    def lock_counts(self, keys: Iterable[str]) -> dict[str, KeyCounts]:
        return usage.lock_counts_on(self.cursor, keys)

    def holders_in_use(self, key: str, user_id: int) -> int:
        return holders_in_use_on(self.cursor, key, user_id)

    def live_dynamic_of_others(self, user_id: int) -> int:
        return live_dynamic_of_others_on(self.cursor, user_id)

    def start_session(
        self, user: Account, place: Place | None, number: str | None, acquired: frozenset[str]
    ) -> None:
        insert_session_on(self.cursor, user, place, number, acquired)
        move_in_use_on(self.cursor, dict.fromkeys(acquired, 1))

    def end_session(self, user: Account, current: Current) -> None:
        end_sessions_on(self.cursor, [current.id], Counter(current.held))

    def audit(self, action: AuditAction, subject: str, before: str, after: str) -> None:
        audit.record_on(self.cursor, action, subject, before, after)

    def denial(
        self, user: str, station: str | None, number: str | None, rule: str, key: str | None
    ) -> None:
        usage_history.record_denial_on(self.cursor, user, station, number, rule, key)


def holders_in_use_on(cursor: Cursor, key: str, user_id: int) -> int:
    params = {"key": key, "user_id": user_id}
    stations_in_use = cursor.scalar(_STATIONS_IN_USE, params) or 0
    return int(stations_in_use) + int(cursor.scalar(_USERS_IN_USE, params) or 0)


def live_dynamic_of_others_on(cursor: Cursor, user_id: int) -> int:
    return int(cursor.scalar(_LIVE_DYNAMIC_OF_OTHERS, {"user_id": user_id}) or 0)


def insert_session_on(
    cursor: Cursor, user: Account, place: Place | None, number: str | None, held: frozenset[str]
) -> int:
    """The session row and its SessionLicense rows, started now (the replayed event's time)."""
    new_id = int(
        cursor.scalar(
            NEW_SESSION,
            {
                "user_id": user.id,
                "station_id": place.id if place else None,
                "remote_number": number,
                "started_at": usage_history.now(),
            },
        )
    )
    if held:
        cursor.run_many(
            NEW_SESSION_LICENSE, [{"session_id": new_id, "key": key} for key in sorted(held)]
        )
    return new_id
