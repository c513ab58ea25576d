"""Initialising a database: this server's identity, and the entitlements in force."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database, ServerIdentity
from ia_licensing.models.schema import Base
from ia_licensing.services import audit
from ia_licensing.services import trust as trust_keys
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotInitialised
from ia_licensing.services.holders import clean_name

DEFAULT_PRODUCT = "CIC 2019 R2"


@dataclass(frozen=True)
class ServerInfo:
    host_id: str
    machine_name: str
    product: str
    switchover_host_id: str | None
    switchover_machine_name: str | None


def server(db: Database) -> ServerInfo:
    with db.read() as session:
        identity = session.scalar(select(ServerIdentity))
        if identity is None:
            raise NotInitialised("the database is not initialised: run `ia-licensing init` first")
        return ServerInfo(
            identity.host_id,
            identity.machine_name,
            identity.product,
            identity.switchover_host_id,
            identity.switchover_machine_name,
        )


def is_initialised(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(ServerIdentity.id)) is not None


def initialise(
    db: Database,
    host_id: str,
    machine_name: str,
    *,
    product: str = DEFAULT_PRODUCT,
    switchover_host_id: str | None = None,
    switchover_machine_name: str | None = None,
    force: bool = False,
    trust: TrustStore | None = None,
) -> None:
    """Record this server's identity and the vendor keys it trusts (R36: `trust`, from
    --trust-store or IA_LICENSING_TRUST_STORE); with force, start again from empty."""
    if not host_id.strip() or not machine_name.strip():
        raise InvalidInput("init needs a non-blank --host-id and --machine-name")
    host_id = clean_name("host id", host_id, limit=64)
    machine_name = clean_name("machine name", machine_name)
    if switchover_host_id is not None:
        switchover_host_id = clean_name("switchover host id", switchover_host_id, limit=64)
    if switchover_machine_name is not None:
        switchover_machine_name = clean_name("switchover machine name", switchover_machine_name)
    if is_initialised(db):
        if not force:
            raise InvalidInput("the database is already initialised; add --force to start again")
        _empty(db)
    with db.write() as session:
        session.add(
            ServerIdentity(
                id=1,
                host_id=host_id,
                machine_name=machine_name,
                product=product,
                switchover_host_id=switchover_host_id,
                switchover_machine_name=switchover_machine_name,
            )
        )
        audit.record(session, AuditAction.INIT, machine_name, "", f"host id {host_id}")
        if trust is not None and len(trust):
            trust_keys.record(session, trust, "init --trust-store")


def _empty(db: Database) -> None:
    with db.write() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
