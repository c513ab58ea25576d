"""The headless command line: `ia-licensing [--db …] COMMAND …`.

Exit 0 when done; 1 when refused or the input is invalid, with one line on stderr that
names the rule; 2 for a usage error. Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ia_licensing.cli.data import cmd_export, cmd_import
from ia_licensing.cli.holders import cmd_station, cmd_user, cmd_workgroup
from ia_licensing.cli.license import needs_database, run_license
from ia_licensing.cli.logon import LOGON_COMMANDS
from ia_licensing.cli.output import EXIT_DONE, EXIT_INTERRUPTED, report_failure, warn
from ia_licensing.cli.parser import build_parser
from ia_licensing.cli.records import (
    cmd_allocate,
    cmd_allocations,
    cmd_audit,
    cmd_init,
    cmd_notes,
)
from ia_licensing.licensefile import TrustStore
from ia_licensing.models import Database, default_database_path
from ia_licensing.services import licensing, setup

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
        code = run(argv)
        sys.stdout.flush()  # a closed pipe shows here, while it can still be handled
        return code
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return report_failure(error)


def _reader_gone() -> int:
    """`ia-licensing … | head`: the reader has what it wanted; end quietly, exit 0.

    As the Python docs advise (signal module, "Note on SIGPIPE"): point stdout at devnull so
    that the interpreter's own flush at exit does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass
    return EXIT_DONE
