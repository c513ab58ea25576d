"""How the console orders and shows plain values in every table."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d+")


def natural(name: str) -> str:
    """A sort key that puts station2 before station10, as an administrator expects."""
    return _DIGITS.sub(lambda m: m.group().zfill(12), name.casefold())


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"
