"""Logon sessions as far as the allocation core needs them: ending them (R15).

Logging on and off (R20–R25) builds on this module.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ia_licensing.models import KeyUsage, LogonSession, SessionLicense


def _end(session: Session, session_ids: list[int]) -> None:
    if not session_ids:
        return
    released = Counter(
        session.scalars(
            select(SessionLicense.key).where(SessionLicense.session_id.in_(session_ids))
        )
    )
    for key, n in sorted(released.items()):
        usage = session.get(KeyUsage, key)
        if usage is not None:
            usage.concurrent_in_use = max(0, usage.concurrent_in_use - n)
    session.execute(delete(LogonSession).where(LogonSession.id.in_(session_ids)))


def end_sessions_on_station(session: Session, station_id: int) -> None:
    _end(
        session,
        list(session.scalars(select(LogonSession.id).where(LogonSession.station_id == station_id))),
    )


def end_sessions_of_user(session: Session, user_id: int) -> None:
    _end(
        session,
        list(session.scalars(select(LogonSession.id).where(LogonSession.user_id == user_id))),
    )
