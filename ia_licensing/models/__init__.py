"""Database models (SQLAlchemy schema), engine set-up and migrations. No Qt."""

from ia_licensing.models.database import Database, database_url, default_database_path
from ia_licensing.models.schema import (
    AuditEvent,
    Base,
    Entitlement,
    KeyUsage,
    LicenseFile,
    LogonSession,
    NoteSeen,
    ServerIdentity,
    SessionLicense,
    Station,
    StationLicense,
    User,
    UserLicense,
    Workgroup,
    WorkgroupLicense,
    WorkgroupMember,
)

__all__ = [
    "AuditEvent",
    "Base",
    "Database",
    "Entitlement",
    "KeyUsage",
    "LicenseFile",
    "LogonSession",
    "NoteSeen",
    "ServerIdentity",
    "SessionLicense",
    "Station",
    "StationLicense",
    "User",
    "UserLicense",
    "Workgroup",
    "WorkgroupLicense",
    "WorkgroupMember",
    "database_url",
    "default_database_path",
]
