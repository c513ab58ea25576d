"""`python -m ia_licensing` and `make run`: open the console on a database.

With --demo the demo database is built first if it is missing. On a machine without a
display, or on Linux/X11 without the system library Qt's window plugin needs, it says so
and points at the command line instead of failing inside Qt.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Sequence

from ia_licensing.models import Database, default_database_path
from ia_licensing.services import demo, setup
from ia_licensing.services import trust as trust_keys


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


# What Qt 6's X11 window plugin links against, and the Debian/Ubuntu package of each.
# Minimal desktops and containers often lack some of them; Qt then aborts the process.
XCB_PLUGIN_LIBRARIES = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def missing_system_libraries() -> list[str]:
    """Packages of the libraries Qt's X11 plugin needs and cannot load (Linux on X11 only),
    so that `make run` can name them instead of letting Qt abort."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    on_x11 = bool(os.environ.get("DISPLAY")) and (
        platform.startswith("xcb") or (not platform and not os.environ.get("WAYLAND_DISPLAY"))
    )
    if not (sys.platform.startswith("linux") and on_x11):
        return []
    return [package for library, package in XCB_PLUGIN_LIBRARIES.items() if not _loads(library)]


def open_demo_database(path: str) -> Database:
    """The demo database at `path`, built (all or nothing) if it is not there yet; its
    licenses are signed with a throw-away key made for it alone (R36)."""
    db = Database(path)
    try:
        if not setup.is_initialised(db):
            with db.all_or_nothing():
                setup.initialise(db, demo.DEMO_HOST_ID, demo.DEMO_MACHINE_NAME)
                demo.build_demo(db)
    except BaseException:
        db.close()
        raise
    return db


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ia-licensing-console")
    parser.add_argument("--db", help="database file or SQLAlchemy URL")
    parser.add_argument("--demo", action="store_true", help="create the demo database if missing")
    parser.add_argument("--trust-store", help="folder of trusted vendor public keys")
    args = parser.parse_args(argv)
    path = args.db or str(default_database_path())
    trust_store = args.trust_store or os.environ.get(trust_keys.ENVIRONMENT) or None
    try:
        if trust_store:
            trust_keys.given_store(trust_store)  # a bad folder is said here, not in Qt
        # Without --demo the database must exist: a mistyped path creates nothing.
        db = open_demo_database(path) if args.demo else Database(path, create=False)
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
    missing = missing_system_libraries()
    if missing:
        print(
            "The console window needs system libraries that are not installed: "
            f"{', '.join(missing)} (Qt 6 needs them to open windows on X11).\n"
            f"Install them, for example: sudo apt install {' '.join(missing)}\n"
            f"The database is ready at {path}; meanwhile use the command line:\n"
            f"  .venv/bin/{cli_hint}",
            file=sys.stderr,
        )
        return 1
    from ia_licensing.app import run

    return run(path, trust_store)


if __name__ == "__main__":
    sys.exit(main())
