"""IA Licensing console: the licensing part of PureConnect Interaction Administrator."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

PRODUCT = "IA Licensing console"  # the application name, the About box, the window's class
DESKTOP_NAME = "ia-licensing"  # the command, the desktop entry and the X11 instance name


def package_version() -> str:
    """The installed package's version (its metadata), as `--version` and About show it."""
    try:
        return version("ia-licensing")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


__version__ = package_version()
