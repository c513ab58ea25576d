"""CSV import, the write: holders already checked (csv_import.py), written in bulk.

The rows of a checked file are inserted with Core `executemany` in batches — holders, then
their licenses, the counter rows moved once per key, one audit row per holder — inside one
transaction, so an import is all-or-nothing. Between batches the caller's `cancelled` is
asked; a cancel raises `Cancelled` and the transaction rolls back: nothing is written.

A check made earlier (the dry run the console shows) is used as it is when nothing it
depended on has changed since: the names it found free are still free and the counts of
its keys are the same. `unchanged` says so with a few set-based queries, under the write
lock, instead of checking every row again.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ia_licensing.models import Base, Station, StationLicense, User, UserLicense
from ia_licensing.rules import HolderKind, KeyCounts, Pool
from ia_licensing.services import audit, usage
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import Cancelled
from ia_licensing.services.holders import describe_keys

BATCH = 5000
# (phase, done, total): "checking" or "writing", for a progress bar or a terminal line.
ImportProgress = Callable[[str, int, int], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class NewHolder:
    """One checked row: a station or a user to add, with its licenses."""

    name: str
    keys: frozenset[str]
    pool: Pool | None  # where its licenses count (None: nowhere, R14)
    licenses_enabled: bool = True
    method: Pool = Pool.ASSIGNABLE  # users
    station_type: str = "workstation"  # stations
    enabled: bool = True
    machine_name: str | None = None


@dataclass(frozen=True)
class Plan:
    """Every row of a file that passed the check, and what the check read."""

    kind: HolderKind
    holders: tuple[NewHolder, ...]
    counts: Mapping[str, KeyCounts]  # the keys' counts the check started from

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(h.name for h in self.holders)


def _never() -> bool:
    return False


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _what_counts(counts: KeyCounts) -> tuple[int, int, int, int]:
    """What a check depends on (In Use moves with every logon and checks nothing here)."""
    return (
        counts.assigned,
        counts.pooled,
        counts.assignable_configured,
        counts.concurrent_configured,
    )


def unchanged(session: Session, plan: Plan) -> bool:
    """True when `plan`, checked earlier, still holds: its names and Licensed Machine Names
    are still free and its keys' counts are as they were (call it under the write lock)."""
    if not plan.holders:
        return True
    now = usage.lock_counts(session, plan.counts)
    if any(_what_counts(now[k]) != _what_counts(c) for k, c in plan.counts.items()):
        return False
    table = Station if plan.kind is HolderKind.STATION else User
    folded = [h.name.casefold() for h in plan.holders]
    for part in _batches(folded):
        if session.scalar(select(table.id).where(table.name_key.in_(part)).limit(1)):
            return False
    machines = [h.machine_name.casefold() for h in plan.holders if h.machine_name]
    for part in _batches(machines):
        taken = select(Station.id).where(Station.machine_name_key.in_(part)).limit(1)
        if session.scalar(taken):
            return False
    return True


def write(
    session: Session,
    plan: Plan,
    *,
    progress: ImportProgress | None = None,
    cancelled: IsCancelled = _never,
) -> None:
    """Insert every holder of `plan` with its licenses, counters and audit rows; raise
    `Cancelled` (and roll back with the caller's transaction) when asked to stop."""
    total = len(plan.holders)
    report = progress or (lambda _phase, _done, _total: None)
    is_station = plan.kind is HolderKind.STATION
    model = Station if is_station else User
    table = Base.metadata.tables[model.__tablename__]
    licenses = Base.metadata.tables[(StationLicense if is_station else UserLicense).__tablename__]
    owner = "station_id" if is_station else "user_id"
    connection = session.connection()
    first = connection.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    row = _station_row if is_station else _user_row
    done = 0
    report("writing", 0, total)
    for part in _batches(plan.holders):
        if cancelled():
            raise Cancelled("stopped: nothing was imported")
        connection.execute(insert(table), [row(h) for h in part])
        done += len(part)
        report("writing", done, total)
    # Under the write lock, every id after `first` is one of ours.
    ids = {
        k: i
        for k, i in connection.execute(
            select(table.c.name_key, table.c.id).where(table.c.id > first)
        )
    }
    rows = [{owner: ids[h.name.casefold()], "key": k} for h in plan.holders for k in h.keys]
    for part in _batches(rows):
        if cancelled():
            raise Cancelled("stopped: nothing was imported")
        connection.execute(insert(licenses), part)
    deltas: Counter[tuple[str, Pool]] = Counter()
    for holder in plan.holders:
        if holder.pool is not None:
            for key in holder.keys:
                deltas[key, holder.pool] += 1
    usage.apply_deltas(session, deltas)
    action = AuditAction.STATION_ADD if is_station else AuditAction.USER_ADD
    after = _station_audit if is_station else _user_audit
    audit.record_many(session, action, ((h.name, "", after(h)) for h in plan.holders))
    if cancelled():  # the last moment a cancel still writes nothing
        raise Cancelled("stopped: nothing was imported")


def _station_row(h: NewHolder) -> dict[str, Any]:
    machine = h.machine_name
    return {
        "name": h.name,
        "name_key": h.name.casefold(),
        "station_type": h.station_type,
        "connection_type": "line",
        "remote_number": None,
        "enabled": h.enabled,
        "licenses_enabled": h.licenses_enabled,
        "licensed_machine_name": machine,
        "machine_name_key": machine.casefold() if machine else None,
    }


def _user_row(h: NewHolder) -> dict[str, Any]:
    return {
        "name": h.name,
        "name_key": h.name.casefold(),
        "method": h.method.value,
        "licenses_enabled": h.licenses_enabled,
    }


# Thousands of holders share a handful of key sets: each is described once.
@functools.lru_cache(maxsize=4096)
def _described(keys: frozenset[str]) -> str:
    return describe_keys(keys)


def _station_audit(h: NewHolder) -> str:
    return _described(h.keys)


def _user_audit(h: NewHolder) -> str:
    return f"{h.method.label}: {_described(h.keys)}"
