"""What the License Management dialog shows, in one read (Manage Licenses in Interaction
Administrator: View License Information, View Feature Information; View License Details).

The header, Licenses and Features come from the license in force *re-verified from its
stored bytes*, never from the entitlement cache, so the dialog shows exactly what the
signed file says. The configured and in-use counts come from the counter rows (R3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ia_licensing import catalog
from ia_licensing.licensefile import License, LicenseType, TrustStore
from ia_licensing.models import Database, LicenseFile
from ia_licensing.rules import Note
from ia_licensing.services import licensing, usage
from ia_licensing.services.licensing import HistoryEntry

# The Server License Types table's names for the types the license file carries.
LICENSE_TYPE_NAMES: dict[str, str] = {
    LicenseType.PRODUCTION.value: "Production",
    LicenseType.SWITCHOVER.value: "Switchover",
    LicenseType.E_FAQ_PRODUCTION.value: "e-FAQ Production",
    LicenseType.MEDIA_SERVER.value: "Media Server",
    LicenseType.MULTI_SITE_ADMINISTRATION.value: "Multi-site Administration",
    LicenseType.DEVELOPMENT.value: "Non-ordered Development",
    LicenseType.ORDERED_DEVELOPMENT.value: "Ordered Development",
    LicenseType.TRIAL.value: "Trial",
    LicenseType.TRIAL_SYSTEM.value: "Trial System",
    LicenseType.EVALUATION.value: "Evaluation",
    LicenseType.DISASTER_RECOVERY.value: "Disaster Recovery",
    LicenseType.LOAD_TEST.value: "Load Test",
    LicenseType.TRAINING.value: "Training",
}

KIND_NAMES = {
    catalog.Kind.ACCESS: "Access",
    catalog.Kind.FEATURE: "Feature",
    catalog.Kind.SESSION: "Session",
}


def license_type_name(value: str) -> str:
    return LICENSE_TYPE_NAMES.get(value, value.replace("-", " ").title())


@dataclass(frozen=True)
class LicenseHeader:
    product: str
    license_type: str  # the Server License Types name, e.g. "Production"
    serial: int
    host_id: str
    machine_name: str
    switchover_partner: str  # "HOST-2 (ic-b)", or "" when the file names no partner
    machine_type: str
    mail_connector: str
    generated: dt.date
    expires: dt.date
    generated_by: str
    days_left: int | None  # None: perpetual (2100-01-01)

    @property
    def days_left_text(self) -> str:
        if self.days_left is None:
            return "perpetual"
        if self.days_left <= 0:
            return f"expired on {self.expires.isoformat()}"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''}"


@dataclass(frozen=True)
class LicenseRow:
    """One key of the license in force (Licenses tab). Counts are None for features and
    session licenses: they are not allocatable (R29)."""

    key: str
    display_name: str
    kind: str
    assigned: int
    pooled: int
    assignable_configured: int | None
    concurrent_configured: int | None
    concurrent_in_use: int | None


@dataclass(frozen=True)
class FeatureRow:
    key: str
    description: str  # "" when the catalogue does not know the feature


@dataclass(frozen=True)
class LicenseManagement:
    header: LicenseHeader | None
    licenses: tuple[LicenseRow, ...]
    features: tuple[FeatureRow, ...]
    history: tuple[HistoryEntry, ...]
    notes: tuple[Note, ...]
    problem: str  # why no license is shown; "" when one is in force and verifies


def header_of(lic: License, today: dt.date) -> LicenseHeader:
    partner = ""
    if lic.switchover is not None:
        partner = f"{lic.switchover.host_id} ({lic.switchover.machine_name})"
    return LicenseHeader(
        product=lic.product,
        license_type=license_type_name(lic.license_type.value),
        serial=lic.serial,
        host_id=lic.server.host_id,
        machine_name=lic.server.machine_name,
        switchover_partner=partner,
        machine_type=lic.server.machine_type,
        mail_connector=lic.server.mail_connector,
        generated=lic.generated,
        expires=lic.expires,
        generated_by=lic.generated_by,
        days_left=None if lic.perpetual else (lic.expires - today).days,
    )


def feature_rows(lic: License) -> tuple[FeatureRow, ...]:
    rows = []
    for key in lic.features:
        info = catalog.describe(key)
        # describe() echoes the key as the name of a feature it does not know.
        rows.append(FeatureRow(key, "" if info.display_name == key else info.display_name))
    return tuple(rows)


def overview(db: Database, trust: TrustStore, today: dt.date | None = None) -> LicenseManagement:
    """Everything License Management shows, read at once."""
    today = today or dt.date.today()
    lic = licensing.in_force(db, trust)
    with db.read() as session:
        stored = session.scalar(select(LicenseFile.id).where(LicenseFile.in_force)) is not None
        counts = {c.key: c for c in usage.all_counts(session)}
    history = tuple(licensing.history(db))
    if lic is None:
        problem = (
            "The license in force does not verify with this console's trust store, so no "
            "licenses are allowed. Load a license file signed by a trusted key."
            if stored
            else "No license has been loaded, so no licenses are allowed. Load a license file."
        )
        return LicenseManagement(None, (), (), history, (), problem)
    rows = []
    for count in lic.licenses:
        info = catalog.describe(count.key)
        used = counts.get(count.key)
        allocatable = info.allocatable
        rows.append(
            LicenseRow(
                key=count.key,
                display_name=info.display_name,
                kind=KIND_NAMES[info.kind],
                assigned=count.assigned,
                pooled=count.pooled,
                assignable_configured=(used.assignable_configured if used else 0)
                if allocatable
                else None,
                concurrent_configured=(used.concurrent_configured if used else 0)
                if allocatable
                else None,
                concurrent_in_use=(used.concurrent_in_use if used else 0) if allocatable else None,
            )
        )
    notes = tuple(licensing.license_notes(db, today))
    return LicenseManagement(
        header_of(lic, today),
        tuple(rows),
        feature_rows(lic),
        history,
        notes,
        "",
    )
