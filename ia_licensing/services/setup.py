"""Initialising a database: this server's identity, and the entitlements in force."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select

from ia_licensing import catalog
from ia_licensing.models import Database, Entitlement, ServerIdentity
from ia_licensing.models.schema import Base
from ia_licensing.services import audit, usage
from ia_licensing.services.errors import InvalidInput, NotInitialised

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
) -> None:
    """Record this server's identity; with force, start again from an empty database."""
    if not host_id.strip() or not machine_name.strip():
        raise InvalidInput("init needs a non-blank --host-id and --machine-name")
    if is_initialised(db):
        if not force:
            raise InvalidInput("the database is already initialised; add --force to start again")
        _empty(db)
    with db.write() as session:
        session.add(
            ServerIdentity(
                id=1,
                host_id=host_id.strip(),
                machine_name=machine_name.strip(),
                product=product,
                switchover_host_id=switchover_host_id,
                switchover_machine_name=switchover_machine_name,
            )
        )
        audit.record(session, "init", machine_name, "", f"host id {host_id}")


def _empty(db: Database) -> None:
    with db.write() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))


def set_entitlements(db: Database, counts: Mapping[str, tuple[int, int]], source: str) -> None:
    """Replace the entitlements in force: key → (assigned, pooled).

    Allocations are never deleted: a smaller entitlement shows as R6 notes.
    """
    for key, (assigned, pooled) in counts.items():
        if assigned < 0 or pooled < 0:
            raise InvalidInput(f"{key}: counts cannot be negative")
    with db.write() as session:
        before = {e.key: (e.assigned, e.pooled) for e in session.scalars(select(Entitlement))}
        session.execute(delete(Entitlement))
        for key, (assigned, pooled) in sorted(counts.items()):
            session.add(Entitlement(key=key, assigned=assigned, pooled=pooled))
        usage.ensure_usage_rows(session, [k for k in counts if catalog.describe(k).allocatable])
        changed = [
            (
                catalog.describe(k).display_name,
                _pair(before.get(k)),
                _pair(counts.get(k)),
            )
            for k in sorted(before.keys() | counts.keys())
            if before.get(k) != counts.get(k)
        ]
        audit.record(session, "license load", source, f"{len(before)} keys", f"{len(counts)} keys")
        audit.record_many(session, "entitlement", changed)


def _pair(value: tuple[int, int] | None) -> str:
    return "none" if value is None else f"{value[0]} assigned, {value[1]} pooled"
