"""`python -m ia_licensing` and `make run`: open the console on a database.

With --demo the demo database is built first if it is missing. On a machine without a
display it says so and points at the command line instead of failing inside Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ia_licensing.models import Database, default_database_path
from ia_licensing.services import demo, setup


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def open_demo_database(path: str) -> Database:
    db = Database(path)
    if not setup.is_initialised(db):
        setup.initialise(db, demo.DEMO_HOST_ID, demo.DEMO_MACHINE_NAME)
        demo.build_demo(db)
    return db


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ia-licensing-console")
    parser.add_argument("--db", help="database file or SQLAlchemy URL")
    parser.add_argument("--demo", action="store_true", help="create the demo database if missing")
    parser.add_argument("--trust-store", help="folder of trusted vendor public keys")
    args = parser.parse_args(argv)
    path = args.db or str(default_database_path())
    try:
        db = open_demo_database(path) if args.demo else Database(path)
        db.close()
    except Exception as error:  # start-up must explain, never dump a traceback
        print(f"error: cannot open {path}: {error}", file=sys.stderr)
        return 1
    cli_hint = f"ia-licensing --db {path} allocations"
    if not has_display():
        print(
            "No display is available, so the console window cannot open here.\n"
            f"The database is ready at {path}. Use the command line instead, for example:\n"
            f"  .venv/bin/{cli_hint}\n  .venv/bin/ia-licensing --help"
        )
        return 0
    from ia_licensing.app import run

    return run(path, args.trust_store)


if __name__ == "__main__":
    sys.exit(main())
