"""`ia-licensing station …`, `user …` and `workgroup …`: add, set (licenses included),
delete, list."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from ia_licensing import catalog
from ia_licensing.catalog import Group
from ia_licensing.cli.changed import station_changes, user_changes
from ia_licensing.cli.output import print_json, print_notes, print_table
from ia_licensing.cli.suggest import licensed_keys, resolve
from ia_licensing.models import Database
from ia_licensing.services import compliance, stations, users, workgroups
from ia_licensing.services.errors import InvalidInput
from ia_licensing.services.holders import KeyEdit, yes_no

ACD_KEYS = {
    "media1": catalog.ACD_MEDIA_1,
    "media2": catalog.ACD_MEDIA_2,
    "media3": catalog.ACD_MEDIA_3,
}
IPA_KEYS = {
    "direct": catalog.IPA_DIRECT,
    "group": catalog.IPA_GROUP,
    "monitor": catalog.IPA_MONITOR,
    "designer": catalog.IPA_DESIGNER,
}
ANALYTICS_KEYS = {
    "core": catalog.ANALYTICS_CORE,
    "designer": catalog.ANALYTICS_DESIGNER,
    "enterprise": catalog.ANALYTICS_ENTERPRISE,
}


def key_edit(args: argparse.Namespace, licensed: frozenset[str] = frozenset()) -> KeyEdit:
    """The license flags as one edit; `licensed`: the keys the license in force carries,
    which a misspelling check must not refuse (cli/suggest.py)."""
    add: set[str] = set()
    remove: set[str] = set()
    for flag, key in (
        ("basic_station", catalog.BASIC_STATION),
        ("client_access", catalog.CLIENT_ACCESS),
        ("acd_social", catalog.ACD_SOCIAL_MEDIA),
    ):
        value = getattr(args, flag)
        if value is not None:
            (add if value else remove).add(key)
    add.update(resolve(k, licensed) for k in args.add_license)
    remove.update(resolve(k, licensed) for k in args.remove_license)
    for key in sorted(add & remove):
        name = catalog.describe(key).display_name
        raise InvalidInput(f"{name} is both added and removed: give one or the other")
    groups: dict[Group, str | None] = {}
    for group, choice, keys in (
        (Group.ACD_MEDIA, args.acd, ACD_KEYS),
        (Group.IPA, args.ipa, IPA_KEYS),
        (Group.ANALYTICS, args.analytics, ANALYTICS_KEYS),
    ):
        if choice is not None:
            groups[group] = keys.get(choice)
    return KeyEdit(add=frozenset(add), remove=frozenset(remove), groups=groups)


def cmd_station(db: Database, args: argparse.Namespace) -> None:
    if args.action == "add":
        notes = stations.add_station(
            db,
            args.name,
            args.type,
            machine_name=args.machine_name,
            enabled=not args.disabled,
            remote_number=args.remote_number,
        )
        print_notes(notes)
    elif args.action == "set":
        kwargs: dict[str, Any] = {}
        if args.machine_name is not None:
            kwargs["machine_name"] = args.machine_name
        edit = key_edit(args, licensed_keys(db))
        before = stations.get_station(db, args.name)
        notes = stations.update_station(
            db,
            args.name,
            edit=edit,
            enabled=args.enabled,
            licenses_enabled=args.licenses_enabled,
            acd_types=_acd_types(args),
            **kwargs,
        )
        print("\n".join(station_changes(before, stations.get_station(db, args.name))))
        print_notes(notes)
    elif args.action == "delete":
        stations.delete_station(db, args.name)
    else:
        rows = stations.list_stations(db)
        if args.json:
            print_json([_station_json(s) for s in rows])
        else:
            print_table(
                ("Name", "Type", "Licensed Machine Name", "Enabled", "Enable Licenses", "Licenses"),
                [
                    (
                        s.name,
                        s.station_type.label,
                        s.licensed_machine_name or "",
                        yes_no(s.enabled),
                        yes_no(s.licenses_enabled),
                        _names(s.keys),
                    )
                    for s in rows
                ],
            )


def _station_json(s: stations.StationInfo) -> dict[str, Any]:
    return {
        "name": s.name,
        "type": s.station_type.value,
        "licensed_machine_name": s.licensed_machine_name,
        "enabled": s.enabled,
        "licenses_enabled": s.licenses_enabled,
        "licenses": list(s.keys),
    }


def _acd_types(args: argparse.Namespace) -> list[str] | None:
    """--acd-types TYPE[,TYPE]: None when not given (the choice is left as it is)."""
    return None if args.acd_types is None else args.acd_types.split(",")


def _names(keys: Sequence[str]) -> str:
    return ", ".join(catalog.describe(k).display_name for k in keys)


def cmd_user(db: Database, args: argparse.Namespace) -> None:
    if args.action == "add":
        users.add_user(db, args.name, args.method)
    elif args.action == "set":
        edit = key_edit(args, licensed_keys(db))
        before = users.get_user(db, args.name)
        users.update_user(
            db,
            args.name,
            edit=edit,
            method=args.method,
            licenses_enabled=args.licenses_enabled,
            remote_login=args.remote_login,
            acd_types=_acd_types(args),
        )
        print("\n".join(user_changes(before, users.get_user(db, args.name))))
    elif args.action == "delete":
        users.delete_user(db, args.name)
    else:
        rows = users.list_users(db)
        if args.json:
            print_json([_user_json(u) for u in rows])
        else:
            print_table(
                (
                    "Name",
                    "License allocation method",
                    "Enable Licenses",
                    "Remote Login",
                    "Licenses",
                    "Inherited",
                ),
                [
                    (
                        u.name,
                        u.method.label,
                        yes_no(u.licenses_enabled),
                        yes_no(u.remote_login),
                        _names(u.keys),
                        _inherited(u.inherited),
                    )
                    for u in rows
                ],
            )


def _inherited(inherited: Mapping[str, Sequence[str]]) -> str:
    """ "Client Access (from Sales, Support)": what a user holds through workgroups."""
    return "; ".join(
        f"{catalog.describe(k).display_name} (from {', '.join(w)})" for k, w in inherited.items()
    )


def _user_json(u: users.UserInfo) -> dict[str, Any]:
    """A `user list --json` row (DESIGN.md): `licenses` are held directly; `inherited`
    are the licenses held through workgroup grants (R32), each with its workgroups."""
    return {
        "name": u.name,
        "method": u.method.value,
        "licenses_enabled": u.licenses_enabled,
        "remote_login": u.remote_login,
        "acd_types": [t.value for t in u.acd_types_in_effect],
        "licenses": list(u.keys),
        "inherited": {k: list(w) for k, w in u.inherited.items()},
    }


def cmd_workgroup(db: Database, args: argparse.Namespace) -> None:
    if args.action == "add":
        workgroups.add_workgroup(db, args.name, args.types.split(","))
    elif args.action == "set":
        workgroups.set_types(db, args.name, args.types.split(","))
    elif args.action == "delete":
        workgroups.delete_workgroup(db, args.name)
    elif args.action == "member":
        change = workgroups.add_member if args.member_action == "add" else workgroups.remove_member
        change(db, args.workgroup, args.user)
    else:
        rows = workgroups.list_workgroups(db)
        if args.json:
            print_json(
                [
                    {
                        "name": w.name,
                        "types": [t.value for t in w.interaction_types],
                        "members": list(w.members),
                        "licenses": list(w.licenses),
                    }
                    for w in rows
                ]
            )
        else:
            print_table(
                ("Name", "Interaction Types", "Members", "Licenses"),
                [
                    (
                        w.name,
                        ", ".join(t.label for t in w.interaction_types),
                        ", ".join(w.members),
                        _names(w.licenses),
                    )
                    for w in rows
                ],
            )
    if args.action != "list":
        print_notes([n for n in compliance.notes(db) if n.rule in ("R18", "R32")])
