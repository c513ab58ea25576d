"""R30: every change is recorded — when, OS user, what, before → after."""

from __future__ import annotations

import datetime as dt
import functools
import getpass
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ia_licensing.models import AuditEvent, Base, Database
from ia_licensing.models.schema import utcnow

_RECORD = insert(Base.metadata.tables[AuditEvent.__tablename__])


@functools.cache  # one process, one OS user; the lookup costs more than an audit row
def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): still record something
        return "unknown"


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    os_user: str
    action: str
    subject: str
    before: str
    after: str


def record(session: Session, action: str, subject: str, before: str = "", after: str = "") -> None:
    record_many(session, action, [(subject, before, after)])


def record_many(session: Session, action: str, rows: Iterable[tuple[str, str, str]]) -> None:
    """One audit row per subject, written in the caller's transaction."""
    at, user = utcnow(), os_user()
    values = [
        {"at": at, "os_user": user, "action": action, "subject": s, "before": b, "after": a}
        for s, b, a in rows
    ]
    if values:
        session.connection().execute(_RECORD, values)


def recent(db: Database, limit: int = 50, subject: str | None = None) -> list[AuditEntry]:
    return search(db, subject=subject, exact_subject=True, limit=limit)


def search(
    db: Database,
    *,
    subject: str | None = None,
    exact_subject: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 10_000,
) -> list[AuditEntry]:
    """Newest first: by subject (exact, or containing the text), between two dates."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if subject:
        column = AuditEvent.subject
        query = query.where(
            column == subject if exact_subject else column.icontains(subject, autoescape=True)
        )
    if start is not None:
        query = query.where(AuditEvent.at >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        query = query.where(
            AuditEvent.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
        )
    with db.read() as session:
        return [
            AuditEntry(e.at, e.os_user, e.action, e.subject, e.before, e.after)
            for e in session.scalars(query)
        ]
