"""The store a replay batch decides against (R34): the live rules, a batch's reads and writes.

A replay applies thousands of events under one write lock, and what a logon reads falls
into two kinds:

- Facts no event changes: users, stations, their keys, workgroup grants and queues, the
  license in force. `BatchStore.load` reads them for every name in the batch at once, a
  few statements in place of several per event.
- Facts the events change: live sessions and the per-key counters. The batch keeps a
  mirror of them, loaded with the facts and changed by each applied event, beside the
  session rows it writes per event (so R20's counts of holders in use, still asked of the
  database, see every earlier event).

The aggregates — Concurrent In Use, the hourly peaks (R33), denials and the audit chain
(R30) — are kept in memory and written by `flush`, once per batch, in the same transaction:
the same rows the live path writes one event at a time (tests/test_replay_equivalence.py
proves it).

Each event is a unit in a savepoint of its own. The rules refuse before anything is
written, so a refused event leaves the mirror as it was; a unit that fails after it began
writing leaves the store unusable, and the batch's transaction must be rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.sql import Select

from ia_licensing import rules
from ia_licensing.models import tables as t
from ia_licensing.models.cursor import Cursor
from ia_licensing.models.schema import utcnow
from ia_licensing.rules import KeyCounts
from ia_licensing.services import audit, expiry, sessions, usage, usage_history
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.logon_store import (
    ACCOUNT_COLUMNS,
    END,
    PLACE_COLUMNS,
    RELEASE,
    SESSION_COLUMNS,
    Account,
    Current,
    Place,
    holders_in_use_on,
    insert_session_on,
    live_dynamic_of_others_on,
)

CHUNK = 500  # names or ids per IN list: every chunk padded to this length, one plan each
_ALL_KEYS = select(t.key_usage.c.key).union(select(t.entitlements.c.key))


def _in(column: Any) -> Any:
    return column.in_(bindparam("values", expanding=True))


_USERS_NAMED = select(t.users.c.name_key, *ACCOUNT_COLUMNS).where(_in(t.users.c.name_key))
_OWN_KEYS = select(t.user_licenses.c.user_id, t.user_licenses.c.key).where(
    _in(t.user_licenses.c.user_id)
)
_GRANTED_KEYS = (
    select(t.workgroup_members.c.user_id, t.workgroup_licenses.c.key)
    .join_from(
        t.workgroup_members,
        t.workgroup_licenses,
        t.workgroup_licenses.c.workgroup_id == t.workgroup_members.c.workgroup_id,
    )
    .where(_in(t.workgroup_members.c.user_id))
)
_ROUTED = (
    select(t.workgroup_members.c.user_id, t.workgroups.c.interaction_types)
    .join_from(
        t.workgroup_members, t.workgroups, t.workgroups.c.id == t.workgroup_members.c.workgroup_id
    )
    .where(_in(t.workgroup_members.c.user_id))
)
_SESSIONS_OF = (
    select(t.sessions.c.user_id, *SESSION_COLUMNS)
    .join_from(t.sessions, t.stations, t.stations.c.id == t.sessions.c.station_id, isouter=True)
    .where(_in(t.sessions.c.user_id))
)
_HELD = select(t.session_licenses.c.session_id, t.session_licenses.c.key).where(
    _in(t.session_licenses.c.session_id)
)
_STATIONS_NAMED = select(t.stations.c.name_key, *PLACE_COLUMNS).where(_in(t.stations.c.name_key))
_STATION_KEYS = select(t.station_licenses.c.station_id, t.station_licenses.c.key).where(
    _in(t.station_licenses.c.station_id)
)
_ON_STATIONS = (
    select(t.sessions.c.station_id, t.sessions.c.user_id, t.users.c.name)
    .join_from(t.sessions, t.users, t.users.c.id == t.sessions.c.user_id)
    .where(_in(t.sessions.c.station_id))
    .order_by(t.sessions.c.id)
)


def _rows(cursor: Cursor, statement: Select[Any], values: Iterable[Any]) -> list[tuple[Any, ...]]:
    """`statement` over every value, CHUNK at a time (the last chunk padded with repeats)."""
    wanted = sorted(set(values))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        chunk += [chunk[-1]] * (CHUNK - len(chunk))
        found += cursor.rows(statement, {"values": chunk})
    return found


class BatchStore:
    """A `LogonStore` for one replay batch, on the batch transaction's cursor."""

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor
        self._name_keys: dict[str, str] = {}  # the batch's names as given → their name keys
        self._accounts: dict[str, Account] = {}  # by name key
        self._places: dict[str, Place] = {}  # by name key
        self._user_keys: dict[int, set[str]] = {}
        self._station_keys: dict[int, set[str]] = {}
        self._routed: dict[int, list[str]] = {}
        self._current: dict[int, Current] = {}  # by user id: the users' live sessions
        self._on_station: dict[int, list[tuple[int, str]]] = {}  # id → (user id, name)
        self._in_force = expiry.in_force_on(cursor)
        self._counts = usage.lock_counts_on(cursor, cursor.scalars(_ALL_KEYS))
        self._moved: dict[str, int] = {}  # net change of Concurrent In Use per key
        self._hours: dict[tuple[str, dt.datetime], tuple[int, int]] = {}  # peak, last
        self._denials: list[dict[str, Any]] = []
        self._entries: list[dict[str, Any]] = []
        self._tail: tuple[int, str] | None = None  # the audit chain's, read at first use
        self._wrote = False
        self._broken = False

    @classmethod
    def load(cls, cursor: Cursor, users: Iterable[str], stations: Iterable[str]) -> BatchStore:
        """A store holding every fact the batch's events can ask about these names."""
        store = cls(cursor)
        keys = store._name_keys
        keys.update((name, rules.name_key(name)) for name in {*users, *stations})
        store._load_users({keys[name] for name in users})
        store._load_stations({keys[name] for name in stations})
        return store

    def _load_users(self, name_keys: set[str]) -> None:
        for name_key, *row in _rows(self._cursor, _USERS_NAMED, name_keys):
            self._accounts[name_key] = Account.of(tuple(row))
        ids = [a.id for a in self._accounts.values()]
        for user_id, key in _rows(self._cursor, _OWN_KEYS, ids):
            self._user_keys.setdefault(user_id, set()).add(key)
        for user_id, key in _rows(self._cursor, _GRANTED_KEYS, ids):
            self._user_keys.setdefault(user_id, set()).add(key)
        for user_id, types in _rows(self._cursor, _ROUTED, ids):
            self._routed.setdefault(user_id, []).append(types)
        live = {row[1]: row for row in _rows(self._cursor, _SESSIONS_OF, ids)}
        held: dict[int, set[str]] = {}
        for session_id, key in _rows(self._cursor, _HELD, live):
            held.setdefault(session_id, set()).add(key)
        for user_id, session_id, station_id, station, number in live.values():
            self._current[user_id] = Current(
                session_id, station_id, station, number, frozenset(held.get(session_id, ()))
            )

    def _load_stations(self, name_keys: set[str]) -> None:
        for name_key, *row in _rows(self._cursor, _STATIONS_NAMED, name_keys):
            self._places[name_key] = Place.of(tuple(row))
        ids = [p.id for p in self._places.values()]
        for station_id, key in _rows(self._cursor, _STATION_KEYS, ids):
            self._station_keys.setdefault(station_id, set()).add(key)
        for station_id, user_id, name in _rows(self._cursor, _ON_STATIONS, ids):
            self._on_station.setdefault(station_id, []).append((user_id, name))

    # A unit ----------------------------------------------------------------------------

    def unit(self) -> BatchStore:
        """A savepoint per event (`__enter__` / `__exit__`): a plain object, not a generator,
        because a replay enters twenty thousand of them."""
        return self

    def __enter__(self) -> None:
        if self._broken:
            raise RuntimeError("an earlier event failed part-way: roll the batch back")
        self._wrote = False
        self._cursor.sql("SAVEPOINT ia_event")

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self._cursor.sql("ROLLBACK TO SAVEPOINT ia_event")
            self._broken = self._wrote  # the mirror may hold what was rolled back
        self._cursor.sql("RELEASE SAVEPOINT ia_event")

    # Facts -----------------------------------------------------------------------------

    def user(self, name: str) -> Account | None:
        return self._accounts.get(self._name_keys.get(name) or rules.name_key(name))

    def station(self, name: str) -> Place | None:
        return self._places.get(self._name_keys.get(name) or rules.name_key(name))

    def station_used_by(self, station_id: int, user_id: int) -> str | None:
        for other_id, name in self._on_station.get(station_id, ()):
            if other_id != user_id:
                return name
        return None

    def current(self, user: Account) -> Current | None:
        return self._current.get(user.id)

    def user_keys(self, user_id: int) -> frozenset[str]:
        return frozenset(self._user_keys.get(user_id, ()))

    def station_keys(self, station_id: int) -> frozenset[str]:
        return frozenset(self._station_keys.get(station_id, ()))

    def routed_to(self, user_id: int) -> tuple[str, ...]:
        return tuple(self._routed.get(user_id, ()))

    def in_force(self) -> tuple[dt.date, dt.date] | None:
        return self._in_force

    def lock_counts(self, keys: Iterable[str]) -> dict[str, KeyCounts]:
        counts = self._counts
        return {key: counts.get(key) or KeyCounts(key) for key in keys}

    def holders_in_use(self, key: str, user_id: int) -> int:
        return holders_in_use_on(self._cursor, key, user_id)

    def live_dynamic_of_others(self, user_id: int) -> int:
        return live_dynamic_of_others_on(self._cursor, user_id)

    # Writes ----------------------------------------------------------------------------

    def start_session(
        self, user: Account, place: Place | None, number: str | None, acquired: frozenset[str]
    ) -> None:
        self._wrote = True
        session_id = insert_session_on(self._cursor, user, place, number, acquired)
        station_id = place.id if place is not None else None
        self._current[user.id] = Current(
            session_id, station_id, place.name if place else None, number, acquired
        )
        if station_id is not None:
            self._on_station.setdefault(station_id, []).append((user.id, user.name))
        self._move(acquired, 1)

    def end_session(self, user: Account, current: Current) -> None:
        self._wrote = True
        self._cursor.run(RELEASE, {"id": current.id})
        self._cursor.run(END, {"id": current.id})
        del self._current[user.id]
        if current.station_id is not None:
            on = self._on_station.get(current.station_id, [])
            self._on_station[current.station_id] = [(u, n) for u, n in on if u != user.id]
        self._move(current.held, -1)

    def _move(self, keys: Iterable[str], delta: int) -> None:
        if not keys:
            return
        hour = usage_history.hour_of(usage_history.now())
        counts, moved, hours = self._counts, self._moved, self._hours
        for key in keys:
            old = counts.get(key) or KeyCounts(key)
            new = old.concurrent_in_use + delta
            counts[key] = KeyCounts(
                key,
                old.assigned,
                old.pooled,
                old.assignable_configured,
                old.concurrent_configured,
                new,
            )
            moved[key] = moved.get(key, 0) + delta
            peak = usage_history.hour_peak(new, delta)
            seen = hours.get((key, hour))
            hours[key, hour] = (peak if seen is None or peak > seen[0] else seen[0], new)

    def audit(self, action: AuditAction, subject: str, before: str, after: str) -> None:
        self._wrote = True
        seq, previous = self._tail or audit.tail_on(self._cursor)
        entry = audit.chained(
            previous,
            seq + 1,
            utcnow(),
            audit.os_user(),
            action.value,
            subject,
            before,
            after,
        )
        self._entries.append(entry)
        self._tail = (seq + 1, entry["digest"])

    def denial(
        self, user: str, station: str | None, number: str | None, rule: str, key: str | None
    ) -> None:
        self._wrote = True
        self._denials.append(usage_history.denial_row(user, station, number, rule, key))

    def flush(self) -> None:
        """Write what the batch kept in memory, in its transaction (before it commits)."""
        sessions.add_in_use_on(self._cursor, self._moved)
        usage_history.record_hours_on(
            self._cursor,
            [(key, hour, peak, last) for (key, hour), (peak, last) in self._hours.items()],
        )
        usage_history.record_denials_on(self._cursor, self._denials)
        audit.write_on(self._cursor, self._entries)
        self._moved.clear()
        self._hours.clear()
        self._denials.clear()
        self._entries.clear()
