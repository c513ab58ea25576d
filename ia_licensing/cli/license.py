"""`ia-licensing license …`: load, show, history, and the vendor side (keygen, issue)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

from ia_licensing import catalog, licensefile
from ia_licensing.cli.output import print_json, print_notes, print_table, table_time
from ia_licensing.licensefile import (
    License,
    LicenseCount,
    LicenseFileError,
    LicenseType,
    ServerInfo,
    TrustStore,
)
from ia_licensing.models import Database
from ia_licensing.services import licensing
from ia_licensing.services.errors import InvalidInput


def needs_database(args: argparse.Namespace) -> bool:
    return not (args.command == "license" and args.action in ("keygen", "issue"))


def run_license(db: Database | None, args: argparse.Namespace, trust: TrustStore) -> None:
    if args.action == "keygen":
        keygen(args.key_id, Path(args.private), Path(args.public))
        print(f"wrote {args.private} (keep it secret) and {args.public} (put it in a trust store)")
        return
    if args.action == "issue":
        data = licensefile.issue_license(
            _license_from(args), Path(args.signing_key).read_bytes(), args.key_id
        )
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out}")
        return
    assert db is not None
    if args.action == "load":
        data = licensefile.read_license_bytes(args.file)
        if args.against_usage and not args.dry_run:
            raise InvalidInput("--against-usage goes with --dry-run")
        since = dt.datetime.combine(args.since, dt.time()) if args.since else None
        report = licensing.load_license(
            db, data, trust, dry_run=args.dry_run, against_usage=args.against_usage, since=since
        )
        if args.json:
            print_json(dataclasses.asdict(report) | {"license": _summary(report.license)})
            return
        print_table(
            ("Name", "Assignable Allowed", "Concurrent Allowed", "Configured (A/C)"),
            [
                (
                    c.name,
                    _arrow(c.before[0], c.after[0]),
                    _arrow(c.before[1], c.after[1]),
                    f"{c.configured[0]}/{c.configured[1]}",
                )
                for c in report.changes
            ],
        )
        if args.against_usage:
            print_table(
                ("Name", "Peak In Use", "New Allowed", "Would Have Been Refused"),
                [
                    (u.name, u.peak_in_use, u.new_allowed, u.would_have_been_refused)
                    for u in report.usage
                ],
            )
        print_notes(report.notes)
        lic = report.license
        what = f"{lic.license_type.value}, serial {lic.serial}, expires {lic.expires}"
        print(f"License loaded: {what}" if report.applied else f"Dry run ({what}): nothing changed")
    elif args.action == "show":
        current = licensing.in_force(db, trust)
        if current is None:
            raise InvalidInput("no verified license is in force: load one with `license load`")
        if args.json:
            print_json(_summary(current))
            return
        for label, value in _summary(current).items():
            if label not in ("features", "licenses"):
                print(f"{label.replace('_', ' ').capitalize()}: {value}")
        print("Features: " + ", ".join(current.features))
        print_table(
            ("License", "Name", "Assigned", "Pooled"),
            [
                (c.key, catalog.describe(c.key).display_name, c.assigned, c.pooled)
                for c in current.licenses
            ],
        )
    else:
        rows = licensing.history(db)
        if args.json:
            print_json([dataclasses.asdict(r) for r in rows])
            return
        print_table(
            ("Loaded", "By", "Serial", "Type", "Generated", "Expires", "In force"),
            [
                (
                    table_time(r.loaded_at),
                    r.loaded_by,
                    r.serial,
                    r.license_type,
                    r.generated,
                    r.expires,
                    "Yes" if r.in_force else "",
                )
                for r in rows
            ],
        )


def keygen(key_id: str, private_path: Path, public_path: Path) -> None:
    """A signing key pair: never over an existing file (a signing key overwritten is lost
    for good), the private key readable by its owner only (0600)."""
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise InvalidInput(
                f"{path} already exists; keygen never overwrites a file (a signing key "
                "replaced is lost for good): choose another name or move it away first"
            )
    if private_path.resolve() == public_path.resolve():
        raise InvalidInput("--private and --public must be two different files")
    private, public = licensefile.generate_key_pair(key_id)
    _write_new(private_path, private, 0o600)
    try:
        _write_new(public_path, public, 0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create `path` (refused if it exists, even if it appeared just now) with `mode`."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(descriptor, mode)  # whatever the umask
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
    os.close(descriptor)


def _arrow(before: int, after: int) -> str:
    return str(after) if before == after else f"{before} → {after}"


def _summary(lic: License) -> dict[str, Any]:
    return {
        "product": lic.product,
        "license_type": lic.license_type.value,
        "serial": lic.serial,
        "generated": lic.generated.isoformat(),
        "expires": lic.expires.isoformat(),
        "host_id": lic.server.host_id,
        "machine_name": lic.server.machine_name,
        "switchover_host_id": lic.switchover.host_id if lic.switchover else None,
        "features": list(lic.features),
        "licenses": {c.key: {"assigned": c.assigned, "pooled": c.pooled} for c in lic.licenses},
    }


def _key(text: str) -> str:
    """A key as the command line takes it everywhere: display name or key, any case."""
    found = catalog.find(text)
    return found.key if found is not None else text.strip().upper()  # R26 says what is wrong


def _license_from(args: argparse.Namespace) -> License:
    kind = LicenseType(args.type)
    generated = args.generated or dt.date.today()
    size = args.size
    if kind in licensefile.DEVELOPMENT_TYPES:
        size = size or "small"
    elif size is not None:
        raise InvalidInput(f"--size is for development licenses only, not {kind.value}")
    counts = []
    for text in args.license:
        key, sep, numbers = text.partition("=")
        assigned, sep2, pooled = numbers.partition(":")
        if not (sep and sep2 and assigned.isdigit() and pooled.isdigit()):
            raise InvalidInput(f"--license takes KEY=ASSIGNED:POOLED, not {text!r}")
        counts.append(LicenseCount(_key(key), int(assigned), int(pooled)))
    switchover = None
    if args.switchover_host_id:
        name = args.switchover_machine_name or f"{args.machine_name}-switchover"
        switchover = ServerInfo(args.switchover_host_id, name)
    try:
        return License(
            product=args.product,
            license_type=kind,
            serial=args.serial,
            generated=generated,
            expires=args.expires or licensefile.default_expiry(kind, generated),
            server=ServerInfo(args.host_id, args.machine_name),
            switchover=switchover,
            features=tuple(_key(f) for f in args.feature),
            licenses=tuple(counts),
            size=size,
        )
    except (ValueError, LicenseFileError) as error:
        raise InvalidInput(str(error)) from None
