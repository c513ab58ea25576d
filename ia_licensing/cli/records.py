"""`ia-licensing init`, `allocate`/`deallocate`, `allocations`, `notes` and `audit`: the
server's set-up and the license records that span every holder."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

from ia_licensing import catalog, licensefile
from ia_licensing.cli.output import AlreadyReported, print_json, print_table, table_time, warn
from ia_licensing.cli.samples import write_samples
from ia_licensing.cli.suggest import licensed_keys, resolve
from ia_licensing.models import Database
from ia_licensing.services import allocation, audit, compliance, demo, integrity, licensing, setup
from ia_licensing.services.errors import ServiceError
from ia_licensing.services.report import ALLOCATION_HEADERS, allocation_values


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
    with db.all_or_nothing():  # a kill part-way leaves the database as it was
        setup.initialise(
            db,
            host_id,
            machine,
            switchover_host_id=args.switchover_host_id,
            switchover_machine_name=args.switchover_machine_name,
            force=args.force,
            trust=args.trust,
        )
        if license_bytes is not None:
            licensing.load_license(db, license_bytes, args.trust)
        demo_key = demo.build_demo(db) if args.demo else None
    print(f"initialised {db.location} for {machine} (host id {host_id})")
    if demo_key is not None:  # the README's sample files; then the key is forgotten
        write_samples(db, demo.sample_files(db, demo_key))


def cmd_allocate(db: Database, args: argparse.Namespace) -> None:
    change = allocation.allocate if args.command == "allocate" else allocation.deallocate
    key = resolve(args.key, licensed_keys(db))  # "did you mean …?" for a misspelt key
    result = change(db, key, stations=args.station, users=args.user, workgroups=args.workgroup)
    verb = "allocated to" if args.command == "allocate" else "removed from"
    name = catalog.describe(key).display_name
    print(f"{name}: {verb} {result.changed}, unchanged {result.unchanged}")


def cmd_allocations(db: Database, args: argparse.Namespace) -> None:
    rows = allocation.allocations(db)
    if args.json:  # a row's notes, shaped as `notes --json` shows them: its own R6 notes,
        # and the license-wide ones its Notes column carries (R28: the license expired)
        dated = compliance.dated_notes(db)

        def notes_of(row: allocation.AllocationRow) -> list[dict[str, object]]:
            return [
                dataclasses.asdict(n)
                for n in dated
                if (n.subject == row.name if n.rule == "R6" else n.message in row.notes)
            ]

        print_json([dataclasses.asdict(r) | {"notes": notes_of(r)} for r in rows])
    else:
        print_table(
            list(ALLOCATION_HEADERS),
            [allocation_values(r) for r in rows],
        )


def cmd_notes(db: Database, args: argparse.Namespace) -> None:
    rows = compliance.dated_notes(db)
    if args.json:
        print_json([dataclasses.asdict(n) for n in rows])
    else:
        print_table(
            ("Rule", "Subject", "Message", "Since"),
            [(n.rule, n.subject, n.message, table_time(n.since)) for n in rows],
        )


def cmd_audit(db: Database, args: argparse.Namespace) -> None:
    if args.action == "verify":
        cmd_audit_verify(db, args)
        return
    rows = audit.recent(db, max(1, args.limit))
    if args.json:
        print_json([dataclasses.asdict(e) for e in rows])
    else:
        print_table(
            ("When", "OS user", "Action", "Subject", "Before", "After"),
            [(table_time(e.at), e.os_user, e.action, e.subject, e.before, e.after) for e in rows],
        )


def cmd_audit_verify(db: Database, args: argparse.Namespace) -> None:
    """R30: the chain, the counters, the license in force; exit 1 naming each finding."""
    findings = integrity.verify(db, args.trust)
    if args.json:
        print_json([dataclasses.asdict(f) for f in findings])
    if not findings:
        if not args.json:
            print("audit trail, counters and license in force verified: nothing was altered")
        return
    if not args.json:
        for finding in findings:
            print(finding)
    count = len(findings)
    warn(
        f"refused (R30): audit verify found {count} problem{'s' if count > 1 else ''}; "
        f"first: {findings[0]}"
    )
    raise AlreadyReported
