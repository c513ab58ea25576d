"""The Core tables under the ORM models, for prebuilt Core statements (models/cursor.py).

`Model.__table__` is typed as a FromClause, which `insert()` and `delete()` do not take;
these are the same tables, typed as Tables.
"""

from __future__ import annotations

from sqlalchemy import Table

from ia_licensing.models.schema import (
    AuditEvent,
    Base,
    Entitlement,
    KeyUsage,
    LogonSession,
    SessionLicense,
    Station,
    StationLicense,
    UsageDenial,
    UsageHour,
    User,
    UserLicense,
    Workgroup,
    WorkgroupLicense,
    WorkgroupMember,
)


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


audit_events = _table(AuditEvent)
entitlements = _table(Entitlement)
key_usage = _table(KeyUsage)
sessions = _table(LogonSession)
session_licenses = _table(SessionLicense)
stations = _table(Station)
station_licenses = _table(StationLicense)
usage_denials = _table(UsageDenial)
usage_hours = _table(UsageHour)
users = _table(User)
user_licenses = _table(UserLicense)
workgroups = _table(Workgroup)
workgroup_licenses = _table(WorkgroupLicense)
workgroup_members = _table(WorkgroupMember)
