"""What `station set` and `user set` changed: one line per setting, before → after."""

from __future__ import annotations

from ia_licensing import catalog
from ia_licensing.catalog import InteractionType
from ia_licensing.services.holders import yes_no
from ia_licensing.services.stations import StationInfo
from ia_licensing.services.users import UserInfo


def _key_lines(name: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    lines = []
    for key in sorted(set(before) ^ set(after), key=lambda k: catalog.describe(k).display_name):
        held = ("not allocated", "allocated") if key in after else ("allocated", "not allocated")
        lines.append(f"{name}: {catalog.describe(key).display_name}: {held[0]} → {held[1]}")
    return lines


def _types(types: tuple[InteractionType, ...]) -> str:
    return ", ".join(t.label for t in types) or "(none chosen)"


def _lines(name: str, settings: list[tuple[str, str, str]]) -> list[str]:
    return [f"{name}: {label}: {old} → {new}" for label, old, new in settings if old != new]


def station_changes(before: StationInfo, after: StationInfo) -> list[str]:
    lines = _lines(
        after.name,
        [
            ("Enabled", yes_no(before.enabled), yes_no(after.enabled)),
            ("Enable Licenses", yes_no(before.licenses_enabled), yes_no(after.licenses_enabled)),
            (
                "Licensed Machine Name",
                before.licensed_machine_name or "(none)",
                after.licensed_machine_name or "(none)",
            ),
            ("ACD interaction types", _types(before.acd_types), _types(after.acd_types)),
        ],
    )
    lines += _key_lines(after.name, before.keys, after.keys)
    return lines or [f"{after.name}: nothing changed"]


def user_changes(before: UserInfo, after: UserInfo) -> list[str]:
    lines = _lines(
        after.name,
        [
            ("License allocation method", before.method.label, after.method.label),
            ("Enable Licenses", yes_no(before.licenses_enabled), yes_no(after.licenses_enabled)),
            ("Remote Login", yes_no(before.remote_login), yes_no(after.remote_login)),
            ("ACD interaction types", _types(before.acd_types), _types(after.acd_types)),
        ],
    )
    lines += _key_lines(after.name, before.keys, after.keys)
    return lines or [f"{after.name}: nothing changed"]
