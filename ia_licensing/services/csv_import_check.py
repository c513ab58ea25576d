"""CSV import, the check: one row after another, with the rules of adding one holder.

A row is checked as `stations.add_station_in` and `users.add_user_in` check it (names,
station types, R10, R2/R7/R8/R11–R13/R17 and capacity, R4), in memory: every row accepted
so far counts as added, so the rows are checked as if each were added in turn, and the
database is only read (the names taken, the Licensed Machine Names, each key's counts once).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.models import Station, User
from ia_licensing.rules import HolderKind, KeyCounts, Note, Pool, Refusal
from ia_licensing.services import usage
from ia_licensing.services.csv_import_write import NewHolder
from ia_licensing.services.errors import InvalidInput, Refused
from ia_licensing.services.holders import clean_name, resolve_key, shape_refusals
from ia_licensing.services.stations import StationType

_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0"}


def _flag(value: str, column: str, default: bool = True) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"{column} is yes or no, not {value!r}")


def _keys(value: str) -> frozenset[str]:
    return frozenset(resolve_key(k) for k in value.replace("|", ";").split(";") if k.strip())


class RowChecker:
    """The rules of adding one holder, for row after row without writing: each accepted
    row's name, Licensed Machine Name and licenses are taken as if it were added."""

    def __init__(self, session: Session, kind: HolderKind) -> None:
        self.session, self.kind = session, kind
        table = Station if kind is HolderKind.STATION else User
        self.taken = set(session.scalars(select(table.name_key)))
        self.machines: dict[str, str] = {}
        if kind is HolderKind.STATION:
            query = select(Station.machine_name_key, Station.name).where(
                Station.machine_name_key.is_not(None)
            )
            self.machines = {k: n for k, n in session.execute(query) if k is not None}
        self.base: dict[str, KeyCounts] = {}
        self.added: Counter[str] = Counter()  # Assignable holders accepted so far, per key
        self.room: dict[str, int] = {}  # Assignable Allowed - Configured, as stored (R4)
        self._clean: dict[tuple[frozenset[str], Pool | None], bool] = {}
        self._keys: dict[str, frozenset[str]] = {}
        self._shapes: dict[frozenset[str], list[Refusal]] = {}

    def row(self, row: dict[str, str]) -> tuple[NewHolder, list[Note]]:
        """The holder a row adds, and its notes; raise ServiceError when it is refused."""
        keys = self.keys(row.get("licenses", ""))
        licenses_enabled = _flag(row.get("enable_licenses", ""), "enable_licenses")
        if self.kind is HolderKind.STATION:
            return self._station(row, keys, licenses_enabled)
        return self._user(row, keys, licenses_enabled), []

    def keys(self, value: str) -> frozenset[str]:
        if value not in self._keys:
            self._keys[value] = _keys(value)
        return self._keys[value]

    def _name(self, noun: str, raw: str) -> str:
        name = clean_name(noun, raw)
        if name.casefold() in self.taken:
            raise InvalidInput(f"a {noun} named {name!r} already exists")
        return name

    def _user(self, row: dict[str, str], keys: frozenset[str], licenses_enabled: bool) -> NewHolder:
        raw_name = row["name"]
        clean_name("user", raw_name)
        try:
            method = Pool((row.get("method") or "assignable").strip().lower())
        except ValueError:
            raise InvalidInput(
                "the license allocation method is assignable or concurrent"
            ) from None
        name = self._name("user", raw_name)
        pool = rules.counting_pool(HolderKind.USER, method, licenses_enabled=licenses_enabled)
        self._licenses(name, keys, pool)
        self.taken.add(name.casefold())
        return NewHolder(name, keys, pool, licenses_enabled, method=method)

    def _station(
        self, row: dict[str, str], keys: frozenset[str], licenses_enabled: bool
    ) -> tuple[NewHolder, list[Note]]:
        enabled = _flag(row.get("enabled", ""), "enabled")
        raw_name = row["name"]
        clean_name("station", raw_name)
        station_type = (row.get("type") or "workstation").strip().lower().replace(" ", "-")
        try:
            kind = StationType(station_type)
        except ValueError:
            allowed = ", ".join(t.value for t in StationType)
            raise InvalidInput(
                f"unknown station type {station_type!r}: use one of {allowed}"
            ) from None
        name = self._name("station", raw_name)
        machine = row.get("licensed_machine_name", "").strip() or None
        taken_by = self.machines.get(machine.casefold()) if machine else None
        refusal = rules.machine_name_refusal(machine, taken_by)
        if refusal is not None:
            raise Refused(refusal)
        pool = rules.counting_pool(
            HolderKind.STATION, Pool.ASSIGNABLE, enabled=enabled, licenses_enabled=licenses_enabled
        )
        self._licenses(name, keys, pool)
        self.taken.add(name.casefold())
        if machine:
            self.machines[machine.casefold()] = name
        note = rules.station_note(
            name,
            enabled=enabled,
            basic_station_granted=licenses_enabled and catalog.BASIC_STATION in keys,
        )
        holder = NewHolder(
            name,
            keys,
            pool,
            licenses_enabled,
            station_type=kind.value,
            enabled=enabled,
            machine_name=machine,
        )
        return holder, [note] if note else []

    def _licenses(self, name: str, keys: frozenset[str], pool: Pool | None) -> None:
        """What `holders.transition` checks for a new holder, against the running counts."""
        if (keys, pool) not in self._clean:
            # Only the Assignable counts move from row to row; the rest is the same for
            # every row with these keys and pool, so it is asked of the rules once.
            self._clean[keys, pool] = not self._refusals(name, keys, pool, self.base_of(keys))
        if not self._clean[keys, pool] or (
            pool is Pool.ASSIGNABLE and any(self.added[k] >= self.room[k] for k in keys)
        ):
            counts = {key: self._counts(key) for key in keys}
            refusals = self._refusals(name, keys, pool, counts)
            if refusals:
                raise Refused(refusals)
        if pool is Pool.ASSIGNABLE:
            self.added.update(keys)

    def _refusals(
        self, name: str, keys: frozenset[str], pool: Pool | None, counts: dict[str, KeyCounts]
    ) -> list[Refusal]:
        if keys not in self._shapes:
            self._shapes[keys] = shape_refusals(self.kind, frozenset(), keys)
        if self._shapes[keys]:
            return self._shapes[keys]
        refusals = [
            problem
            for key in sorted(keys)
            if (problem := self._new_key_refusal(name, counts[key])) is not None
        ]
        if not refusals and pool is not None:
            refusals = rules.start_counting_refusals(name, dict.fromkeys(keys, 1), pool, counts)
        return refusals

    def _new_key_refusal(self, name: str, counts: KeyCounts) -> Refusal | None:
        """R2 for any holder, R8 for a station, whether or not the holder counts."""
        if not counts.purchased:
            return rules.not_purchased_refusal(counts, name)
        if self.kind is HolderKind.STATION:
            problem = rules.station_pool_refusal(counts)
            return Refusal(problem.rule, f"{name}: {problem.message}") if problem else None
        return None

    def base_of(self, keys: frozenset[str]) -> dict[str, KeyCounts]:
        """The keys' counts as stored (read once per key)."""
        missing = [k for k in keys if k not in self.base]
        if missing:
            self.base.update(usage.lock_counts(self.session, missing))
            for key in missing:
                counts = self.base[key]
                self.room[key] = counts.assignable_allowed - counts.assignable_configured
        return {k: self.base[k] for k in keys}

    def _counts(self, key: str) -> KeyCounts:
        """The key's counts with the rows accepted so far added."""
        base, added = self.base[key], self.added[key]
        if not added:
            return base
        return dataclasses.replace(base, assignable_configured=base.assignable_configured + added)
