"""R30: every change is recorded — when, OS user, what, before → after — in a hash chain.

Entry n carries `seq` = n and `digest` = SHA-256 over the previous entry's digest, `seq`
and every field (`entry_digest`). Rows are written only under the write lock (BEGIN
IMMEDIATE on SQLite, the advisory lock on PostgreSQL), so reading the tail and appending
after it cannot interleave. `verify_chain` walks the trail and says which entry was
edited, where entries were deleted and which were inserted.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ia_licensing.models import AuditEvent, Database, tables
from ia_licensing.models.cursor import Cursor
from ia_licensing.models.schema import utcnow

_RECORD = insert(tables.audit_events)


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
    GRANT = "grant"  # subject: the workgroup; after: the license (R32)
    UNGRANT = "ungrant"  # subject: the workgroup; before: the license
    ALLOCATE = "allocate"  # subject: the station or user
    DEALLOCATE = "deallocate"  # subject: the station or user
    LICENSE_LOAD = "license load"
    ENTITLEMENT = "entitlement"
    LOGON = "logon"
    LOGOFF = "logoff"
    TRUST_KEY = "trust key"  # subject: key id; after: where it came from, its fingerprint
    RECOUNT = "recount"  # subject: a key; before → after: stored → recounted counters
    IN_FORCE = "license in force"  # the in-force flag repaired to the newest verified file
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


def entry_digest(
    previous: str,
    seq: int,
    at: dt.datetime,
    user: str,
    action: str,
    subject: str,
    before: str,
    after: str,
) -> str:
    """The chain digest of one entry (never change it: stored trails are checked with it;
    migration 0004 holds a frozen copy)."""
    fields = [previous, seq, at.isoformat(timespec="microseconds"), user, action]
    text = _DIGEST_JSON.encode([*fields, subject, before, after])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# json.dumps with these arguments, made once (dumps builds an encoder per call).
_DIGEST_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


_TAIL = select(AuditEvent.seq, AuditEvent.digest).order_by(AuditEvent.id.desc()).limit(1)


def record_many(
    session: Session, action: AuditAction, rows: Iterable[tuple[str, str, str]]
) -> None:
    """One audit row per subject, written in the caller's (write) transaction."""
    record_many_on(Cursor.of(session), action, rows)


def record_on(
    cursor: Cursor, action: AuditAction, subject: str, before: str = "", after: str = ""
) -> None:
    record_many_on(cursor, action, [(subject, before, after)])


def record_many_on(
    cursor: Cursor, action: AuditAction, rows: Iterable[tuple[str, str, str]]
) -> None:
    """One audit row per subject, chained after the tail, in the cursor's transaction."""
    at, user, text = utcnow(), os_user(), AuditAction(action).value  # a plain str for drivers
    wanted = list(rows)
    if not wanted:
        return
    seq, previous = tail_on(cursor)
    values = []
    for subject, before, after in wanted:
        seq += 1
        values.append(chained(previous, seq, at, user, text, subject, before, after))
        previous = values[-1]["digest"]
    write_on(cursor, values)


def tail_on(cursor: Cursor) -> tuple[int, str]:
    """(seq, digest) of the last entry: what the next one chains after."""
    tail = cursor.first(_TAIL)
    return (tail[0], tail[1]) if tail is not None else (0, "")


def chained(
    previous: str,
    seq: int,
    at: dt.datetime,
    user: str,
    action: str,
    subject: str,
    before: str,
    after: str,
) -> dict[str, Any]:
    """The row of entry `seq`, chained after the entry whose digest is `previous`."""
    return {
        "at": at,
        "os_user": user,
        "action": action,
        "subject": subject,
        "before": before,
        "after": after,
        "seq": seq,
        "digest": entry_digest(previous, seq, at, user, action, subject, before, after),
    }


def write_on(cursor: Cursor, rows: list[dict[str, Any]]) -> None:
    """Entries made by `chained`, in chain order."""
    cursor.run_many(_RECORD, rows)


@dataclass(frozen=True)
class ChainProblem:
    """Something `audit verify` found in the trail: what, and at which entry id."""

    entry_id: int
    message: str


def verify_chain(db: Database) -> list[ChainProblem]:
    """Walk the trail in id order and report every break in the chain (R30)."""
    problems: list[ChainProblem] = []
    query = select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.os_user,
        AuditEvent.action,
        AuditEvent.subject,
        AuditEvent.before,
        AuditEvent.after,
        AuditEvent.seq,
        AuditEvent.digest,
    ).order_by(AuditEvent.id)
    seq, previous, previous_id = 0, "", 0
    with db.read() as session:
        for row in session.execute(query).yield_per(5000):
            where = f"audit entry {row.id} ({row.action}: {row.subject!r})"
            if row.seq <= seq:
                problems.append(
                    ChainProblem(
                        row.id,
                        f"{where} was inserted: its number {row.seq} comes again after "
                        f"{seq} (entry {previous_id})",
                    )
                )
                continue
            if row.seq > seq + 1:
                missing = row.seq - seq - 1
                problems.append(
                    ChainProblem(
                        row.id,
                        f"{missing} audit {'entry was' if missing == 1 else 'entries were'} "
                        f"deleted between entry {previous_id or 'the start'} and entry {row.id} "
                        f"(numbers {seq + 1}–{row.seq - 1} are missing)",
                    )
                )
            else:
                digest = entry_digest(
                    previous,
                    row.seq,
                    row.at,
                    row.os_user,
                    row.action,
                    row.subject,
                    row.before,
                    row.after,
                )
                if digest != row.digest:
                    problems.append(
                        ChainProblem(
                            row.id,
                            f"{where} was edited or inserted: its digest does not match its "
                            "contents and the entry before it",
                        )
                    )
            seq, previous, previous_id = row.seq, row.digest, row.id
    return problems


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
