"""Tamper evidence (R30, R36): the counters against a recount, and `audit verify`.

At start the console and the command line rewrite counter rows that disagree with the
allocation rows (with a warning and an audit entry), as `licensing.reverify` does for the
entitlements. `verify` reads without repairing anything and lists every finding: a broken
audit chain (edited, inserted, deleted entries), counters that disagree with a recount,
a license in force that does not verify or is not the newest verified file, entitlements
that differ from it, a server identity that differs from the one `init` recorded, and a
trusted key that no audit entry recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ia_licensing import catalog, licensefile
from ia_licensing.licensefile import LicenseFileError, TrustStore, read_license
from ia_licensing.models import (
    AuditEvent,
    Database,
    Entitlement,
    KeyUsage,
    LicenseFile,
    ServerIdentity,
    TrustedKey,
)
from ia_licensing.services import audit, licensing, usage
from ia_licensing.services import trust as trust_keys
from ia_licensing.services.audit import AuditAction

Counts = tuple[int, int, int]
_ZERO: Counts = (0, 0, 0)


def _describe(counts: Counts) -> str:
    return f"assignable {counts[0]}, concurrent {counts[1]}, in use {counts[2]}"


def _counter_differences(session: Session) -> dict[str, tuple[Counts, Counts]]:
    """key → (stored, recounted), for every key whose counter row disagrees."""
    stored = {
        u.key: (u.assignable_configured, u.concurrent_configured, u.concurrent_in_use)
        for u in session.scalars(select(KeyUsage))
    }
    counted = usage.recount(session)
    return {
        key: (stored.get(key, _ZERO), counted.get(key, _ZERO))
        for key in sorted(stored.keys() | counted.keys())
        if stored.get(key, _ZERO) != counted.get(key, _ZERO)
    }


def repair_counters(db: Database) -> list[str]:
    """Rewrite counter rows that disagree with the allocation rows; a warning for each."""
    with db.read() as session:
        if not _counter_differences(session):
            return []
    with db.write() as session:  # again under the write lock: only what is wrong now
        differences = _counter_differences(session)
        for key, (_stored, counted) in differences.items():
            row = session.get(KeyUsage, key)
            if row is None:
                row = KeyUsage(key=key)
                session.add(row)
            row.assignable_configured, row.concurrent_configured, row.concurrent_in_use = counted
        audit.record_many(
            session,
            AuditAction.RECOUNT,
            (
                (catalog.describe(key).display_name, _describe(stored), _describe(counted))
                for key, (stored, counted) in differences.items()
            ),
        )
    return [
        f"warning: the counters of {catalog.describe(key).display_name} were "
        f"{_describe(stored)} but the allocation rows count {_describe(counted)}; "
        "they were rewritten from the allocation rows (see `audit`)"
        for key, (stored, counted) in differences.items()
    ]


def check_at_start(db: Database, trust: TrustStore | None) -> list[str]:
    """What the console and the command line repair before anything else: the
    entitlements and the license in force (licensing.reverify), then the counters."""
    warnings = licensing.reverify(db, trust or TrustStore())
    return [*(warnings or ()), *repair_counters(db)]


@dataclass(frozen=True)
class Finding:
    """One thing `audit verify` found: what, and where."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def verify(db: Database, trust: TrustStore | None = None) -> list[Finding]:
    """Everything that does not hold (R30); empty for an honest database. Changes nothing."""
    findings = [Finding(f"audit entry {p.entry_id}", p.message) for p in audit.verify_chain(db)]
    with db.read() as session:
        for key, (stored, counted) in _counter_differences(session).items():
            name = catalog.describe(key).display_name
            findings.append(
                Finding(
                    f"counters of {name} ({key})",
                    f"stored {_describe(stored)}, but the allocation rows count "
                    f"{_describe(counted)}",
                )
            )
        store = trust_keys.effective(session, trust)
        findings += _license_findings(session, store)
        findings += _identity_findings(session)
        findings += _trusted_key_findings(session)
    return findings


def _license_findings(session: Session, store: TrustStore) -> list[Finding]:
    findings = []
    rows = list(session.scalars(select(LicenseFile).order_by(LicenseFile.id)))
    verified = {}
    for row in rows:
        try:
            verified[row.id] = read_license(row.content, store).license
        except LicenseFileError as error:
            findings.append(
                Finding(
                    f"license history entry {row.id} (serial {row.serial})",
                    f"does not verify ({error.reason}: {error}); it counts for nothing",
                )
            )
            continue
        lic = verified[row.id]
        if (lic.serial, lic.license_type.value, lic.generated, lic.expires) != (
            row.serial,
            row.license_type,
            row.generated,
            row.expires,
        ):
            findings.append(
                Finding(
                    f"license history entry {row.id}",
                    f"its columns (serial {row.serial}, {row.license_type}, expires "
                    f"{row.expires}) differ from its signed file (serial {lic.serial}, "
                    f"{lic.license_type.value}, expires {lic.expires})",
                )
            )
    flagged = [r.id for r in rows if r.in_force]
    newest = max(verified, default=None)
    if newest is not None and flagged != [newest]:
        findings.append(
            Finding(
                "license in force",
                f"flagged in force: {', '.join(map(str, flagged)) or 'none'}; the newest "
                f"history entry that verifies is {newest}",
            )
        )
    expected = licensing.entitlements_of(verified[newest]) if newest is not None else {}
    cached = {e.key: (e.assigned, e.pooled) for e in session.scalars(select(Entitlement))}
    # With history but nothing verifying, each entry is reported above instead.
    if (newest is not None or not rows) and cached != expected:
        keys = cached.keys() | expected.keys()
        changed = sorted(k for k in keys if cached.get(k) != expected.get(k))
        shown = ", ".join(
            f"{k} stored {cached.get(k, (0, 0))} signed {expected.get(k, (0, 0))}"
            for k in changed[:5]
        )
        findings.append(Finding("entitlements", f"differ from the license in force: {shown}"))
    identity = session.scalar(select(ServerIdentity))
    if identity is not None and newest is not None:
        try:
            licensefile.check_validity(
                verified[newest],
                host_id=identity.host_id,
                product=identity.product,
                today=verified[newest].generated,
            )
        except LicenseFileError as error:
            if error.reason in ("wrong-host", "wrong-product"):
                findings.append(Finding("license in force", str(error)))
    return findings


def _identity_findings(session: Session) -> list[Finding]:
    identity = session.scalar(select(ServerIdentity))
    init = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == AuditAction.INIT.value)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if identity is None or init is None:
        return []
    recorded = (init.subject, init.after)
    now = (identity.machine_name, f"host id {identity.host_id}")
    if recorded != now:
        return [
            Finding(
                "server identity",
                f"is {now[0]!r}, {now[1]}, but init recorded {recorded[0]!r}, {recorded[1]} "
                f"(audit entry {init.id})",
            )
        ]
    return []


def _trusted_key_findings(session: Session) -> list[Finding]:
    findings = []
    recorded = trust_keys.recorded(session)
    audited = {
        e.subject: e.after
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.TRUST_KEY.value)
        )
    }
    for key_id in session.scalars(select(TrustedKey.key_id)):
        key = recorded.get(key_id)
        assert key is not None
        if not audited.get(key_id, "").endswith(licensefile.fingerprint(key)):
            findings.append(
                Finding(
                    f"trusted key {key_id!r}",
                    "is not the key the audit trail recorded being trusted (added or "
                    "replaced outside IA Licensing)",
                )
            )
    return findings
