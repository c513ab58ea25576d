"""Stations: add, edit (Licensing tab), delete, list (Station Licensing, R7–R12, R14, R15)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.models import Database, Station, StationLicense
from ia_licensing.rules import HolderKind, Note, Pool
from ia_licensing.services import audit, sessions
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.holders import (
    HolderState,
    KeyEdit,
    acd_types_to_store,
    clean_name,
    describe_keys,
    parse_acd_types,
    stored_acd_types,
    transition,
    yes_no,
)


class StationType(StrEnum):
    WORKSTATION = "workstation"
    MANAGED_WORKSTATION = "managed-workstation"
    STAND_ALONE_FAX = "stand-alone-fax"
    STAND_ALONE_PHONE = "stand-alone-phone"
    REMOTE = "remote"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").title().replace("Stand Alone", "Stand-alone")


class _Unset:
    """Marks an optional argument the caller did not give (None means "clear it")."""


UNSET = _Unset()


@dataclass(frozen=True)
class StationInfo:
    name: str
    station_type: StationType
    licensed_machine_name: str | None
    enabled: bool
    licenses_enabled: bool
    keys: tuple[str, ...]
    connection_type: str = "line"
    remote_number: str | None = None
    acd_types: tuple[InteractionType, ...] = ()  # chosen for Media 1 or 2 (R18); () = none


def _find(session: Session, name: str) -> Station:
    station = session.scalar(select(Station).where(Station.name_key == rules.name_key(name)))
    if station is None:
        raise NotFound(f"no station named {name!r}")
    return station


def _keys(session: Session, station_id: int) -> frozenset[str]:
    query = select(StationLicense.key).where(StationLicense.station_id == station_id)
    return frozenset(session.scalars(query))


def _state(station: Station, keys: frozenset[str]) -> HolderState:
    pool = rules.counting_pool(
        HolderKind.STATION,
        Pool.ASSIGNABLE,
        enabled=station.enabled,
        licenses_enabled=station.licenses_enabled,
    )
    return HolderState(pool, keys)


def _set_machine_name(session: Session, station: Station, machine_name: str | None) -> None:
    """R10: Licensed Machine Name, when set, is not blank and unique (case-insensitive);
    R37: NFC, at most 255 characters, nothing invisible."""
    taken_by = None
    if machine_name is not None and machine_name.strip():
        machine_name = rules.normalise_name(machine_name)
        problem = rules.name_refusal("Licensed Machine Name", machine_name)
        if problem is not None:
            raise Refused(problem)
        taken_by = session.scalar(
            select(Station.name).where(
                Station.machine_name_key == rules.name_key(machine_name),
                Station.id != station.id,
            )
        )
    refusal = rules.machine_name_refusal(machine_name, taken_by, station.licensed_machine_name)
    if refusal is not None:
        raise Refused(refusal)
    station.licensed_machine_name = machine_name.strip() if machine_name else None
    station.machine_name_key = rules.name_key(machine_name) if machine_name else None


def _save_keys(
    session: Session, station: Station, old: frozenset[str], new: frozenset[str]
) -> None:
    if old - new:
        session.execute(
            delete(StationLicense).where(
                StationLicense.station_id == station.id, StationLicense.key.in_(old - new)
            )
        )
    for key in sorted(new - old):
        session.add(StationLicense(station_id=station.id, key=key))


def _notes(station: Station, keys: frozenset[str]) -> list[Note]:
    note = rules.station_note(
        station.name,
        enabled=station.enabled,
        basic_station_granted=station.licenses_enabled and catalog.BASIC_STATION in keys,
    )
    return [note] if note else []


def add_station(
    db: Database,
    name: str,
    station_type: StationType | str = StationType.WORKSTATION,
    *,
    machine_name: str | None = None,
    enabled: bool = True,
    licenses_enabled: bool = True,
    keys: frozenset[str] = frozenset(),
    connection_type: str = "line",
    remote_number: str | None = None,
    acd_types: Iterable[InteractionType | str] = (),
) -> list[Note]:
    """Add a station with its licenses; returns the notes it raises (R9). `acd_types`: the
    interaction types chosen for a Media 1 or Media 2 level (R18)."""
    with db.write() as session:
        return add_station_in(
            session,
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


def add_station_in(
    session: Session,
    name: str,
    station_type: StationType | str = StationType.WORKSTATION,
    *,
    machine_name: str | None = None,
    enabled: bool = True,
    licenses_enabled: bool = True,
    keys: frozenset[str] = frozenset(),
    connection_type: str = "line",
    remote_number: str | None = None,
    acd_types: Iterable[InteractionType | str] = (),
) -> list[Note]:
    """add_station inside the caller's transaction (CSV import adds many in one)."""
    name = clean_name("station", name)
    try:
        kind = StationType(station_type)
    except ValueError:
        allowed = ", ".join(t.value for t in StationType)
        raise InvalidInput(f"unknown station type {station_type!r}: use one of {allowed}") from None
    if connection_type not in ("line", "sip"):
        raise InvalidInput("connection type is line or sip")
    if remote_number is not None:
        remote_number = clean_name("remote number", remote_number, limit=64)
    if session.scalar(select(Station.id).where(Station.name_key == rules.name_key(name))):
        raise InvalidInput(f"a station named {name!r} already exists")
    station = Station(
        name=name,
        name_key=rules.name_key(name),
        station_type=kind.value,
        connection_type=connection_type,
        remote_number=remote_number,
        enabled=enabled,
        licenses_enabled=licenses_enabled,
    )
    session.add(station)
    session.flush()
    _set_machine_name(session, station, machine_name)
    transition(session, HolderKind.STATION, name, None, _state(station, keys))
    chosen = parse_acd_types(str(t) for t in acd_types)
    station.acd_types = acd_types_to_store(keys, "", chosen)
    _save_keys(session, station, frozenset(), keys)
    audit.record(session, AuditAction.STATION_ADD, name, "", describe_keys(keys))
    return _notes(station, keys)


def update_station(
    db: Database,
    name: str,
    *,
    edit: KeyEdit | None = None,
    enabled: bool | None = None,
    licenses_enabled: bool | None = None,
    machine_name: str | _Unset | None = UNSET,
    acd_types: Iterable[InteractionType | str] | None = None,
) -> list[Note]:
    """The Licensing tab's OK/Apply: one transaction, refused as a whole (R4, R7–R12, R14,
    R18 for the chosen ACD interaction types)."""
    with db.write() as session:
        station = _find(session, name)
        old_keys = _keys(session, station.id)
        before = _state(station, old_keys)
        was = (
            station.enabled,
            station.licenses_enabled,
            station.licensed_machine_name,
            station.acd_types,
        )
        if enabled is not None:
            station.enabled = enabled
        if licenses_enabled is not None:
            station.licenses_enabled = licenses_enabled
        if not isinstance(machine_name, _Unset):
            _set_machine_name(session, station, machine_name)
        new_keys = edit.apply(old_keys) if edit else old_keys
        transition(session, HolderKind.STATION, station.name, before, _state(station, new_keys))
        chosen = None if acd_types is None else parse_acd_types(str(t) for t in acd_types)
        station.acd_types = acd_types_to_store(new_keys, station.acd_types, chosen)
        _save_keys(session, station, old_keys, new_keys)
        now = (
            station.enabled,
            station.licenses_enabled,
            station.licensed_machine_name,
            station.acd_types,
        )
        if new_keys != old_keys or now != was:
            audit.record(
                session,
                AuditAction.STATION_UPDATE,
                station.name,
                _summary(was, old_keys),
                _summary(now, new_keys),
            )
        return _notes(station, new_keys)


def _summary(flags: tuple[bool, bool, str | None, str], keys: frozenset[str]) -> str:
    enabled, licenses_enabled, machine, acd_types = flags
    return (
        f"Station Enabled: {yes_no(enabled)}; Enable Licenses: {yes_no(licenses_enabled)}; "
        f"Licensed Machine Name: {machine or 'none'}; "
        f"ACD Interaction Types: {acd_types or 'none'}; Licenses: {describe_keys(keys)}"
    )


def delete_station(db: Database, name: str) -> None:
    """R15: deleting releases its allocations and ends its sessions."""
    delete_stations(db, [name])


def delete_stations(db: Database, names: Iterable[str]) -> None:
    """R15 for several stations, all or none: one that is not found deletes nothing."""
    with db.write() as session:
        for name in names:
            station = _find(session, name)
            keys = _keys(session, station.id)
            sessions.end_sessions_on_station(session, station.id)
            transition(session, HolderKind.STATION, station.name, _state(station, keys), None)
            session.delete(station)
            audit.record(
                session, AuditAction.STATION_DELETE, station.name, describe_keys(keys), "deleted"
            )


def get_station(db: Database, name: str) -> StationInfo:
    with db.read() as session:
        station = _find(session, name)
        return _info(station, _keys(session, station.id))


def _info(station: Station, keys: frozenset[str]) -> StationInfo:
    return StationInfo(
        station.name,
        StationType(station.station_type),
        station.licensed_machine_name,
        station.enabled,
        station.licenses_enabled,
        tuple(sorted(keys)),
        station.connection_type,
        station.remote_number,
        tuple(sorted(stored_acd_types(station.acd_types))),
    )


def list_stations(db: Database) -> list[StationInfo]:
    """Every station with its keys, in two queries whatever the count."""
    with db.read() as session:
        keys_by_station: dict[int, list[str]] = {}
        for station_id, key in session.execute(
            select(StationLicense.station_id, StationLicense.key)
        ):
            keys_by_station.setdefault(station_id, []).append(key)
        stations = session.scalars(select(Station).order_by(Station.name_key))
        return [_info(s, frozenset(keys_by_station.get(s.id, ()))) for s in stations]


def station_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Station)) or 0
