"""The headless command line: `ia-licensing [--db …] COMMAND …`.

Exit 0 when done; 1 when refused or the input is invalid, with one line on stderr that
names the rule; 2 for a usage error. Never a traceback (IA_LICENSING_DEBUG=1 shows one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from ia_licensing.cli.data import cmd_export, cmd_import
from ia_licensing.cli.holders import cmd_station, cmd_user, cmd_workgroup
from ia_licensing.cli.license import needs_database, run_license
from ia_licensing.cli.logon import LOGON_COMMANDS
from ia_licensing.cli.output import (
    EXIT_DONE,
    EXIT_INTERRUPTED,
    check_arguments,
    report_failure,
    warn,
)
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
from ia_licensing.services import integrity, licensing, setup
from ia_licensing.services import trust as trust_keys
from ia_licensing.services.errors import StorageError, describe_database_error

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
    """The store given on this command (--trust-store, else IA_LICENSING_TRUST_STORE);
    the database adds the keys it has recorded (R36)."""
    return trust_keys.given_store(directory) or TrustStore.default()


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    check_arguments(args)
    if args.command is None:
        from ia_licensing.__main__ import main as open_console

        console = ["--db", args.db] if args.db else []
        if args.trust_store:
            console += ["--trust-store", args.trust_store]
        return open_console(console)
    args.trust = trust_store(args.trust_store)
    if not needs_database(args):
        run_license(None, args, args.trust)
        return EXIT_DONE
    # Only `init` may create a database; every other command needs one that exists.
    db = Database(args.db or str(default_database_path()), create=args.command == "init")
    try:
        if args.command != "init":
            setup.server(db)
            if not (args.command == "audit" and args.action == "verify"):  # verify reports
                warnings = licensing.reverify(db, args.trust)
                for message in [*(warnings or ()), *integrity.repair_counters(db)]:
                    warn(message)
        COMMANDS[args.command](db, args)
    except SQLAlchemyError as error:
        raise StorageError(describe_database_error(error, db.location)) from error
    finally:
        db.close()
    return EXIT_DONE


def main(argv: Sequence[str] | None = None) -> int:
    # Text that is not valid UTF-8 (a name typed with a 0xFF byte) is shown escaped.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            reconfigure(errors="backslashreplace")
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
