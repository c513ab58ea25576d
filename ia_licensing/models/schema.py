"""The allocation database schema (SQLAlchemy 2.x typed ORM). No Qt."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


NAME_KEY_LENGTH = 1020  # a name is at most 255 characters (R37); folding may lengthen it
SQLITE_APPLICATION_ID = 0x49414C43  # "IALC": PRAGMA application_id of our SQLite files


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ServerIdentity(Base):
    """This IC server: the host id a license must name, and its switchover partner."""

    __tablename__ = "server_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[str] = mapped_column(String(64))
    machine_name: Mapped[str] = mapped_column(String(255))
    product: Mapped[str] = mapped_column(String(64))
    switchover_host_id: Mapped[str | None] = mapped_column(String(64))
    switchover_machine_name: Mapped[str | None] = mapped_column(String(255))


class LicenseFile(Base):
    """Every license file loaded, with its exact bytes (history, R27)."""

    __tablename__ = "license_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    loaded_by: Mapped[str] = mapped_column(String(255))
    serial: Mapped[int] = mapped_column(BigInteger)  # 1 … 2^63−1 (int4 is too small)
    license_type: Mapped[str] = mapped_column(String(32))
    generated: Mapped[dt.date] = mapped_column(Date)
    expires: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    in_force: Mapped[bool] = mapped_column(Boolean, default=False)


class Entitlement(Base):
    """Assigned and pooled counts per key of the license in force (a cache of it)."""

    __tablename__ = "entitlement"
    __table_args__ = (
        CheckConstraint("assigned >= 0", name="assigned_not_negative"),
        CheckConstraint("pooled >= 0", name="pooled_not_negative"),
    )

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    assigned: Mapped[int] = mapped_column(Integer, default=0)
    pooled: Mapped[int] = mapped_column(Integer, default=0)


class KeyUsage(Base):
    """Counter rows kept in the same transaction as every change (R3).

    Counting half a million allocation rows per screen refresh is what makes admin
    tools slow; these rows make the Licenses Allocation counts O(keys), and the guarded
    write on them is where concurrent administrators serialise.
    """

    __tablename__ = "key_usage"
    __table_args__ = (
        CheckConstraint("assignable_configured >= 0", name="assignable_not_negative"),
        CheckConstraint("concurrent_configured >= 0", name="concurrent_not_negative"),
        CheckConstraint("concurrent_in_use >= 0", name="in_use_not_negative"),
    )

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    assignable_configured: Mapped[int] = mapped_column(Integer, default=0)
    concurrent_configured: Mapped[int] = mapped_column(Integer, default=0)
    concurrent_in_use: Mapped[int] = mapped_column(Integer, default=0)


class Station(Base):
    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    # Case-folded copies make case-insensitive uniqueness portable (SQLite, PostgreSQL).
    # Case folding can lengthen a name ("ß" → "ss"): the keys hold up to 4 × 255.
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), unique=True)
    station_type: Mapped[str] = mapped_column(String(32), default="workstation")
    connection_type: Mapped[str] = mapped_column(String(8), default="line")
    remote_number: Mapped[str | None] = mapped_column(String(64))
    licensed_machine_name: Mapped[str | None] = mapped_column(String(255))
    machine_name_key: Mapped[str | None] = mapped_column(String(NAME_KEY_LENGTH), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    licenses_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The ACD interaction types chosen for a Media 1 or Media 2 level (R18): comma-separated
    # InteractionType values, sorted; "" = none chosen (the level's default applies).
    acd_types: Mapped[str] = mapped_column(String(64), default="", server_default="")


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), unique=True)
    method: Mapped[str] = mapped_column(String(16), default="assignable")
    licenses_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Client Rights: "User-defined Telephone Number on Remote Login" (R24), on by default.
    remote_login: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    acd_types: Mapped[str] = mapped_column(String(64), default="", server_default="")  # R18


class StationLicense(Base):
    __tablename__ = "station_license"

    station_id: Mapped[int] = mapped_column(
        ForeignKey("station.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)


class UserLicense(Base):
    __tablename__ = "user_license"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)


class Workgroup(Base):
    __tablename__ = "workgroup"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH), unique=True)
    # Comma-separated InteractionType values, sorted: the queue's interaction types.
    interaction_types: Mapped[str] = mapped_column(String(64), default="call")


class WorkgroupMember(Base):
    __tablename__ = "workgroup_member"

    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class WorkgroupLicense(Base):
    """A license granted to a workgroup: every member holds it through the workgroup (R32)."""

    __tablename__ = "workgroup_license"

    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)


class LogonSession(Base):
    """A live logon: to a station, or Dynamic Remote with a phone number."""

    __tablename__ = "logon_session"
    __table_args__ = (UniqueConstraint("station_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    remote_number: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SessionLicense(Base):
    """Concurrent licenses a logged-on user acquired (Concurrent In Use)."""

    __tablename__ = "session_license"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("logon_session.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)


class AuditEvent(Base):
    """R30: when, OS user, what, before → after; hash-chained (services/audit.py): `seq`
    numbers the entries 1, 2, 3 … and `digest` covers the previous entry's digest, `seq`
    and every field, so an edited, inserted or deleted entry breaks the chain."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    os_user: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255), index=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))


class TrustedKey(Base):
    """A vendor public key this database trusts (R36): given at `init` (--trust-store or
    IA_LICENSING_TRUST_STORE), the throw-away demo key of `init --demo`, or the key of a
    license loaded with a trust store given on the command line."""

    __tablename__ = "trusted_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the raw 32 bytes
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(255))


class NoteSeen(Base):
    """When each compliance note was first seen: the Notes container's "Since" column.

    Notes are computed from the data (so they always follow every edit, R19); this table
    only remembers when each one appeared, and forgets it once it is resolved.
    """

    __tablename__ = "note_seen"

    rule: Mapped[str] = mapped_column(String(8), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    message: Mapped[str] = mapped_column(String(512), primary_key=True)
    since: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class UsageHour(Base):
    """R33: Concurrent In Use per key and hour, kept as it changes (services/history.py).

    One row per key per hour in which the count moved: the highest it reached (`peak`,
    counting the level it entered the hour with), where it ended (`last`, the level of the
    hours after it until the next row) and the key's allowed count at the time."""

    __tablename__ = "usage_hour"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    hour: Mapped[dt.datetime] = mapped_column(DateTime, primary_key=True, index=True)
    peak_in_use: Mapped[int] = mapped_column(Integer)
    last_in_use: Mapped[int] = mapped_column(Integer)
    allowed: Mapped[int] = mapped_column(Integer)


class UsageDenial(Base):
    """R33: a refused logon, kept raw: when, who, where, the rule and (if it names one) the
    key that was short."""

    __tablename__ = "usage_denial"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_name: Mapped[str] = mapped_column(String(255))
    station: Mapped[str | None] = mapped_column(String(255))
    remote_number: Mapped[str | None] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(8))
    key: Mapped[str | None] = mapped_column(String(128))
