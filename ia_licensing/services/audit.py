"""R30: every change is recorded — when, OS user, what, before → after."""

from __future__ import annotations

import datetime as dt
import functools
import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

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


class AuditAction(StrEnum):
    """What an audit row records. The values are what is stored (and what `audit` prints):
    never change one; older rows may also hold actions that are no longer written."""

    INIT = "init"
    STATION_ADD = "station add"
    STATION_UPDATE = "station update"
    STATION_DELETE = "station delete"
    USER_ADD = "user add"
    USER_UPDATE = "user update"
    USER_DELETE = "user delete"
    WORKGROUP_ADD = "workgroup add"
    WORKGROUP_TYPES = "workgroup types"
    WORKGROUP_MEMBER_ADD = "workgroup member add"  # subject: workgroup; after: the member
    WORKGROUP_MEMBER_REMOVE = "workgroup member remove"  # subject: workgroup; before: member
    WORKGROUP_DELETE = "workgroup delete"
    WORKGROUP_SAVE = "workgroup save"  # before, after: "<types>; members: <a, b, ...>"
    ALLOCATE = "allocate"  # subject: the station or user
    DEALLOCATE = "deallocate"  # subject: the station or user
    LICENSE_LOAD = "license load"
    ENTITLEMENT = "entitlement"
    LOGON = "logon"
    LOGOFF = "logoff"
    LOGON_REFUSED = "logon refused"  # subject: the user; after: "<where>: <refusal>" (R30)


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    os_user: str
    action: str
    subject: str
    before: str
    after: str


def record(
    session: Session, action: AuditAction, subject: str, before: str = "", after: str = ""
) -> None:
    record_many(session, action, [(subject, before, after)])


def record_many(
    session: Session, action: AuditAction, rows: Iterable[tuple[str, str, str]]
) -> None:
    """One audit row per subject, written in the caller's transaction."""
    at, user, text = utcnow(), os_user(), AuditAction(action).value  # a plain str for drivers
    values = [
        {"at": at, "os_user": user, "action": text, "subject": s, "before": b, "after": a}
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
