"""What stations and users share: a holder's licenses moving from one state to another.

A holder's state is the set of keys it holds and the pool they count in (None: they
count nowhere). Every use case — add, edit, method switch, enable or disable, delete —
is a transition from one state to another: the new keys are checked against the rules,
the counts are read under the write lock, the rules are asked about every key that
starts counting, and only then the counter rows change. Nothing here commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ia_licensing import catalog, rules
from ia_licensing.catalog import Group, InteractionType
from ia_licensing.rules import HolderKind, KeyCounts, Pool, Refusal
from ia_licensing.services import expiry, usage
from ia_licensing.services.errors import InvalidInput, Refused


@dataclass(frozen=True)
class HolderState:
    pool: Pool | None
    keys: frozenset[str]


@dataclass(frozen=True)
class KeyEdit:
    """A change to a holder's keys, applied inside the transaction to what is stored.

    `groups` sets the holder's ACD level, IPA type or Analytics tier (None removes it);
    `add` adds keys as a new allocation would (a second key of a group is refused);
    `exact`, when given, replaces the whole set (what a configuration dialog sends).
    """

    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    groups: Mapping[Group, str | None] = field(default_factory=dict)
    exact: frozenset[str] | None = None

    def apply(self, keys: Iterable[str]) -> frozenset[str]:
        result = set(self.exact if self.exact is not None else keys)
        result -= self.remove
        for group, key in self.groups.items():
            result = {k for k in result if catalog.describe(k).group is not group}
            if key is not None:
                result.add(key)
        result |= self.add
        return frozenset(result)

    @property
    def is_empty(self) -> bool:
        return not (self.add or self.remove or self.groups or self.exact is not None)


def resolve_key(name_or_key: str) -> str:
    """An administrator's spelling of a key → its I3_* key (display name, any case)."""
    info = catalog.find(name_or_key)
    if info is None:
        raise InvalidInput(f"unknown license {name_or_key!r}: give an I3_* key or a display name")
    return info.key


def clean_name(kind: str, name: str, limit: int = rules.MAX_NAME_LENGTH) -> str:
    """The stored form of a name (R37: NFC, at most 255 characters, nothing invisible)."""
    cleaned = rules.normalise_name(name)
    if not cleaned:
        raise InvalidInput(f"a {kind} name cannot be blank")
    refusal = rules.name_refusal(f"{kind} name", cleaned, limit)
    if refusal is not None:
        raise Refused(refusal)
    return cleaned


def shape_refusals(
    kind: HolderKind, before: frozenset[str], after: frozenset[str]
) -> list[Refusal]:
    """Who may hold what (R7, R12, R13, R17, R29) and one key per group (R11–R13)."""
    refusals = []
    for key in sorted(after - before):
        info = catalog.describe(key)
        problem = rules.holder_refusal(info, kind) or rules.group_refusal(info, after - {key})
        if problem is not None:
            refusals.append(problem)
    return refusals


def deltas_between(before: HolderState | None, after: HolderState | None) -> usage.Deltas:
    deltas: usage.Deltas = Counter()
    if before is not None and before.pool is not None:
        for key in before.keys:
            deltas[key, before.pool] -= 1
    if after is not None and after.pool is not None:
        for key in after.keys:
            deltas[key, after.pool] += 1
    return deltas


def transition(
    session: Session,
    kind: HolderKind,
    name: str,
    before: HolderState | None,
    after: HolderState | None,
) -> dict[str, KeyCounts]:
    """Check a holder's change against every rule and move the counters; raise Refused.

    Returns the counts read under the lock (before the change) for the keys involved.
    """
    old_keys = before.keys if before else frozenset()
    new_keys = after.keys if after else frozenset()
    deltas = deltas_between(before, after)
    if (
        (before is None and after is not None)
        or new_keys - old_keys
        or any(d > 0 for d in deltas.values())
    ):  # a new holder, a new key, or keys that start counting: nothing new once expired
        expiry.refuse_if_expired(session)
    refusals = shape_refusals(kind, old_keys, new_keys)
    if refusals:
        raise Refused(refusals)
    counts = usage.lock_counts(session, old_keys | new_keys)
    refusals = [
        problem
        for key in sorted(new_keys - old_keys)
        if (problem := _new_key_refusal(kind, name, counts[key])) is not None
    ]
    if not refusals and after is not None and after.pool is not None:
        refusals = _start_counting_refusals(name, before, after, deltas, counts)
    if refusals:
        raise Refused(refusals)
    usage.apply_deltas(session, deltas)
    return counts


def _new_key_refusal(kind: HolderKind, name: str, counts: KeyCounts) -> Refusal | None:
    """R2 for any holder, R8 for a station, whether or not the holder counts yet."""
    if not counts.purchased:
        return rules.not_purchased_refusal(counts, name)
    if kind is HolderKind.STATION:
        problem = rules.station_pool_refusal(counts)
        return Refusal(problem.rule, f"{name}: {problem.message}") if problem else None
    return None


def _start_counting_refusals(
    name: str,
    before: HolderState | None,
    after: HolderState,
    deltas: usage.Deltas,
    counts: Mapping[str, KeyCounts],
) -> list[Refusal]:
    assert after.pool is not None
    if before is not None and before.pool is not None and before.pool is not after.pool:
        return rules.method_switch_refusals(name, after.keys, after.pool, counts)
    additions = {key: d for (key, pool), d in deltas.items() if pool is after.pool and d > 0}
    subject = name
    if before is not None and before.pool is None and before.keys:
        subject = f"{name} counts again and is checked like a new allocation (R14)"
    return rules.start_counting_refusals(subject, additions, after.pool, counts)


def parse_acd_types(words: Iterable[str]) -> frozenset[InteractionType]:
    """ACD interaction types as an administrator types them: call (or callback), chat,
    email, generic; empty words are skipped (an empty choice clears it)."""
    found = set()
    for word in words:
        text = word.strip().lower()
        if not text:
            continue
        try:
            found.add(InteractionType("call" if text == "callback" else text))
        except ValueError:
            raise InvalidInput(
                f"unknown interaction type {word!r}: use call, chat, email or generic"
            ) from None
    return frozenset(found)


def stored_acd_types(text: str) -> frozenset[InteractionType]:
    return frozenset(InteractionType(t) for t in text.split(",") if t)


def acd_types_to_store(
    keys: frozenset[str], stored: str, chosen: Iterable[InteractionType] | None
) -> str:
    """R18: the choice to store for a holder whose keys are now `keys`. A new choice must
    fit the ACD level (Refused); without one, the stored choice follows the level (kept for
    Media 1 and 2, its first type when a Media 2 choice meets Media 1, cleared otherwise)."""
    level = rules.acd_level_of(keys)
    if chosen is not None:
        types = frozenset(chosen)
        refusal = rules.acd_types_refusal(level, types)
        if refusal is not None:
            raise Refused(refusal)
    else:
        types = rules.chosen_acd_types(level, stored_acd_types(stored))
    return ",".join(sorted(types))


def yes_no(value: bool) -> str:
    """A setting as IA shows it (audit before → after, the command line's tables)."""
    return "Yes" if value else "No"


def describe_keys(keys: Iterable[str]) -> str:
    """Keys as an administrator reads them, for audit before → after."""
    return ", ".join(sorted(catalog.describe(k).display_name for k in keys)) or "none"
