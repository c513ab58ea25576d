"""`ia-licensing logon USER (--station S | --remote-number N)`, `logoff USER`, `sessions`
(`sessions replay` and `usage`: cli/usage.py).

Refusals (R20–R24) raise services.errors.Refused, so the command line prints
`refused (R2x): …` (cli/output.py) and exits 1, like every other command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ia_licensing import catalog
from ia_licensing.cli.output import json_time, print_json, print_table, table_time
from ia_licensing.cli.usage import cmd_replay, cmd_usage
from ia_licensing.models import Database
from ia_licensing.services import logon


def _names(keys: tuple[str, ...]) -> str:
    return ", ".join(catalog.describe(k).display_name for k in keys) or "none"


def cmd_logon(db: Database, args: argparse.Namespace) -> None:
    result = logon.logon(db, args.user, station=args.station, remote_number=args.remote_number)
    if args.json:
        print_json(
            {
                "user": result.user,
                "station": result.station,
                "remote_number": result.remote_number,
                "acquired": list(result.acquired),
                "not_acquired": [key for key, _ in result.not_acquired],
                "warnings": list(result.warnings),
            }
        )
        return
    if result.logged_off_from is not None:
        print(f"{result.user} logged off from {result.logged_off_from} (R21)")
    print(f"{result.user} logged on to {result.location}")
    print(f"acquired: {_names(result.acquired)}")
    if result.reused:
        print(f"reused, not counted again: {_names(result.reused)}")
    for key, reason in result.not_acquired:
        print(f"not acquired (R23): {catalog.describe(key).display_name}: {reason}")
    for warning in result.warnings:
        print(f"warning (R18): {warning}")


def cmd_logoff(db: Database, args: argparse.Namespace) -> None:
    logon.logoff(db, args.user)
    print(f"{args.user} logged off")


def cmd_sessions(db: Database, args: argparse.Namespace) -> None:
    if getattr(args, "action", None) == "replay":
        cmd_replay(db, args)
        return
    rows = logon.sessions(db)
    if args.json:
        print_json(
            [
                {
                    "user": s.user,
                    "station": s.station,
                    "remote_number": s.remote_number,
                    "since": json_time(s.since),
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
                    table_time(s.since),
                    _names(s.licenses),
                )
                for s in rows
            ],
        )


LOGON_COMMANDS: dict[str, Callable[[Database, argparse.Namespace], None]] = {
    "logon": cmd_logon,
    "logoff": cmd_logoff,
    "sessions": cmd_sessions,
    "usage": cmd_usage,
}
