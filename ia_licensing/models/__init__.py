"""Database models (SQLAlchemy schema), engine set-up and migrations. No Qt."""

from ia_licensing.models.database import (
    Database,
    DatabaseRefused,
    database_url,
    default_database_path,
)
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
    TrustedKey,
    User,
    UserLicense,
    Workgroup,
    WorkgroupMember,
)

__all__ = [
    "AuditEvent",
    "Base",
    "Database",
    "DatabaseRefused",
    "Entitlement",
    "KeyUsage",
    "LicenseFile",
    "LogonSession",
    "NoteSeen",
    "ServerIdentity",
    "SessionLicense",
    "Station",
    "StationLicense",
    "TrustedKey",
    "User",
    "UserLicense",
    "Workgroup",
    "WorkgroupMember",
    "database_url",
    "default_database_path",
]
