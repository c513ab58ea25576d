"""What the Licensing tab asks the rules about each choice, Qt-free.

Given a holder's stored settings, the counts, and the administrator's pending settings:
why a key cannot be chosen now, why a switch (Enable Licenses again, enabling a station,
changing the method) would be refused, and how many of a key are left. The rules are
`rules.py`'s; this module only says which facts to give them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.services.read_models import left


@dataclass(frozen=True)
class HolderSettings:
    """A holder's licensing settings, as stored or as pending in the tab."""

    name: str
    keys: frozenset[str] = frozenset()
    licenses_enabled: bool = True
    enabled: bool = True  # stations only; users are always enabled
    method: Pool = Pool.ASSIGNABLE  # users only; stations are Assignable (R8)
    machine_name: str | None = None  # stations only (R10)
    acd_types: frozenset[InteractionType] = frozenset()  # chosen for Media 1 or 2 (R18)
    remote_login: bool = True  # users only: the Client Right Dynamic Remote needs (R24)
    inherited: frozenset[str] = frozenset()  # users only: held through workgroups (R32)

    @property
    def held(self) -> frozenset[str]:
        """Every key the holder holds, directly or through a workgroup (counted once)."""
        return self.keys | self.inherited


@dataclass(frozen=True)
class Choices:
    kind: HolderKind
    saved: HolderSettings
    saved_pool: Pool | None  # None: counts nowhere, or not stored yet (a new holder)
    counts: Mapping[str, KeyCounts]

    @classmethod
    def of(
        cls,
        kind: HolderKind,
        saved: HolderSettings,
        counts: Mapping[str, KeyCounts],
        *,
        new: bool = False,
    ) -> Choices:
        """`new`: nothing is stored yet, so every key counts as a new allocation."""
        if new:
            return cls(kind, HolderSettings(saved.name), None, counts)
        return cls(kind, saved, pool_of(kind, saved), counts)

    def _counted(self, key: str, pool: Pool | None) -> bool:
        """Whether `key` already counts for this holder in `pool` (no capacity needed)."""
        return key in self.saved.held and self.saved_pool is pool

    def key_refusal(self, pending: HolderSettings, key: str) -> Refusal | None:
        """Why `key` cannot be chosen now, given the other pending choices."""
        info = catalog.describe(key)
        pool = pool_of(self.kind, pending)
        # The other choices of the key's own group are radio buttons: choosing this one
        # replaces them, so they do not count against it (R11-R13).
        held = {
            k
            for k in pending.held
            if k != key and (info.group is None or catalog.describe(k).group is not info.group)
        }
        counts = self.counts.get(key, KeyCounts(key))
        added = 0 if self._counted(key, pool) else 1
        return rules.allocation_refusal(info, self.kind, pool, held, counts, added=added)

    def start_counting_refusal(self, pending: HolderSettings) -> Refusal | None:
        """Setting Enable Licenses again (R14), enabling a station or switching method
        (R16) makes the keys count anew: checked like new allocations."""
        pool = pool_of(self.kind, pending)
        if pool is None:
            return None
        if self.saved_pool is not None and self.saved_pool is not pool:
            found = rules.method_switch_refusals(pending.name, pending.held, pool, self.counts)
            return found[0] if found else None
        additions = {k: 1 for k in pending.held if not self._counted(k, pool)}
        subject = f"{pending.name} counts again and is checked like a new allocation (R14)"
        found = rules.start_counting_refusals(subject, additions, pool, self.counts)
        return found[0] if found else None

    def left_text(self, pending: HolderSettings, key: str) -> str:
        """ "0 of 170 left": what is left of `key` in the pool the holder counts in, with
        this holder's pending choice taken into account."""
        counts = self.counts.get(key, KeyCounts(key))
        if not counts.purchased:
            return "not purchased"
        counting = pool_of(self.kind, pending)
        pool = counting or (pending.method if self.kind is HolderKind.USER else Pool.ASSIGNABLE)
        if pool is Pool.CONCURRENT:
            if counts.concurrent_allowed == 0:
                return "Assignable only"
            free = counts.concurrent_allowed - counts.concurrent_in_use
            return f"{free} of {counts.concurrent_allowed} free"
        if counts.assignable_allowed == 0:
            return "Concurrent only"
        change = int(key in pending.held and counting is pool) - int(self._counted(key, pool))
        remaining = left(counts, pool, change)
        if remaining < 0:  # over-allocated, e.g. after a smaller license was loaded (R6)
            return f"0 of {counts.allowed(pool)} left, {-remaining} over"
        return f"{remaining} of {counts.allowed(pool)} left"


def exhausted(text: str) -> bool:
    """Whether a left_text says that nothing more can be had."""
    return text.startswith("0 of") or text.endswith("only") or text == "not purchased"


def pool_of(kind: HolderKind, settings: HolderSettings) -> Pool | None:
    return rules.counting_pool(
        kind, settings.method, enabled=settings.enabled, licenses_enabled=settings.licenses_enabled
    )
