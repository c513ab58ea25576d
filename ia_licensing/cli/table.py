"""Tables as the command line prints them: numbers right-aligned, and on a terminal no wider
than the terminal (the widest text column gives way, ending in "…"). Piped output is never
truncated: a script reading it gets every character."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from typing import Any

GAP = "  "
ELLIPSIS = "…"
MIN_TEXT_WIDTH = 8  # a truncated column keeps at least this much, its header included

# "12", "-3", "12 → 10", "52/0": a cell that reads as a number or a change of numbers.
_NUMBER = re.compile(r"-?\d+(?:\s*(?:→|/)\s*-?\d+)*")


def printable(text: str) -> str:
    """`text` with control, formatting and separator characters shown as escapes, so
    that a stored value can neither forge a row (a newline) nor drive the terminal (ESC)."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMBER.fullmatch(value.strip()) is not None


def numeric_columns(rows: Sequence[Sequence[Any]], count: int) -> list[bool]:
    """A column is numeric when every filled cell is a number (and one is)."""
    found = []
    for i in range(count):
        cells = [row[i] for row in rows if str(row[i]) != ""]
        found.append(bool(cells) and all(is_number(c) for c in cells))
    return found


def fit(widths: list[int], numeric: list[bool], limit: int) -> list[int]:
    """Shrink the widest text column, then the next, until the row fits `limit` characters.

    A table that cannot fit even so (its numbers alone are wider) is left whole: the
    terminal wraps it, and no name is cut for nothing.
    """
    floors = [min(w, MIN_TEXT_WIDTH) if not n else w for w, n in zip(widths, numeric, strict=True)]
    if sum(floors) + len(GAP) * (len(widths) - 1) > limit:
        return widths
    widths = list(widths)
    while (total := sum(widths) + len(GAP) * (len(widths) - 1)) > limit:
        text = [i for i, w in enumerate(widths) if not numeric[i] and w > MIN_TEXT_WIDTH]
        if not text:
            break  # nothing left to give: the terminal wraps, as it would anyway
        widest = max(text, key=lambda i: widths[i])
        widths[widest] = max(MIN_TEXT_WIDTH, widths[widest] - (total - limit))
    return widths


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def render(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None
) -> list[str]:
    """The table's lines; `width` (a terminal's) truncates text columns to fit it."""
    text = [[printable(str(c)) for c in row] for row in rows]
    numeric = numeric_columns(rows, len(headers))
    widths = [max([len(h), *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]
    if width is not None:
        widths = fit(widths, numeric, width)
    lines = []
    for row in [list(headers), *text]:
        cells = [
            _clip(c, w).rjust(w) if right else _clip(c, w).ljust(w)
            for c, w, right in zip(row, widths, numeric, strict=True)
        ]
        lines.append(GAP.join(cells).rstrip())
    return lines


def terminal_width() -> int | None:
    """The terminal's width when stdout is one; None (never truncate) when piped."""
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return shutil.get_terminal_size().columns if tty else None


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    for line in render(headers, rows, terminal_width()):
        print(line)
