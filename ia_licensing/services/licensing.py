"""Loading a signed license file while the system runs (Load Licenses, R26–R28).

A load verifies the file (licensefile.read_license: signature before parsing), checks it
against this server (product, host id or switchover partner, dates, type rules) and
against the history (rollback by serial or generation date, a clock set back), then —
unless it is a dry run — stores the file's bytes and replaces the entitlements in one
transaction. Allocations are never deleted: over-allocation becomes R6 notes.

Allowed counts cannot be forged by editing the database: `reverify` re-reads the stored
bytes of the license in force against the trust store and rewrites the entitlement cache
from them; the console and the command line call it at start-up.

The trust store is the database's recorded keys plus any store given (services/trust.py,
R36). Only history entries that verify count: for the license in force (the newest one
that verifies, whatever its in-force flag says) and for the rollback check (R27), so a
row written into the database by hand can neither lock genuine files out nor come back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.licensefile import (
    License,
    LicenseFileError,
    TrustStore,
    check_not_rollback,
    check_validity,
    read_license,
)
from ia_licensing.models import Database, Entitlement, LicenseFile
from ia_licensing.models.schema import utcnow
from ia_licensing.rules import KeyCounts, Note
from ia_licensing.services import audit, expiry, setup, usage, usage_history
from ia_licensing.services import trust as trust_keys
from ia_licensing.services.audit import AuditAction


@dataclass(frozen=True)
class KeyChange:
    """One key's allowed counts before → after a load."""

    key: str
    name: str
    before: tuple[int, int]
    after: tuple[int, int]
    configured: tuple[int, int]


@dataclass(frozen=True)
class WhatIf:
    """`--against-usage`: one key's recorded usage against the new license's count (R34).

    `would_have_been_refused` sums, over the recorded hours, how far the hour's peak went
    above `new_allowed`: at least that many logons that hour would have found no license."""

    key: str
    name: str
    peak_in_use: int
    new_allowed: int
    would_have_been_refused: int


@dataclass(frozen=True)
class LoadReport:
    license: License
    changes: tuple[KeyChange, ...]
    notes: tuple[Note, ...]
    applied: bool
    usage: tuple[WhatIf, ...] = ()  # with against_usage and a recorded history only


@dataclass(frozen=True)
class HistoryEntry:
    loaded_at: dt.datetime
    loaded_by: str
    serial: int
    license_type: str
    generated: dt.date
    expires: dt.date
    in_force: bool


def entitlements_of(lic: License) -> dict[str, tuple[int, int]]:
    return {c.key: (c.assigned, c.pooled) for c in lic.licenses}


def _stored_in_force(session: Session) -> LicenseFile | None:
    return session.scalar(select(LicenseFile).where(LicenseFile.in_force))


def _verified(row: LicenseFile | None, trust: TrustStore) -> License | None:
    if row is None:
        return None
    try:
        return read_license(row.content, trust).license
    except LicenseFileError:
        return None


def _newest_verified(session: Session, trust: TrustStore) -> tuple[LicenseFile, License] | None:
    """The newest history entry whose stored bytes verify: the license in force (R36)."""
    for row in session.scalars(select(LicenseFile).order_by(LicenseFile.id.desc())):
        lic = _verified(row, trust)
        if lic is not None:
            return row, lic
    return None


def _highest_verified_serial(session: Session, trust: TrustStore) -> int | None:
    """The highest serial among history entries that verify (R27 counts only those)."""
    for row in session.scalars(select(LicenseFile).order_by(LicenseFile.serial.desc())):
        lic = _verified(row, trust)
        if lic is not None:
            return lic.serial
    return None


def in_force(db: Database, trust: TrustStore) -> License | None:
    """The license in force, re-verified from its stored bytes (None if none verifies)."""
    with db.read() as session:
        found = _newest_verified(session, trust_keys.effective(session, trust))
        return found[1] if found else None


def load_license(
    db: Database,
    data: bytes,
    trust: TrustStore,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    against_usage: bool = False,
    since: dt.datetime | None = None,
) -> LoadReport:
    """Verify and apply (or, with dry_run, only report) a license file; LicenseFileError
    names the rule (R26, R27) and nothing is written. `against_usage`: add what the usage
    history since `since` (naive UTC; default: all kept) would have met under it (R34)."""
    server = setup.server(db)
    with db.write() as session:
        trust = trust_keys.effective(session, trust)
        signed = read_license(data, trust)
        lic = signed.license
        clock = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        floor = signed_floor(session, trust)
        if floor is not None:  # a clock set back cannot revive an expired license (R36)
            clock = max(clock, dt.datetime.combine(floor, dt.time(), dt.UTC))
        check_validity(lic, host_id=server.host_id, product=server.product, now=clock)
        found = _newest_verified(session, trust)
        check_not_rollback(
            lic, found[1] if found else None, _highest_verified_serial(session, trust)
        )
        report = _report(session, lic, applied=not dry_run, today=clock.date())
        if against_usage:
            report = dataclasses.replace(report, usage=what_if(session, lic, since))
        if not dry_run:
            # The database remembers the key of every license it loads (R36).
            trust_keys.record(
                session, trust, f"signed license serial {lic.serial}", [signed.key_id]
            )
            session.execute(update(LicenseFile).values(in_force=False))
            session.add(
                LicenseFile(
                    loaded_at=utcnow(),
                    loaded_by=audit.os_user(),
                    serial=lic.serial,
                    license_type=lic.license_type.value,
                    generated=lic.generated,
                    expires=lic.expires,
                    content=signed.raw,
                    in_force=True,
                )
            )
            replace_entitlements(session, entitlements_of(lic), f"license serial {lic.serial}")
        else:
            session.rollback()
    return report


def what_if(session: Session, lic: License, since: dt.datetime | None) -> tuple[WhatIf, ...]:
    """Each key with recorded usage: its peak since `since`, the new license's allowed count
    for it, and the logons its hourly peaks say would have been refused (R34)."""
    after = entitlements_of(lic)
    rows = []
    for key, peaks in sorted(usage_history.peaks_since(session, since).items()):
        assigned, pooled = after.get(key, (0, 0))
        allowed = rules.allowed_counts(key, assigned, pooled)
        new_allowed = allowed[0] if key == catalog.BASIC_STATION else allowed[1]
        rows.append(
            WhatIf(
                key,
                catalog.describe(key).display_name,
                max(peaks, default=0),
                new_allowed,
                sum(max(0, peak - new_allowed) for peak in peaks),
            )
        )
    return tuple(rows)


def signed_floor(session: Session, trust: TrustStore) -> dt.date | None:
    """The newest generation date of a file in the history that verifies with `trust`: a
    signed date, which no local clock or timestamp can move (R36). None: no such file."""
    newest = None
    for content in session.scalars(select(LicenseFile.content)):
        try:
            generated = read_license(content, trust).license.generated
        except LicenseFileError:
            continue  # a file that does not verify proves nothing
        newest = generated if newest is None else max(newest, generated)
    return newest


def _report(session: Session, lic: License, *, applied: bool, today: dt.date) -> LoadReport:
    after = entitlements_of(lic)
    before = {e.key: (e.assigned, e.pooled) for e in session.scalars(select(Entitlement))}
    counts = usage.lock_counts(session, before.keys() | after.keys())
    changes, notes = [], []
    by_name = sorted(counts.values(), key=lambda c: c.info.display_name.casefold())
    for now_counts in by_name:
        key = now_counts.key
        if not now_counts.info.allocatable:
            continue
        assigned, pooled = after.get(key, (0, 0))
        future = KeyCounts(
            key,
            assigned,
            pooled,
            now_counts.assignable_configured,
            now_counts.concurrent_configured,
            now_counts.concurrent_in_use,
        )
        changes.append(
            KeyChange(
                key,
                now_counts.info.display_name,
                (now_counts.assignable_allowed, now_counts.concurrent_allowed),
                (future.assignable_allowed, future.concurrent_allowed),
                (now_counts.assignable_configured, now_counts.concurrent_configured),
            )
        )
        notes += rules.key_notes(future)
    notes += rules.license_notes(lic.license_type.value, lic.expires, today)
    return LoadReport(lic, tuple(changes), tuple(notes), applied)


def replace_entitlements(
    session: Session, counts: Mapping[str, tuple[int, int]], source: str
) -> None:
    """Replace the entitlement cache; audit what changed (R30)."""
    before = {e.key: (e.assigned, e.pooled) for e in session.scalars(select(Entitlement))}
    if before == dict(counts):
        return
    session.query(Entitlement).delete()
    for key, (assigned, pooled) in sorted(counts.items()):
        session.add(Entitlement(key=key, assigned=assigned, pooled=pooled))
    usage.ensure_usage_rows(session, [k for k in counts if rules.KeyCounts(k).info.allocatable])
    changed = {k for k in before.keys() | counts.keys() if before.get(k) != counts.get(k)}
    usage_history.record_allowed(session, changed)  # R33: the allowed count at the time
    audit.record(
        session, AuditAction.LICENSE_LOAD, source, f"{len(before)} keys", f"{len(counts)} keys"
    )
    audit.record_many(
        session,
        AuditAction.ENTITLEMENT,
        (
            (rules.KeyCounts(k).info.display_name, _pair(before.get(k)), _pair(counts.get(k)))
            for k in sorted(before.keys() | counts.keys())
            if before.get(k) != counts.get(k)
        ),
    )


def seed_entitlements(db: Database, counts: Mapping[str, tuple[int, int]], source: str) -> None:
    """Set entitlements without a license file: for tests of the rules only. Anything that
    starts the console or the command line re-verifies and replaces them (`reverify`)."""
    if any(a < 0 or p < 0 for a, p in counts.values()):
        raise ValueError("counts cannot be negative")
    with db.write() as session:
        replace_entitlements(session, counts, source)


def _pair(value: tuple[int, int] | None) -> str:
    return "none" if value is None else f"{value[0]} assigned, {value[1]} pooled"


REWRITTEN = (
    "warning: the entitlements did not match the verified license in force and were "
    "rewritten from it"
)


def reverify(db: Database, trust: TrustStore) -> list[str]:
    """Bring the entitlement cache and the in-force flag in line with the newest history
    entry that verifies; returns a warning per repair (empty: nothing was wrong).

    When history exists but no entry verifies (the trust store lost the key, or the stored
    bytes were edited), nothing is rewritten — a read never empties the entitlements — and
    the warning says what to do.
    """
    with db.read() as session:
        store = trust_keys.effective(session, trust)
        found = _newest_verified(session, store)
        flagged = list(session.scalars(select(LicenseFile.id).where(LicenseFile.in_force)))
        history = session.scalar(select(func.count()).select_from(LicenseFile)) or 0
        cached = {e.key: (e.assigned, e.pooled) for e in session.scalars(select(Entitlement))}
        unrecorded = (
            found is not None
            and trust_keys.recorded(session).get(read_license(found[0].content, store).key_id)
            is None
        )
    if found is None and history:
        return [
            f"warning: none of the {history} license files in this database verifies with "
            "its trusted keys, so the entitlements were left as they are; give the vendor's "
            "trust store (--trust-store DIR or IA_LICENSING_TRUST_STORE) or load the "
            "license file again, and run `ia-licensing audit verify`"
        ]
    expected = entitlements_of(found[1]) if found else {}
    warnings = []
    if found is not None and (flagged != [found[0].id] or unrecorded):
        row, lic = found
        with db.write() as session:
            if unrecorded:  # verified with the store given on this command: remember it
                key_id = read_license(row.content, store).key_id
                trust_keys.record(session, store, f"verified license serial {lic.serial}", [key_id])
            if flagged != [row.id]:
                session.execute(update(LicenseFile).values(in_force=LicenseFile.id == row.id))
                audit.record(
                    session,
                    AuditAction.IN_FORCE,
                    f"license serial {lic.serial}",
                    f"in force: {', '.join(map(str, flagged)) or 'none'}",
                    f"in force: {row.id} (the newest license file that verifies)",
                )
                warnings.append(
                    "warning: the license in force was not the newest verified license file; "
                    f"serial {lic.serial} is in force again"
                )
    if cached != expected:
        with db.write() as session:
            replace_entitlements(
                session, expected, "entitlements re-verified from the license file"
            )
        warnings.append(REWRITTEN)
    return warnings


def history(db: Database) -> list[HistoryEntry]:
    with db.read() as session:
        rows = session.scalars(select(LicenseFile).order_by(LicenseFile.id.desc()))
        return [
            HistoryEntry(
                r.loaded_at,
                r.loaded_by,
                r.serial,
                r.license_type,
                r.generated,
                r.expires,
                r.in_force,
            )
            for r in rows
        ]


def license_notes(db: Database, today: dt.date | None = None) -> list[Note]:
    """R28 notes for the license in force (type and expiry, from its history row), on the
    expiry clock (services/expiry.py)."""
    with db.read() as session:
        row = _stored_in_force(session)
        if row is None:
            return []
        return rules.license_notes(row.license_type, row.expires, expiry.today(session, today))
