"""The clock that decides whether the license in force has expired (R27, R28, R36).

The clock is now, but never earlier than a signed date: the generation date of the license
in force, which was verified when it was loaded (and which R27 never lets go backwards).
A local timestamp (when a file was loaded) is never the floor: one load made with a wrong
clock would otherwise make every later file "expired". Past the expiry date the license
grants nothing new (R28): use cases that would add call `refuse_if_expired` in their
transaction; what removes never does.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ia_licensing import rules
from ia_licensing.models import LicenseFile
from ia_licensing.models.cursor import Cursor
from ia_licensing.rules import Refusal
from ia_licensing.services.errors import Refused

_IN_FORCE = select(LicenseFile.expires, LicenseFile.generated).where(LicenseFile.in_force)


def today(session: Session, now: dt.date | None = None) -> dt.date:
    """Today on the expiry clock: now, floored at the signed generation date in force."""
    clock = now or dt.date.today()
    row = session.execute(_IN_FORCE).first()
    return clock if row is None else max(clock, row.generated)


def expired_refusal(session: Session, now: dt.date | None = None) -> Refusal | None:
    """R28's refusal when the license in force has expired on the expiry clock."""
    row = session.execute(_IN_FORCE).first()
    if row is None:
        return None
    return rules.expired_refusal(row.expires, max(now or dt.date.today(), row.generated))


def refuse_if_expired(session: Session) -> None:
    refuse_if_expired_on(Cursor.of(session))


def refuse_if_expired_on(cursor: Cursor) -> None:
    refuse_if_expired_given(in_force_on(cursor))


def in_force_on(cursor: Cursor) -> tuple[dt.date, dt.date] | None:
    """(expires, generated) of the license in force, if one is."""
    row = cursor.first(_IN_FORCE)
    return None if row is None else (row[0], row[1])


def refuse_if_expired_given(in_force: tuple[dt.date, dt.date] | None) -> None:
    """R28 on the (expires, generated) of the license in force, read earlier under the
    write lock (a replay reads it once per batch)."""
    if in_force is None:
        return
    expires, generated = in_force
    refusal = rules.expired_refusal(expires, max(dt.date.today(), generated))
    if refusal is not None:
        raise Refused(refusal)
