"""The one door between the console's screens and the services.

`ConsoleApi` is built from a `Database` and the trust store, and gives every view and
dialog the use cases and read models it needs. Screens import this module (and the pure
`catalog` and `rules`), never `models`, `sqlalchemy` or a service module: import-linter
holds them to it (pyproject.toml). Storage failures come out of every call as
`StorageError`, a `ServiceError` whose text an administrator can act on, so a screen
catches one exception type. No Qt here: the seam is tested with plain pytest.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.catalog import InteractionType
from ia_licensing.licensefile import License, TrustStore
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, KeyCounts, Note, Pool
from ia_licensing.services import (
    allocation,
    audit,
    bulk,
    compliance,
    csv_import,
    integrity,
    license_configuration,
    license_management,
    licensing,
    logon,
    read_models,
    report,
    setup,
    stations,
    usage_history,
    users,
    workgroups,
)
from ia_licensing.services.allocation import AllocationRow
from ia_licensing.services.audit import AuditEntry
from ia_licensing.services.bulk import Cancelled, Progress
from ia_licensing.services.changes import Changes, changes_since, newest_change
from ia_licensing.services.compliance import DatedNote
from ia_licensing.services.csv_import import ImportCheck, ImportKind, ImportReport
from ia_licensing.services.csv_import_write import ImportProgress, IsCancelled
from ia_licensing.services.errors import (
    NotFound,
    Refused,
    ServiceError,
    StorageError,
    describe_database_error,
)
from ia_licensing.services.holder_choices import Choices, HolderSettings, exhausted
from ia_licensing.services.holders import KeyEdit
from ia_licensing.services.license_configuration import (
    Change,
    Eligible,
    EligibleWorkgroup,
    GrantHolder,
    Holder,
    KeyHolders,
)
from ia_licensing.services.license_management import (
    FeatureRow,
    LicenseManagement,
    LicenseRow,
    license_type_name,
)
from ia_licensing.services.licensing import HistoryEntry, KeyChange, LoadReport, WhatIf
from ia_licensing.services.logon import SessionInfo
from ia_licensing.services.read_models import (
    MemberCoverage,
    StationRow,
    UserRow,
    WorkgroupRow,
    left,
)
from ia_licensing.services.report import AllocationReport
from ia_licensing.services.setup import ServerInfo
from ia_licensing.services.stations import StationInfo, StationType
from ia_licensing.services.usage_history import Denial, Period, UsageRow
from ia_licensing.services.users import UserInfo

# What the screens may name: the read models and values the use cases take and return.
__all__ = [
    "AllocationReport",
    "AllocationRow",
    "AuditEntry",
    "Cancelled",
    "Change",
    "Changes",
    "Choices",
    "ConsoleApi",
    "DatedNote",
    "Denial",
    "Eligible",
    "EligibleWorkgroup",
    "FeatureRow",
    "GrantHolder",
    "HistoryEntry",
    "Holder",
    "HolderSettings",
    "ImportCheck",
    "ImportKind",
    "ImportProgress",
    "ImportReport",
    "IsCancelled",
    "KeyChange",
    "KeyEdit",
    "KeyHolders",
    "LicenseManagement",
    "LicenseRow",
    "LoadReport",
    "MemberCoverage",
    "NotFound",
    "Period",
    "Progress",
    "Refused",
    "ServerInfo",
    "ServiceError",
    "SessionInfo",
    "StationInfo",
    "StationRow",
    "StationType",
    "StorageError",
    "UsageRow",
    "UserInfo",
    "UserRow",
    "WhatIf",
    "WorkgroupRow",
    "exhausted",
    "left",
    "license_type_name",
]

P = ParamSpec("P")
T = TypeVar("T")


def describe_storage_error(error: SQLAlchemyError, where: str = "") -> str:
    """One sentence for an administrator: what happened, where, and what to do."""
    return describe_database_error(error, where).replace("database  ", "database ")


def _never() -> bool:
    return False


def _storage_errors(method: Callable[P, T]) -> Callable[P, T]:
    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except SQLAlchemyError as error:
            api = args[0] if args else None
            where = api._db.location if isinstance(api, ConsoleApi) else ""
            raise StorageError(describe_storage_error(error, where)) from error

    return guarded


class ConsoleApi:
    """Use cases and read models for the screens, bound to one database and trust store."""

    def __init__(self, db: Database, trust: TrustStore) -> None:
        self._db = db
        self.trust = trust

    @property
    def location(self) -> str:
        """Where the data lives, as shown in About (a URL without its password)."""
        return str(self._db.url)

    def close(self) -> None:
        self._db.close()

    # --- the server and its license -------------------------------------------------------

    @_storage_errors
    def server(self) -> ServerInfo | None:
        try:
            return setup.server(self._db)
        except ServiceError:
            return None

    @_storage_errors
    def reverify_license(self) -> bool:
        """Re-verify the license in force; True when something had to be repaired."""
        return setup.is_initialised(self._db) and bool(licensing.reverify(self._db, self.trust))

    @_storage_errors
    def check_at_start(self) -> list[str]:
        """What start-up repairs (R30, R36): entitlements and the license in force from the
        verified history, counters from the allocation rows; one sentence per repair."""
        if not setup.is_initialised(self._db):
            return []
        return [w.removeprefix("warning: ") for w in integrity.check_at_start(self._db, self.trust)]

    @_storage_errors
    def license_in_force(self) -> License | None:
        return licensing.in_force(self._db, self.trust)

    @_storage_errors
    def license_notes(self) -> list[Note]:
        return licensing.license_notes(self._db)

    @_storage_errors
    def license_overview(self, today: dt.date | None = None) -> LicenseManagement:
        return license_management.overview(self._db, self.trust, today)

    @_storage_errors
    def load_license(
        self,
        data: bytes,
        *,
        dry_run: bool,
        now: dt.datetime | None = None,
        against_usage: bool = False,
    ) -> LoadReport:
        """`against_usage`: the report also says what the recorded usage would have met
        under the new counts (empty when there is no usage history, R34)."""
        return licensing.load_license(
            self._db, data, self.trust, dry_run=dry_run, now=now, against_usage=against_usage
        )

    # --- usage history (R33) --------------------------------------------------------------

    @_storage_errors
    def usage_rows(
        self,
        key: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        by: str = Period.HOUR,
    ) -> list[UsageRow]:
        return usage_history.usage_rows(self._db, key, since, until, by)

    @_storage_errors
    def usage_keys(self) -> list[str]:
        return usage_history.history_keys(self._db)

    @_storage_errors
    def usage_denials(self, key: str | None = None) -> list[Denial]:
        return usage_history.denial_rows(self._db, key)

    @staticmethod
    def table_csv(headers: Sequence[str], rows: Iterable[Iterable[object]]) -> bytes:
        """A table as a CSV file's bytes, cells neutralised (R37)."""
        return report.table_csv_bytes(headers, rows)

    # --- counts and read models -----------------------------------------------------------

    @_storage_errors
    def allocations(self) -> list[AllocationRow]:
        return allocation.allocations(self._db)

    @_storage_errors
    def key_counts(self) -> dict[str, KeyCounts]:
        return read_models.key_counts(self._db)

    @_storage_errors
    def station_names(self, limit: int | None = None) -> list[str]:
        return read_models.station_names(self._db, limit)

    @_storage_errors
    def user_names(self, limit: int | None = None) -> list[str]:
        return read_models.user_names(self._db, limit)

    @_storage_errors
    def station_rows(self, names: Iterable[str] | None = None) -> list[StationRow]:
        return read_models.station_rows(self._db, names)

    @_storage_errors
    def user_rows(self, names: Iterable[str] | None = None) -> list[UserRow]:
        return read_models.user_rows(self._db, names)

    @_storage_errors
    def workgroup_rows(self) -> list[WorkgroupRow]:
        return read_models.workgroup_rows(self._db)

    @_storage_errors
    def member_coverage(self, workgroup: str, names: Sequence[str]) -> list[MemberCoverage]:
        return read_models.member_coverage(self._db, workgroup, names)

    @_storage_errors
    def machine_name_taken_by(self, machine_name: str, station: str) -> str | None:
        return read_models.machine_name_taken_by(self._db, machine_name, station)

    @_storage_errors
    def notes(self) -> list[Note]:
        return compliance.notes(self._db)

    @_storage_errors
    def dated_notes(self) -> list[DatedNote]:
        return compliance.dated_notes(self._db)

    @_storage_errors
    def sessions(self) -> list[SessionInfo]:
        return logon.sessions(self._db)

    @_storage_errors
    def audit_entries(
        self,
        *,
        subject: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 10_000,
    ) -> list[AuditEntry]:
        return audit.search(self._db, subject=subject, start=start, end=end, limit=limit)

    # --- what changed (every change is audited in its own transaction, R30) -----------------

    @_storage_errors
    def newest_change(self) -> int:
        return newest_change(self._db)

    @_storage_errors
    def changes_since(self, seen: int) -> Changes:
        return changes_since(self._db, seen)

    # --- License Configuration ------------------------------------------------------------

    @_storage_errors
    def holders_of(self, key: str) -> KeyHolders:
        return license_configuration.holders_of(self._db, key)

    @_storage_errors
    def eligible(
        self,
        key: str,
        kind: HolderKind,
        pool: Pool,
        filter_text: str = "",
        limit: int = 500,
        *,
        pending: Change | None = None,
        pending_configured: int = 0,
    ) -> list[Eligible]:
        return license_configuration.eligible(
            self._db,
            key,
            kind,
            pool,
            filter_text,
            limit,
            pending=pending,
            pending_configured=pending_configured,
        )

    @_storage_errors
    def eligible_workgroups(
        self,
        key: str,
        filter_text: str = "",
        limit: int = 500,
        *,
        pending: Change | None = None,
        pending_configured: int = 0,
    ) -> list[EligibleWorkgroup]:
        """Workgroups the Workgroup Name list's Add… picker offers (R32)."""
        return license_configuration.eligible_workgroups(
            self._db,
            key,
            filter_text,
            limit,
            pending=pending,
            pending_configured=pending_configured,
        )

    @_storage_errors
    def apply_license_change(self, key: str, change: Change) -> Change:
        return license_configuration.apply(self._db, key, change)

    @_storage_errors
    def bulk_change(
        self,
        key: str,
        kind: HolderKind,
        names: Sequence[str],
        *,
        allocate: bool,
        progress: Progress | None = None,
        chunk: int = 1000,
    ) -> list[str]:
        return bulk.bulk_change(
            self._db, key, kind, names, allocate=allocate, progress=progress, chunk=chunk
        )

    # --- stations, users, workgroups --------------------------------------------------------

    @_storage_errors
    def get_station(self, name: str) -> StationInfo:
        return stations.get_station(self._db, name)

    @_storage_errors
    def add_station(
        self,
        name: str,
        station_type: StationType,
        *,
        machine_name: str | None = None,
        enabled: bool = True,
        licenses_enabled: bool = True,
        keys: frozenset[str] = frozenset(),
        connection_type: str = "line",
        remote_number: str | None = None,
        acd_types: frozenset[InteractionType] = frozenset(),
    ) -> list[Note]:
        return stations.add_station(
            self._db,
            name,
            station_type,
            machine_name=machine_name,
            enabled=enabled,
            licenses_enabled=licenses_enabled,
            keys=keys,
            connection_type=connection_type,
            remote_number=remote_number,
            acd_types=acd_types,
        )

    @_storage_errors
    def save_station(self, settings: HolderSettings) -> list[Note]:
        """Station Configuration's OK/Apply: the whole Licensing tab in one transaction."""
        return stations.update_station(
            self._db,
            settings.name,
            edit=KeyEdit(exact=settings.keys),
            enabled=settings.enabled,
            licenses_enabled=settings.licenses_enabled,
            machine_name=settings.machine_name,
            acd_types=settings.acd_types,
        )

    @_storage_errors
    def delete_stations(self, names: Iterable[str]) -> None:
        stations.delete_stations(self._db, names)

    @_storage_errors
    def get_user(self, name: str) -> UserInfo:
        return users.get_user(self._db, name)

    @_storage_errors
    def add_user(self, name: str, method: Pool = Pool.ASSIGNABLE) -> None:
        users.add_user(self._db, name, method)

    @_storage_errors
    def save_user(self, settings: HolderSettings) -> list[Note]:
        """User Configuration's OK/Apply: method, licenses, the chosen ACD interaction types
        and the Remote Login right in one transaction (R16, R18, R24)."""
        users.update_user(
            self._db,
            settings.name,
            edit=KeyEdit(exact=settings.keys),
            method=settings.method,
            licenses_enabled=settings.licenses_enabled,
            acd_types=settings.acd_types,
            remote_login=settings.remote_login,
        )
        return []

    @_storage_errors
    def delete_users(self, names: Iterable[str]) -> None:
        users.delete_users(self._db, names)

    @_storage_errors
    def save_workgroup(
        self,
        name: str,
        types: Iterable[str],
        members: Iterable[str],
        *,
        create: bool,
        licenses: Iterable[str] | None = None,
    ) -> None:
        """Workgroup Configuration's OK/Apply; `licenses`: the exact grants (R32), or None
        to leave them as they are."""
        workgroups.save_workgroup(self._db, name, types, members, create=create, licenses=licenses)

    @_storage_errors
    def delete_workgroup(self, name: str) -> None:
        workgroups.delete_workgroup(self._db, name)

    # --- sessions, import and export --------------------------------------------------------

    @_storage_errors
    def logoff(self, user: str) -> None:
        logon.logoff(self._db, user)

    @_storage_errors
    def check_import(
        self,
        kind: ImportKind,
        data: bytes,
        *,
        progress: ImportProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ImportCheck:
        """The dry run, kept: `run_import` writes it without checking every row again."""
        return csv_import.check(
            self._db, kind, data, progress=progress, cancelled=cancelled or _never
        )

    @_storage_errors
    def run_import(
        self,
        checked: ImportCheck,
        *,
        progress: ImportProgress | None = None,
        cancelled: IsCancelled | None = None,
    ) -> ImportReport:
        """Import what `check_import` found clean, all or nothing; a cancel (Cancelled)
        writes nothing."""
        return csv_import.apply(self._db, checked, progress=progress, cancelled=cancelled or _never)

    @_storage_errors
    def allocation_report(self) -> AllocationReport:
        return report.build(self._db)

    @staticmethod
    def report_csv(built: AllocationReport) -> str:
        return report.to_csv(built)

    @staticmethod
    def save_report_file(path: str | Path, data: bytes) -> Path:
        """Write a report all or nothing; ServiceError naming the file when it cannot."""
        return report.save_file(path, data)
