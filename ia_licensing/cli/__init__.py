"""The headless command line: `ia-licensing [--db …] COMMAND …`.

Exit 0 when done; 1 when refused or the input is invalid, with one line on stderr that
names the rule; 2 for a usage error. Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ia_licensing import catalog, licensefile
from ia_licensing.catalog import Group
from ia_licensing.cli.data import cmd_export, cmd_import
from ia_licensing.cli.license import needs_database, run_license
from ia_licensing.cli.logon import LOGON_COMMANDS
from ia_licensing.cli.output import (
    EXIT_DONE,
    EXIT_INTERRUPTED,
    print_json,
    print_notes,
    print_table,
    report_failure,
    warn,
)
from ia_licensing.cli.parser import build_parser
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database, default_database_path
from ia_licensing.services import (
    allocation,
    audit,
    compliance,
    demo,
    licensing,
    setup,
    stations,
    users,
    workgroups,
)
from ia_licensing.services.errors import ServiceError
from ia_licensing.services.holders import KeyEdit, resolve_key

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

ALLOCATION_COLUMNS = allocation.COLUMNS


def key_edit(args: argparse.Namespace) -> KeyEdit:
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
    add.update(resolve_key(k) for k in args.add_license)
    remove.update(resolve_key(k) for k in args.remove_license)
    groups: dict[Group, str | None] = {}
    for group, choice, keys in (
        (Group.ACD_MEDIA, args.acd, ACD_KEYS),
        (Group.IPA, args.ipa, IPA_KEYS),
        (Group.ANALYTICS, args.analytics, ANALYTICS_KEYS),
    ):
        if choice is not None:
            groups[group] = keys.get(choice)
    return KeyEdit(add=frozenset(add), remove=frozenset(remove), groups=groups)


def cmd_init(db: Database, args: argparse.Namespace) -> None:
    host_id = args.host_id or (demo.DEMO_HOST_ID if args.demo else None)
    machine = args.machine_name or (demo.DEMO_MACHINE_NAME if args.demo else None)
    if not host_id or not machine:
        raise ServiceError("init needs --host-id and --machine-name (or --demo)")
    license_bytes = None
    if args.license:  # IC Setup Assistant's "Select Your License File": check before writing
        license_bytes = licensefile.read_license_bytes(args.license)
        lic = licensefile.read_license(license_bytes, args.trust).license
        licensefile.check_validity(
            lic, host_id=host_id, product=setup.DEFAULT_PRODUCT, now=dt.datetime.now(dt.UTC)
        )
    setup.initialise(
        db,
        host_id,
        machine,
        switchover_host_id=args.switchover_host_id,
        switchover_machine_name=args.switchover_machine_name,
        force=args.force,
    )
    if license_bytes is not None:
        licensing.load_license(db, license_bytes, args.trust)
    if args.demo:
        demo.build_demo(db)
    print(f"initialised {db.url} for {machine} (host id {host_id})")


def cmd_station(db: Database, args: argparse.Namespace) -> None:
    if args.action == "add":
        notes = stations.add_station(
            db, args.name, args.type, machine_name=args.machine_name, enabled=not args.disabled
        )
        print_notes(notes)
    elif args.action == "set":
        kwargs: dict[str, Any] = {}
        if args.machine_name is not None:
            kwargs["machine_name"] = args.machine_name
        notes = stations.update_station(
            db,
            args.name,
            edit=key_edit(args),
            enabled=args.enabled,
            licenses_enabled=args.licenses_enabled,
            **kwargs,
        )
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
                        _yes(s.enabled),
                        _yes(s.licenses_enabled),
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


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _names(keys: Sequence[str]) -> str:
    return ", ".join(catalog.describe(k).display_name for k in keys)


def cmd_user(db: Database, args: argparse.Namespace) -> None:
    if args.action == "add":
        users.add_user(db, args.name, args.method)
    elif args.action == "set":
        users.update_user(
            db,
            args.name,
            edit=key_edit(args),
            method=args.method,
            licenses_enabled=args.licenses_enabled,
        )
    elif args.action == "delete":
        users.delete_user(db, args.name)
    else:
        rows = users.list_users(db)
        if args.json:
            print_json(
                [
                    {
                        "name": u.name,
                        "method": u.method.value,
                        "licenses_enabled": u.licenses_enabled,
                        "licenses": list(u.keys),
                    }
                    for u in rows
                ]
            )
        else:
            print_table(
                ("Name", "License allocation method", "Enable Licenses", "Licenses"),
                [(u.name, u.method.label, _yes(u.licenses_enabled), _names(u.keys)) for u in rows],
            )


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
                    }
                    for w in rows
                ]
            )
        else:
            print_table(
                ("Name", "Interaction Types", "Members"),
                [
                    (w.name, ", ".join(t.label for t in w.interaction_types), ", ".join(w.members))
                    for w in rows
                ],
            )
    if args.action != "list":
        print_notes([n for n in compliance.notes(db) if n.rule == "R18"])


def cmd_allocate(db: Database, args: argparse.Namespace) -> None:
    change = allocation.allocate if args.command == "allocate" else allocation.deallocate
    result = change(db, args.key, stations=args.station, users=args.user)
    verb = "allocated to" if args.command == "allocate" else "removed from"
    name = catalog.describe(resolve_key(args.key)).display_name
    print(f"{name}: {verb} {result.changed}, unchanged {result.unchanged}")


def cmd_allocations(db: Database, args: argparse.Namespace) -> None:
    rows = allocation.allocations(db)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
    else:
        print_table(
            [h for h, _ in ALLOCATION_COLUMNS],
            [r.values() for r in rows],
        )


def cmd_notes(db: Database, args: argparse.Namespace) -> None:
    rows = compliance.notes(db)
    if args.json:
        print_json([dataclasses.asdict(n) for n in rows])
    else:
        print_table(("Rule", "Subject", "Message"), [(n.rule, n.subject, n.message) for n in rows])


def cmd_audit(db: Database, args: argparse.Namespace) -> None:
    rows = audit.recent(db, max(1, args.limit))
    if args.json:
        print_json([dataclasses.asdict(e) for e in rows])
    else:
        print_table(
            ("When", "OS user", "Action", "Subject", "Before", "After"),
            [
                (e.at.isoformat(" ", "seconds"), e.os_user, e.action, e.subject, e.before, e.after)
                for e in rows
            ],
        )


COMMANDS: dict[str, Callable[[Database, argparse.Namespace], None]] = {
    "init": cmd_init,
    "station": cmd_station,
    "user": cmd_user,
    "workgroup": cmd_workgroup,
    "allocate": cmd_allocate,
    "deallocate": cmd_allocate,
    "allocations": cmd_allocations,
    "notes": cmd_notes,
    "audit": cmd_audit,
    "license": lambda db, args: run_license(db, args, args.trust),
    "import": cmd_import,
    "export": cmd_export,
    **LOGON_COMMANDS,
}


def trust_store(directory: str | None) -> TrustStore:
    return TrustStore.from_directory(directory) if directory else TrustStore.default()


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from ia_licensing.__main__ import main as open_console

        return open_console(["--db", args.db] if args.db else [])
    args.trust = trust_store(args.trust_store)
    if not needs_database(args):
        run_license(None, args, args.trust)
        return EXIT_DONE
    db = Database(args.db or str(default_database_path()))
    try:
        if args.command != "init":
            setup.server(db)
            if licensing.reverify(db, args.trust):
                warn(
                    "warning: the entitlements did not match the verified license in force "
                    "and were rewritten from it"
                )
        COMMANDS[args.command](db, args)
    finally:
        db.close()
    return EXIT_DONE


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return report_failure(error)
