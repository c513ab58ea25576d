"""Logon sessions as far as the allocation core needs them: ending them (R15, R21, R23).

Ending a session releases its concurrent licenses in the same transaction: Concurrent In
Use goes down by the SessionLicense rows that disappear with it. Logging on and off
(R20–R25) is in services/logon.py and builds on this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ia_licensing.models import KeyUsage, LogonSession, SessionLicense
from ia_licensing.services import usage


def move_in_use(session: Session, deltas: Mapping[str, int]) -> None:
    """Change Concurrent In Use per key with SQL arithmetic (no read-modify-write in Python,
    so a counter object loaded earlier in the transaction can never write a stale value).

    One logon moves every key by the same amount, so keys are grouped by delta: one UPDATE
    per distinct delta rather than one per key (logon and logoff are the hot path).
    """
    by_delta: dict[int, list[str]] = {}
    for key, delta in deltas.items():
        if delta:
            by_delta.setdefault(delta, []).append(key)
    if not by_delta:
        return
    usage.ensure_usage_rows(session, [k for keys in by_delta.values() for k in keys])
    for delta, keys in sorted(by_delta.items()):
        session.execute(
            update(KeyUsage)
            .where(KeyUsage.key.in_(sorted(keys)))
            .values(concurrent_in_use=KeyUsage.concurrent_in_use + delta)
        )


def end_sessions(session: Session, session_ids: Sequence[int]) -> Counter[str]:
    """End these sessions and release their licenses; returns the keys released."""
    if not session_ids:
        return Counter()
    released = Counter(
        session.scalars(
            select(SessionLicense.key).where(SessionLicense.session_id.in_(session_ids))
        )
    )
    move_in_use(session, {key: -n for key, n in released.items()})
    # SessionLicense rows go with their session (ON DELETE CASCADE); deleting them first
    # keeps that true even on a connection without foreign keys enforced.
    session.execute(delete(SessionLicense).where(SessionLicense.session_id.in_(session_ids)))
    session.execute(delete(LogonSession).where(LogonSession.id.in_(session_ids)))
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
