"""`ia-licensing logon USER (--station S | --remote-number N)`, `logoff USER`, `sessions`.

Refusals (R20–R24) raise services.errors.Refused, so cli.main prints `refused (R2x): …`
and exits 1, like every other command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ia_licensing import catalog
from ia_licensing.cli.output import print_json, print_table
from ia_licensing.models import Database
from ia_licensing.services import logon


def add_logon_parsers(commands: Any) -> None:
    """Add `logon`, `logoff` and `sessions` to the command line's subparsers."""
    on = commands.add_parser("logon", help="log a user on (R20–R25)")
    on.add_argument("user")
    where = on.add_mutually_exclusive_group(required=True)
    where.add_argument("--station", metavar="S", help="the station to log on to")
    where.add_argument(
        "--remote-number", metavar="N", help="Dynamic Remote: the phone number to use"
    )
    commands.add_parser("logoff", help="log a user off").add_argument("user")
    listing = commands.add_parser("sessions", help="live logon sessions")
    listing.add_argument("--json", action="store_true", help="print JSON")


def _names(keys: tuple[str, ...]) -> str:
    return ", ".join(catalog.describe(k).display_name for k in keys) or "none"


def cmd_logon(db: Database, args: argparse.Namespace) -> None:
    result = logon.logon(db, args.user, station=args.station, remote_number=args.remote_number)
    if result.logged_off_from is not None:
        print(f"{result.user} logged off from {result.logged_off_from} (R21)")
    print(f"{result.user} logged on to {result.location}")
    print(f"acquired: {_names(result.acquired)}")
    if result.reused:
        print(f"reused, not counted again: {_names(result.reused)}")
    for key, reason in result.not_acquired:
        print(f"not acquired (R23): {catalog.describe(key).display_name}: {reason}")


def cmd_logoff(db: Database, args: argparse.Namespace) -> None:
    logon.logoff(db, args.user)
    print(f"{args.user} logged off")


def cmd_sessions(db: Database, args: argparse.Namespace) -> None:
    rows = logon.sessions(db)
    if args.json:
        print_json(
            [
                {
                    "user": s.user,
                    "station": s.station,
                    "remote_number": s.remote_number,
                    "since": s.since.isoformat(),
                    "licenses": list(s.licenses),
                }
                for s in rows
            ]
        )
    else:
        print_table(
            ("User", "Station", "Remote Number", "Since", "Licenses"),
            [
                (
                    s.user,
                    s.station or "",
                    s.remote_number or "",
                    s.since.isoformat(" ", "seconds"),
                    _names(s.licenses),
                )
                for s in rows
            ],
        )


LOGON_COMMANDS: dict[str, Callable[[Database, argparse.Namespace], None]] = {
    "logon": cmd_logon,
    "logoff": cmd_logoff,
    "sessions": cmd_sessions,
}
