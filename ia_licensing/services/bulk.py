"""Bulk Allocate license… and Remove license… from a container's context menu: one key for
many holders in one transaction, with progress and a way to stop (which rolls back)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ia_licensing import rules
from ia_licensing.models import Database, Station, StationLicense, User, UserLicense
from ia_licensing.rules import HolderKind
from ia_licensing.services import allocation
from ia_licensing.services.errors import Cancelled
from ia_licensing.services.holders import resolve_key

__all__ = ["Cancelled", "Progress", "bulk_change"]

Progress = Callable[[int], bool]  # done so far → False to stop (and roll back)


def bulk_change(
    db: Database,
    key: str,
    kind: HolderKind,
    names: Sequence[str],
    *,
    allocate: bool,
    progress: Progress | None = None,
    chunk: int = 1000,
) -> list[str]:
    """Allocate (or remove) `key` on every named holder, all-or-nothing in one transaction.

    Returns the holders that changed (not those that already had, or lacked, the key), so
    that undo reverses exactly this change. Chunks only pace the progress callback: capacity
    is checked cumulatively, because every chunk sees the counters the previous one moved.
    """
    key = resolve_key(key)
    with db.write() as session:
        before = _holding(session, kind, names, key)
        for start in range(0, len(names), chunk):
            part = list(names[start : start + chunk])
            holders = {"stations" if kind is HolderKind.STATION else "users": part}
            if allocate:
                allocation.allocate_in(session, key, **holders)
            else:
                allocation.deallocate_in(session, key, **holders)
            if progress is not None and not progress(start + len(part)):
                raise Cancelled("stopped: nothing was changed")
    return [n for n in names if (rules.name_key(n) in before) != allocate]


def _holding(session: Session, kind: HolderKind, names: Sequence[str], key: str) -> set[str]:
    """The case-folded names among `names` that hold `key`."""
    if kind is HolderKind.STATION:
        query = (
            select(Station.name_key)
            .join(StationLicense, StationLicense.station_id == Station.id)
            .where(StationLicense.key == key)
        )
        column = Station.name_key
    else:
        query = (
            select(User.name_key)
            .join(UserLicense, UserLicense.user_id == User.id)
            .where(UserLicense.key == key)
        )
        column = User.name_key
    wanted = [rules.name_key(n) for n in names]
    found: set[str] = set()
    for start in range(0, len(wanted), allocation.CHUNK):
        found.update(
            session.scalars(query.where(column.in_(wanted[start : start + allocation.CHUNK])))
        )
    return found
