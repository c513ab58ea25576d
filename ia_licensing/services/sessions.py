"""Logon sessions as far as the allocation core needs them: ending them (R15, R21, R23).

Ending a session releases its concurrent licenses in the same transaction: Concurrent In
Use goes down by the SessionLicense rows that disappear with it. Logging on and off
(R20–R25) is in services/logon.py and builds on this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from ia_licensing.models import LogonSession, tables
from ia_licensing.models.cursor import Cursor
from ia_licensing.services import usage, usage_history

_usage = tables.key_usage
_sessions = tables.sessions
_session_licenses = tables.session_licenses
# Prebuilt Core statements: logon and logoff are the hot path (see usage.py).
_MOVE_IN_USE = (
    update(_usage)
    .where(_usage.c.key.in_(bindparam("keys", expanding=True)))
    .values(concurrent_in_use=_usage.c.concurrent_in_use + bindparam("delta"))
    .returning(_usage.c.key, _usage.c.concurrent_in_use)
)
_HELD_BY = select(_session_licenses.c.key).where(
    _session_licenses.c.session_id.in_(bindparam("ids", expanding=True))
)
_RELEASE = delete(_session_licenses).where(
    _session_licenses.c.session_id.in_(bindparam("ids", expanding=True))
)
_END = delete(_sessions).where(_sessions.c.id.in_(bindparam("ids", expanding=True)))


def move_in_use(session: Session, deltas: Mapping[str, int]) -> None:
    move_in_use_on(Cursor.of(session), deltas)


def move_in_use_on(cursor: Cursor, deltas: Mapping[str, int]) -> None:
    """Change Concurrent In Use per key with SQL arithmetic, and keep it in the usage
    history (R33) (no read-modify-write in Python,
    so a count read earlier in the transaction can never be written back stale)."""
    usage_history.record_in_use_on(cursor, add_in_use_on(cursor, deltas))  # R33, same transaction


def add_in_use_on(cursor: Cursor, deltas: Mapping[str, int]) -> list[tuple[str, int, int]]:
    """Add each delta to its key's Concurrent In Use; (key, new count, delta) per key moved.

    One logon moves every key by the same amount, so keys are grouped by delta: one UPDATE
    per distinct delta rather than one per key (logon and logoff are the hot path).
    """
    by_delta: dict[int, list[str]] = {}
    for key, delta in deltas.items():
        if delta:
            by_delta.setdefault(delta, []).append(key)
    if not by_delta:
        return []
    # Only a rise can meet a key without a counter row: a fall releases what a rise added.
    usage.ensure_usage_rows_on(cursor, [k for d, keys in by_delta.items() if d > 0 for k in keys])
    changed = []
    for delta, keys in sorted(by_delta.items()):
        moved = cursor.rows(_MOVE_IN_USE, {"keys": sorted(keys), "delta": delta})
        changed += [(key, in_use, delta) for key, in_use in moved]
    return changed


def end_sessions(
    session: Session, session_ids: Sequence[int], held: Counter[str] | None = None
) -> Counter[str]:
    """End these sessions and release their licenses; returns the keys released."""
    return end_sessions_on(Cursor.of(session), session_ids, held)


def end_sessions_on(
    cursor: Cursor, session_ids: Sequence[int], held: Counter[str] | None = None
) -> Counter[str]:
    """End these sessions and release their licenses; returns the keys released.

    `held`: the keys these sessions hold, when the caller has just read them."""
    if not session_ids:
        return Counter()
    ids = {"ids": list(session_ids)}
    released = held if held is not None else Counter(cursor.scalars(_HELD_BY, ids))
    move_in_use_on(cursor, {key: -n for key, n in released.items()})
    # SessionLicense rows go with their session (ON DELETE CASCADE); deleting them first
    # keeps that true even on a connection without foreign keys enforced.
    cursor.run(_RELEASE, ids)
    cursor.run(_END, ids)
    return released


def end_sessions_on_station(session: Session, station_id: int) -> None:
    end_sessions(
        session,
        list(session.scalars(select(LogonSession.id).where(LogonSession.station_id == station_id))),
    )


def end_sessions_of_user(session: Session, user_id: int) -> None:
    end_sessions(
        session,
        list(session.scalars(select(LogonSession.id).where(LogonSession.user_id == user_id))),
    )
