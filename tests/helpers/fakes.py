"""A fake of the console seam: rows in memory, a scripted change feed, every read counted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ia_licensing.console_api import Changes


@dataclass
class FakeConsoleApi:
    """Stands in for ConsoleApi where a screen reads stations or users and the feed."""

    stations: dict[str, object] = field(default_factory=dict)
    pending: list[Changes] = field(default_factory=list)
    reads: list[frozenset[str] | None] = field(default_factory=list)
    newest: int = 0

    def newest_change(self) -> int:
        return self.newest

    def changes_since(self, seen: int) -> Changes:
        if not self.pending:
            return Changes.nothing(seen)
        change = self.pending.pop(0)
        self.newest = change.newest
        return change

    def station_rows(self, names: Iterable[str] | None = None) -> list[object]:
        wanted = None if names is None else frozenset(names)
        self.reads.append(wanted)
        return [row for name, row in self.stations.items() if wanted is None or name in wanted]
