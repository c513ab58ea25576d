"""Usage history (R33): Concurrent In Use per key and hour, and refused logons (denials).

Every change of Concurrent In Use goes through `sessions.move_in_use`, which hands the new
counts to `record_in_use` in the same transaction: one upsert per key into that key's row
for the hour (peak, level at the end of the hour, allowed at the time). A replay's batch
merges its changes per key and hour first and writes them once (`record_hours_on`, from
replay_store.py): the same rows, since an hour keeps the highest peak and the last level.
Storage is bounded
by keys × hours whatever the number of logons, and by the retention (`retention_days`):
rows older than it are deleted, once an hour per process, in the writing transaction.

The time of a change is `now()`: the wall clock, or the event's own time while a replay
applies it (`at`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from ia_licensing import catalog
from ia_licensing.models import Database, tables
from ia_licensing.models.cursor import Cursor
from ia_licensing.models.schema import utcnow

DEFAULT_RETENTION_DAYS = 400  # 13 months: a yearly renewal compares with the year before
RETENTION_ENV = "IA_LICENSING_USAGE_RETENTION_DAYS"

_hours = tables.usage_hours
_denials = tables.usage_denials
_entitlement = tables.entitlements

_at: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("usage_at", default=None)
_pruned_hour: dt.datetime | None = None  # the hour this process last applied the retention


def now() -> dt.datetime:
    """The time of a change: the replayed event's, else the wall clock (naive UTC)."""
    return _at.get() or utcnow()


class at:
    """Changes inside happen at `when` (naive UTC): a replayed event's own time (R34).
    A class, not a generator: a replay enters one per event."""

    __slots__ = ("_token", "_when")

    def __init__(self, when: dt.datetime) -> None:
        self._when = when

    def __enter__(self) -> None:
        self._token = _at.set(self._when)

    def __exit__(self, *_: object) -> None:
        _at.reset(self._token)


def retention_days() -> int:
    """How many days of history are kept: IA_LICENSING_USAGE_RETENTION_DAYS, else 400."""
    text = os.environ.get(RETENTION_ENV, "")
    try:
        days = int(text)
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return days if days > 0 else DEFAULT_RETENTION_DAYS


def hour_of(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


# Allowed at the time: Concurrent Allowed (pooled); for Basic Station, whose In Use is the
# live Dynamic Remote connections (R24), its licenses (assigned + pooled, R1).
_ALLOWED = func.coalesce(
    select(
        case(
            (
                _entitlement.c.key == catalog.BASIC_STATION,
                _entitlement.c.assigned + _entitlement.c.pooled,
            ),
            else_=_entitlement.c.pooled,
        )
    )
    .where(_entitlement.c.key == bindparam("k"))
    .scalar_subquery(),
    0,
)


def _upsert(dialect: str) -> ClauseElement:
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(_hours).values(
        key=bindparam("k"),
        hour=bindparam("hour"),
        peak_in_use=bindparam("peak"),
        last_in_use=bindparam("last"),
        allowed=_ALLOWED,
    )
    excluded = stmt.excluded
    upsert: ClauseElement = stmt.on_conflict_do_update(
        index_elements=[_hours.c.key, _hours.c.hour],
        set_={
            "peak_in_use": case(
                (excluded.peak_in_use > _hours.c.peak_in_use, excluded.peak_in_use),
                else_=_hours.c.peak_in_use,
            ),
            "last_in_use": excluded.last_in_use,
            "allowed": excluded.allowed,
        },
    )
    return upsert


_UPSERT = {name: _upsert(name) for name in ("sqlite", "postgresql")}
_NEW_DENIAL = insert(_denials)


def record_in_use(connection: Connection, changes: Iterable[tuple[str, int, int]]) -> None:
    record_in_use_on(Cursor.on(connection), changes)


def record_in_use_on(cursor: Cursor, changes: Iterable[tuple[str, int, int]]) -> None:
    """Keep each (key, new Concurrent In Use, delta) in its hour's row."""
    hour = hour_of(now())
    record_hours_on(
        cursor, [(key, hour, hour_peak(new, delta), new) for key, new, delta in changes]
    )


def hour_peak(new: int, delta: int) -> int:
    """The peak a change shows in its hour: it counts the level the hour was entered with
    (new − delta) in case this is the first change the hour's row sees."""
    return max(new, new - delta)


def record_hours_on(cursor: Cursor, hours: Iterable[tuple[str, dt.datetime, int, int]]) -> None:
    """Merge (key, hour, peak, last Concurrent In Use) into each hour's row: the higher
    peak, the later level, the allowed count now."""
    rows = [{"k": key, "hour": hour, "peak": peak, "last": last} for key, hour, peak, last in hours]
    if not rows:
        return
    cursor.run_many(_UPSERT[cursor.name], rows)
    _apply_retention(cursor)


_HISTORY_KEYS = select(_hours.c.key).distinct()


def record_allowed(session: Session, keys: Iterable[str]) -> None:
    """A license load changed what `keys` allow: note it in the hour's row of each key that
    has a history, at its present Concurrent In Use."""
    session.flush()  # the new entitlements, which the upsert reads
    connection = session.connection()
    kept = set(connection.scalars(_HISTORY_KEYS)) & set(keys)
    if not kept:
        return
    usage = tables.key_usage
    in_use = dict(
        connection.execute(
            select(usage.c.key, usage.c.concurrent_in_use).where(usage.c.key.in_(sorted(kept)))
        ).all()
    )
    record_in_use(connection, [(key, in_use.get(key, 0), 0) for key in sorted(kept)])


def record_denial(
    session: Session,
    user: str,
    station: str | None,
    remote_number: str | None,
    rule: str,
    key: str | None,
) -> None:
    record_denial_on(Cursor.of(session), user, station, remote_number, rule, key)


def record_denial_on(
    cursor: Cursor,
    user: str,
    station: str | None,
    remote_number: str | None,
    rule: str,
    key: str | None,
) -> None:
    record_denials_on(cursor, [denial_row(user, station, remote_number, rule, key)])


def denial_row(
    user: str, station: str | None, remote_number: str | None, rule: str, key: str | None
) -> dict[str, Any]:
    """A refused logon, now (the replayed event's time)."""
    return {
        "at": now(),
        "user_name": user,
        "station": station,
        "remote_number": remote_number,
        "rule": rule,
        "key": key,
    }


def record_denials_on(cursor: Cursor, rows: list[dict[str, Any]]) -> None:
    cursor.run_many(_NEW_DENIAL, rows)


_PRUNE_HOURS = delete(_hours).where(_hours.c.hour < bindparam("cutoff"))
_PRUNE_DENIALS = delete(_denials).where(_denials.c.at < bindparam("cutoff"))


def _apply_retention(cursor: Cursor) -> None:
    global _pruned_hour
    current = hour_of(utcnow())
    if _pruned_hour == current:
        return
    prune_on(cursor, current)
    _pruned_hour = current


def prune(connection: Connection, when: dt.datetime, days: int | None = None) -> None:
    """Delete the history older than the retention (`days`, else `retention_days()`)."""
    prune_on(Cursor.on(connection), when, days)


def prune_on(cursor: Cursor, when: dt.datetime, days: int | None = None) -> None:
    cutoff = hour_of(when) - dt.timedelta(days=days or retention_days())
    cursor.run(_PRUNE_HOURS, {"cutoff": cutoff})
    cursor.run(_PRUNE_DENIALS, {"cutoff": cutoff})


# Reading back -------------------------------------------------------------------------


class Period:
    HOUR = "hour"
    DAY = "day"


@dataclass(frozen=True)
class UsageRow:
    """One key and period: the highest Concurrent In Use, the allowed count at the end of
    the period and the logons refused for want of this key."""

    key: str
    period_start: dt.datetime
    peak_in_use: int
    allowed: int
    denials: int


@dataclass(frozen=True)
class Denial:
    at: dt.datetime
    user: str
    station: str | None
    remote_number: str | None
    rule: str
    key: str | None


def hourly(
    session: Session,
    key: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[UsageRow]:
    """Every hour from a key's first stored hour (or `since`) to `until` (exclusive; default:
    the current hour included). An hour without a row of its own carries the level the
    previous one ended with: a count that did not move is still in use."""
    end = hour_of(until - dt.timedelta(microseconds=1)) if until else hour_of(now())
    query = select(_hours).where(_hours.c.hour <= end).order_by(_hours.c.key, _hours.c.hour)
    if key is not None:
        query = query.where(_hours.c.key == key)
    denied: dict[tuple[str, dt.datetime], int] = {}
    denial_query = select(_denials.c.key, _denials.c.at).where(_denials.c.key.is_not(None))
    if key is not None:
        denial_query = denial_query.where(_denials.c.key == key)
    for k, when in session.execute(denial_query):
        denied[(k, hour_of(when))] = denied.get((k, hour_of(when)), 0) + 1
    stored: dict[str, list[tuple[dt.datetime, int, int, int]]] = {}
    for row in session.execute(query):
        stored.setdefault(row.key, []).append(
            (row.hour, row.peak_in_use, row.last_in_use, row.allowed)
        )
    for k, _hour in denied:
        stored.setdefault(k, [])
    result = []
    start = hour_of(since) if since else None
    for k in sorted(stored):
        rows = stored[k]
        by_hour = {h: (peak, last, allowed) for h, peak, last, allowed in rows}
        first_denied = min((h for kk, h in denied if kk == k), default=None)
        first = min(filter(None, [rows[0][0] if rows else None, first_denied]))
        hour, level, allowed = first, 0, rows[0][3] if rows else 0
        while hour <= end:
            if hour in by_hour:
                peak, level, allowed = by_hour[hour]
            else:
                peak = level
            if start is None or hour >= start:
                result.append(UsageRow(k, hour, peak, allowed, denied.get((k, hour), 0)))
            hour += dt.timedelta(hours=1)
    return result


def by_day(rows: list[UsageRow]) -> list[UsageRow]:
    """A day's peak is the highest of its hours; allowed as at its last hour; denials summed."""
    days: dict[tuple[str, dt.datetime], UsageRow] = {}
    for row in rows:
        day = row.period_start.replace(hour=0)
        seen = days.get((row.key, day))
        days[(row.key, day)] = (
            UsageRow(row.key, day, row.peak_in_use, row.allowed, row.denials)
            if seen is None
            else UsageRow(
                row.key,
                day,
                max(seen.peak_in_use, row.peak_in_use),
                row.allowed,
                seen.denials + row.denials,
            )
        )
    return list(days.values())


def denials(session: Session, key: str | None = None) -> list[Denial]:
    query = select(_denials).order_by(_denials.c.at, _denials.c.id)
    if key is not None:
        query = query.where(_denials.c.key == key)
    return [
        Denial(r.at, r.user_name, r.station, r.remote_number, r.rule, r.key)
        for r in session.execute(query)
    ]


def has_history(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(_hours)) != 0


def peaks_since(session: Session, since: dt.datetime | None) -> dict[str, list[int]]:
    """Each key's hourly peaks (gaps filled) since `since`: the what-if's input."""
    peaks: dict[str, list[int]] = {}
    for row in hourly(session, since=since):
        peaks.setdefault(row.key, []).append(row.peak_in_use)
    return peaks


def usage_rows(
    db: Database,
    key: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    by: str = Period.HOUR,
) -> list[UsageRow]:
    """`usage`: per key and hour (or day), the peak in use, allowed and denials (R33)."""
    with db.read() as session:
        rows = hourly(session, key, since, until)
    return by_day(rows) if by == Period.DAY else rows


def denial_rows(db: Database, key: str | None = None) -> list[Denial]:
    with db.read() as session:
        return denials(session, key)


def history_keys(db: Database) -> list[str]:
    """Every key with a stored hour or a denial: the Usage container's choice of keys."""
    with db.read() as session:
        hours = set(session.scalars(select(_hours.c.key).distinct()))
        denied = set(session.scalars(select(_denials.c.key).where(_denials.c.key.is_not(None))))
    return sorted(hours | {k for k in denied if k})
