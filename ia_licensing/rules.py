"""The licensing rules (DESIGN.md R1–R19) as pure functions.

Given facts about the current state and a proposed change, each function returns a
refusal (a hard rule: the change is not made) or notes (the change is allowed and a
compliance note appears). No Qt and no SQL: the services gather the facts, ask these
functions and refuse or write; the GUI asks the same functions to grey out a choice.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ia_licensing import catalog
from ia_licensing.catalog import Group, InteractionType, LicenseKey


class HolderKind(StrEnum):
    STATION = "station"
    USER = "user"


class Pool(StrEnum):
    """A user's License allocation method, and the pool a holder's licenses count in."""

    ASSIGNABLE = "assignable"
    CONCURRENT = "concurrent"

    @property
    def label(self) -> str:
        return self.value.capitalize()


Method = Pool


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"refused ({self.rule}): {self.message}"


@dataclass(frozen=True)
class Note:
    rule: str
    subject: str
    message: str


@dataclass(frozen=True)
class KeyCounts:
    """One row of the Licenses Allocation container, before notes."""

    key: str
    assigned: int = 0
    pooled: int = 0
    assignable_configured: int = 0
    concurrent_configured: int = 0
    concurrent_in_use: int = 0

    @property
    def info(self) -> LicenseKey:
        return catalog.describe(self.key)

    @property
    def assignable_allowed(self) -> int:
        return allowed_counts(self.key, self.assigned, self.pooled)[0]

    @property
    def concurrent_allowed(self) -> int:
        return allowed_counts(self.key, self.assigned, self.pooled)[1]

    @property
    def purchased(self) -> bool:
        return self.assignable_allowed + self.concurrent_allowed > 0

    def allowed(self, pool: Pool) -> int:
        return self.assignable_allowed if pool is Pool.ASSIGNABLE else self.concurrent_allowed

    def configured(self, pool: Pool) -> int:
        if pool is Pool.ASSIGNABLE:
            return self.assignable_configured
        return self.concurrent_configured


# --- R1, R2: what the license allows ------------------------------------------------


def allowed_counts(key: str, assigned: int, pooled: int) -> tuple[int, int]:
    """R1: (Assignable Allowed, Concurrent Allowed) from the license's counts.

    Basic Station cannot be Concurrent, so its pooled licenses are assignable too.
    """
    if key == catalog.BASIC_STATION:
        return assigned + pooled, 0
    return assigned, pooled


def not_purchased_refusal(counts: KeyCounts, holder: str = "") -> Refusal:
    where = f"{holder}: " if holder else ""
    return Refusal(
        "R2", f"{where}{counts.info.display_name} is not purchased in the license in force"
    )


def purchase_refusal(counts: KeyCounts, pool: Pool) -> Refusal | None:
    """R2 (and R5): a key not purchased in that pool cannot be allocated in it."""
    name = counts.info.display_name
    if not counts.purchased:
        return not_purchased_refusal(counts)
    if pool is Pool.CONCURRENT and counts.concurrent_allowed == 0:
        return Refusal("R2", f"{name} has no Concurrent licenses (Concurrent Allowed is 0)")
    return None


# --- R3, R8, R14, R16: where a holder's licenses count ----------------------------------


def counting_pool(
    kind: HolderKind, method: Pool, *, enabled: bool = True, licenses_enabled: bool = True
) -> Pool | None:
    """The pool a holder's licenses count in, or None when they count nowhere.

    Stations are Assignable only (R8); a user's licenses follow the user's method (R16);
    a disabled station or a holder whose Enable Licenses is cleared counts nowhere (R3, R14).
    """
    if not licenses_enabled or not enabled:
        return None
    return Pool.ASSIGNABLE if kind is HolderKind.STATION else method


# --- R4: capacity ----------------------------------------------------------------------


def capacity_refusal(
    counts: KeyCounts, pool: Pool, added: int, *, rule: str = "R4"
) -> Refusal | None:
    """R4: adding `added` Assignable holders must not exceed Assignable Allowed.

    Concurrent Configured may exceed Concurrent Allowed (R5); only a key with no
    Concurrent licenses at all is refused, by purchase_refusal.
    """
    if added <= 0 or pool is Pool.CONCURRENT:
        return None
    allowed = counts.assignable_allowed
    configured = counts.assignable_configured
    if configured + added <= allowed:
        return None
    name = counts.info.display_name
    more = "1 more holder" if added == 1 else f"{added} more holders"
    return Refusal(
        rule,
        f"{name}: Assignable Allowed is {allowed} and {configured} are configured; "
        f"{more} would exceed it",
    )


# --- R7, R12, R13, R17, R29: who may hold a key -------------------------------------------


def holder_refusal(info: LicenseKey, kind: HolderKind) -> Refusal | None:
    name = info.display_name
    if not info.allocatable:
        return Refusal("R29", f"{name} is a {info.kind.value} license and is not allocatable")
    if kind is HolderKind.USER and info.key == catalog.BASIC_STATION:
        return Refusal("R7", "Basic Station can only be allocated to stations")
    if kind is HolderKind.STATION and not info.station_allowed:
        rule = (
            "R13" if info.group is Group.ANALYTICS else "R12" if info.group is Group.IPA else "R17"
        )
        return Refusal(rule, f"{name} is a user-only license; it cannot be allocated to a station")
    if kind is HolderKind.USER and not info.user_allowed:
        return Refusal("R17", f"{name} can only be allocated to stations")
    return None


_GROUP_RULE = {Group.ACD_MEDIA: "R11", Group.IPA: "R12", Group.ANALYTICS: "R13"}


def group_refusal(info: LicenseKey, held_keys: Iterable[str]) -> Refusal | None:
    """R11–R13: one ACD media level, one IPA type, one Analytics tier per holder."""
    if info.group is None:
        return None
    for other in held_keys:
        other_info = catalog.describe(other)
        if other != info.key and other_info.group is info.group:
            return Refusal(
                _GROUP_RULE[info.group],
                f"only one {info.group.value} per holder: {other_info.display_name} is "
                f"already allocated, so {info.display_name} cannot be added",
            )
    return None


def station_pool_refusal(counts: KeyCounts) -> Refusal | None:
    """R8: licenses on stations are Assignable only, so a key purchased only as Concurrent
    cannot go to a station."""
    if counts.assignable_allowed == 0 and counts.concurrent_allowed > 0:
        return Refusal(
            "R8",
            f"{counts.info.display_name} has only Concurrent licenses, and licenses on "
            "stations are Assignable only",
        )
    return None


def allocation_refusal(
    info: LicenseKey,
    kind: HolderKind,
    pool: Pool | None,
    held_keys: Iterable[str],
    counts: KeyCounts,
    *,
    added: int = 1,
) -> Refusal | None:
    """Everything that forbids allocating one key to one more holder (for greying out).

    `pool` is the pool the holder counts in (None: the holder counts nowhere, R14, and
    only the shape rules apply). The GUI passes added=1; the services check capacity
    once for a whole bulk change.
    """
    refusal = holder_refusal(info, kind) or group_refusal(info, held_keys)
    if refusal is None and kind is HolderKind.STATION:
        refusal = station_pool_refusal(counts)
    if refusal is not None or pool is None:
        return refusal
    return purchase_refusal(counts, pool) or capacity_refusal(counts, pool, added)


# --- R10: Licensed Machine Name ----------------------------------------------------------


# --- R37: names --------------------------------------------------------------------------

MAX_NAME_LENGTH = 255
# Unicode categories a name may not contain: controls (newline, tab, ESC, DEL, NUL …),
# format characters (bidirectional overrides and isolates, zero-width space and joiners,
# the byte-order mark, soft hyphen), surrogates (bytes that were not UTF-8), unassigned
# and private-use code points, and the line and paragraph separators.
_FORBIDDEN_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible formatting character"}
_FORBIDDEN_CATEGORIES |= {
    "Cs": "bytes that are not text (not UTF-8)",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def normalise_name(name: str) -> str:
    """The stored form of a name: NFC, without leading or trailing white space."""
    try:
        return unicodedata.normalize("NFC", name).strip()
    except UnicodeError:  # pragma: no cover - normalize accepts any str, surrogates too
        return name.strip()


def name_key(name: str) -> str:
    """The case-insensitive identity of a name (R10, unique names): NFC, case-folded, NFC
    again — so "Åsa" composed and decomposed, and "ÅSA", are one name."""
    return unicodedata.normalize("NFC", normalise_name(name).casefold())


def describe_character(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def name_refusal(kind: str, name: str, limit: int = MAX_NAME_LENGTH) -> Refusal | None:
    """R37: a name (already normalised) is at most `limit` characters and holds no
    control, bidirectional-override or zero-width character. Blank is the caller's."""
    if len(name) > limit:
        return Refusal("R37", f"a {kind} is at most {limit} characters; this one has {len(name)}")
    for position, char in enumerate(name, 1):
        category = unicodedata.category(char)
        if category in _FORBIDDEN_CATEGORIES:
            what = _FORBIDDEN_CATEGORIES[category]
            return Refusal(
                "R37",
                f"a {kind} cannot contain {what}: character {position} is "
                f"{describe_character(char)}",
            )
    return None


# The characters that make a spreadsheet read a cell as a formula (R37).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe (R37; OWASP's advice), so =HYPERLINK(…) or +cmd|… is never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def machine_name_refusal(
    name: str | None, taken_by: str | None, stored: str | None = None
) -> Refusal | None:
    """R10: when set, not blank and unique across stations (case-insensitive).

    `taken_by` is the other station already using that name, if any; `stored` is the
    station's Licensed Machine Name as saved: clearing a stored name (None) blanks it,
    which is refused too, so the name is never erased (a new station may have none).
    """
    if name is None:
        if stored:
            return Refusal(
                "R10",
                f"Licensed Machine Name cannot be blank: the station keeps {stored!r} "
                "(type another name to change it)",
            )
        return None
    if not name.strip():
        return Refusal("R10", "Licensed Machine Name cannot be blank")
    if taken_by is not None:
        return Refusal(
            "R10", f"Licensed Machine Name {name!r} is already used by station {taken_by!r}"
        )
    return None


# --- R16: method switch, R14: re-enabling --------------------------------------------------


def method_switch_refusals(
    user: str, keys: Iterable[str], target: Pool, counts: Mapping[str, KeyCounts]
) -> list[Refusal]:
    """R16: all of a user's licenses move at once and must all fit the other method."""
    refusals = []
    for key in sorted(keys):
        row = counts.get(key, KeyCounts(key))
        problem = purchase_refusal(row, target) or capacity_refusal(row, target, 1)
        if problem is not None:
            refusals.append(
                Refusal(
                    "R16",
                    f"switching {user} to {target.label} moves all of the user's licenses "
                    f"and {problem.message} ({problem.rule})",
                )
            )
    return refusals


def start_counting_refusals(
    subject: str, additions: Mapping[str, int], pool: Pool, counts: Mapping[str, KeyCounts]
) -> list[Refusal]:
    """A change that makes keys start counting in `pool` is checked like a new allocation.

    `additions` maps key → how many holders start counting (R4, R2/R5; used by bulk
    allocations, station and user edits and by setting Enable Licenses again, R14).
    """
    refusals = []
    for key, added in sorted(additions.items()):
        row = counts.get(key, KeyCounts(key))
        problem = purchase_refusal(row, pool) or capacity_refusal(row, pool, added)
        if problem is not None:
            refusals.append(Refusal(problem.rule, f"{subject}: {problem.message}"))
    return refusals


# --- R32: workgroup grants ---------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A workgroup member about to hold a key through a workgroup (R32).

    `pool`: where the member's licenses count (None: nowhere, R14); `keys`: what the member
    holds of the key's group, every way, once the change is made (for R11–R13).
    """

    name: str
    pool: Pool | None
    keys: frozenset[str] = frozenset()


MEMBERS_NAMED = 10


def name_members(names: Iterable[str], limit: int = MEMBERS_NAMED) -> str:
    """ "a, b and 3 more": the members a refusal or note is about, by name."""
    ordered = sorted(names, key=str.casefold)
    shown = ", ".join(ordered[:limit])
    more = len(ordered) - limit
    return f"{shown} and {more:,} more" if more > 0 else shown


def grant_pool_refusal(counts: KeyCounts, gains: Mapping[Pool, int]) -> Refusal | None:
    """R2/R5 and R4 for members starting to count through a grant: `gains` is how many
    start counting in each pool. The first pool refused, or None."""
    for pool in Pool:
        added = gains.get(pool, 0)
        if added > 0:
            problem = purchase_refusal(counts, pool) or capacity_refusal(counts, pool, added)
            if problem is not None:
                return problem
    return None


def grant_refusals(
    subject: str, gains: Mapping[str, Sequence[Member]], counts: Mapping[str, KeyCounts]
) -> list[Refusal]:
    """R32: a grant, a new member or a new grant's members, refused whole.

    `gains` maps each key to the members who start holding it (those who hold it another
    way already are left out). Each refusal names the members concerned: those whose
    group already has another key (R11–R13), those whose method cannot hold the key (R2,
    R5), and those who would push Assignable Configured past Allowed (R4).
    """
    refusals: list[Refusal] = []
    for key, members in sorted(gains.items()):
        info = catalog.describe(key)
        row = counts.get(key, KeyCounts(key))
        problem = holder_refusal(info, HolderKind.USER)
        if problem is None and not row.purchased:
            problem = not_purchased_refusal(row)
        if problem is not None:
            refusals.append(Refusal(problem.rule, f"{subject}: {problem.message}"))
            continue
        refusals += _group_conflicts(subject, info, members)
        for pool in Pool:
            concerned = [m.name for m in members if m.pool is pool]
            problem = grant_pool_refusal(row, {pool: len(concerned)})
            if problem is not None:
                refusals.append(
                    Refusal(
                        problem.rule,
                        f"{subject}: {problem.message} ({pool.label} members concerned: "
                        f"{name_members(concerned)})",
                    )
                )
    return refusals


def _group_conflicts(subject: str, info: LicenseKey, members: Sequence[Member]) -> list[Refusal]:
    if info.group is None:
        return []
    by_other: dict[str, list[str]] = {}
    for member in members:
        for other in member.keys:
            if other != info.key and catalog.describe(other).group is info.group:
                by_other.setdefault(other, []).append(member.name)
    return [
        Refusal(
            _GROUP_RULE[info.group],
            f"{subject}: only one {info.group.value} per holder: "
            f"{name_members(names)} already hold{'s' if len(names) == 1 else ''} "
            f"{catalog.describe(other).display_name}, so {info.display_name} cannot be added",
        )
        for other, names in sorted(by_other.items())
    ]


def grant_note(
    user: str, pool: Pool | None, counts: KeyCounts, workgroups: Sequence[str]
) -> Note | None:
    """R32: a member whose inherited key is not purchased any more, or whose method cannot
    hold it (after a smaller license was loaded), gets a note naming the workgroup."""
    if pool is None:
        return None
    name = counts.info.display_name
    where = ("workgroup " if len(workgroups) == 1 else "workgroups ") + ", ".join(workgroups)
    if not counts.purchased:
        return Note("R32", user, f"{name} from {where} is not purchased any more")
    if counts.allowed(pool) == 0:
        return Note(
            "R32",
            user,
            f"{name} from {where} has no {pool.label} licenses and the user is {pool.label}",
        )
    return None


# --- Notes: R6, R9, R18 ----------------------------------------------------------------------


def key_notes(counts: KeyCounts) -> list[Note]:
    """R6: the Notes column of the Licenses Allocation container."""
    name = counts.info.display_name
    notes = []
    configured = counts.assignable_configured + counts.concurrent_configured
    if not counts.purchased and configured > 0:
        notes.append(
            Note("R6", name, f"configured on {configured} holders but no longer purchased")
        )
        return notes
    over = counts.assignable_configured - counts.assignable_allowed
    if over > 0:
        notes.append(Note("R6", name, f"Assignable over-allocated by {over} — remove {over}"))
    if counts.concurrent_allowed > 0 and counts.concurrent_in_use >= counts.concurrent_allowed:
        notes.append(
            Note("R6", name, f"all {counts.concurrent_allowed} Concurrent licenses are in use")
        )
    return notes


BASIC_STATION_NOTE = "the station cannot activate until you allocate a Basic Station license"


def station_note(station: str, *, enabled: bool, basic_station_granted: bool) -> Note | None:
    """R9: an enabled station without a (granted) Basic Station license."""
    if enabled and not basic_station_granted:
        return Note("R9", station, BASIC_STATION_NOTE)
    return None


def acd_types_allowed(level_key: str | None) -> int:
    """How many interaction types a holder's ACD media level may queue (0: no ACD Access)."""
    if level_key is None:
        return 0
    return catalog.acd_media_types(level_key) or 0


def _labels(types: Iterable[InteractionType]) -> str:
    return ", ".join(t.label for t in sorted(types))


def chosen_acd_types(
    level_key: str | None, chosen: Iterable[InteractionType]
) -> frozenset[InteractionType]:
    """The stored choice as it applies to the holder's level: only a Media 1 or Media 2
    level has one (a choice left from a higher level keeps its first types, in order)."""
    allowed = acd_types_allowed(level_key)
    if allowed == 0 or allowed >= len(catalog.ALL_INTERACTION_TYPES):
        return frozenset()
    return frozenset(sorted(set(chosen))[:allowed])


def acd_types_of(
    level_key: str | None,
    chosen: Iterable[InteractionType],
    required: Iterable[InteractionType] = (),
) -> frozenset[InteractionType]:
    """R18: the interaction types a holder's ACD level gives: none without ACD Access, all
    with Media 3 Plus; for Media 1 and 2 the chosen ones, or — none chosen yet — the types
    its workgroups route (`required`) first, as many as the level allows, then the others
    in the spec's order (Call/Callback, Chat, Email, Generic)."""
    allowed = acd_types_allowed(level_key)
    if allowed >= len(catalog.ALL_INTERACTION_TYPES):
        return catalog.ALL_INTERACTION_TYPES
    picked = chosen_acd_types(level_key, chosen)
    if picked or allowed == 0:
        return picked
    needed = sorted(set(required))
    rest = [t for t in sorted(catalog.ALL_INTERACTION_TYPES) if t not in needed]
    return frozenset([*needed, *rest][:allowed])


def acd_types_refusal(level_key: str | None, chosen: Iterable[InteractionType]) -> Refusal | None:
    """R18: a Media 1 holder chooses one type, a Media 2 holder up to two; there is nothing
    to choose without ACD Access or with Media 3 Plus (it takes all)."""
    types = set(chosen)
    if not types:
        return None
    allowed = acd_types_allowed(level_key)
    if allowed == 0:
        return Refusal(
            "R18", "ACD interaction types are chosen for a Media 1 or Media 2 ACD Access level"
        )
    level = catalog.describe(level_key or "").display_name
    if allowed >= len(catalog.ALL_INTERACTION_TYPES):
        return Refusal("R18", f"{level} takes every interaction type: there is nothing to choose")
    if len(types) > allowed:
        return Refusal(
            "R18",
            f"{level} allows {allowed} interaction type{'s' if allowed > 1 else ''}; "
            f"{len(types)} chosen ({_labels(types)})",
        )
    return None


def acd_coverage_note(
    user: str,
    level_key: str | None,
    required: Iterable[InteractionType],
    chosen: Iterable[InteractionType] = (),
) -> Note | None:
    """R18: a workgroup member whose ACD level gives fewer types than their queues route:
    too few for the count, or chosen types that leave some of the queues' out."""
    types = set(required)
    if not types:
        return None
    allowed = acd_types_allowed(level_key)
    labels = _labels(types)
    if allowed == 0:
        return Note("R18", user, f"member of workgroups routing {labels} but has no ACD Access")
    level = catalog.describe(level_key or "").display_name
    if allowed < len(types):
        return Note(
            "R18",
            user,
            f"{level} allows {allowed} interaction type{'s' if allowed > 1 else ''} but the "
            f"user's workgroups route {len(types)} ({labels}); ACD interaction types are limited",
        )
    given = acd_types_of(level_key, chosen, types)
    missing = types - given
    if missing:
        return Note(
            "R18",
            user,
            f"{level} gives {_labels(given)} but the user's workgroups also route "
            f"{_labels(missing)}; ACD interaction types are limited",
        )
    return None


def acd_logon_warning(
    required: Iterable[InteractionType], given: Iterable[InteractionType]
) -> str | None:
    """R18 at logon (Notes for ACD Routing of Multimedia): the logon succeeds, and the
    client warns that the ACD interaction types are limited."""
    have = set(given)
    if not set(required) - have:
        return None
    limited = _labels(have) if have else "none (no ACD Access)"
    return f"ACD interaction types are limited to {limited} until the licensing is resolved"


def acd_level_of(keys: Iterable[str]) -> str | None:
    for key in keys:
        if key in catalog.ACD_LEVELS:
            return key
    return None


ANALYZER_NOTE = (
    "holds Interaction Analyzer Access, which requires Interaction Recorder Access "
    "(it spots words and phrases in calls recorded with Interaction Recorder)"
)


def analyzer_note(holder: str, keys: Iterable[str]) -> Note | None:
    """R35: Interaction Analyzer Access without the Interaction Recorder Access it requires."""
    held = set(keys)
    if catalog.ANALYZER in held and catalog.RECORDER not in held:
        return Note("R35", holder, ANALYZER_NOTE)
    return None


# --- R28: the license in force -------------------------------------------------------------

DEVELOPMENT_TYPES = ("development", "ordered-development")
EXPIRY_WARNING_DAYS = 14


def expired_message(expires: dt.date) -> str:
    return (
        f"the license expired on {expires.isoformat()}: it grants nothing new until a valid "
        "license is loaded"
    )


def expired_refusal(expires: dt.date, today: dt.date) -> Refusal | None:
    """R28: the expiry date is the first day the license no longer works (license-file.md):
    from that day the license in force grants nothing new — no new allocation or holder,
    no logon. What it already granted is kept."""
    if today >= expires:
        return Refusal("R28", expired_message(expires))
    return None


def license_notes(license_type: str, expires: dt.date, today: dt.date) -> list[Note]:
    """R28: development licenses, licenses within 14 days of expiry, and expired ones."""
    notes = []
    if license_type in DEVELOPMENT_TYPES:
        notes.append(Note("R28", "License", "not for production — interactions disconnect hourly"))
    days = (expires - today).days
    if days <= 0:
        notes.append(Note("R28", "License", expired_message(expires)))
    elif days <= EXPIRY_WARNING_DAYS:
        notes.append(
            Note(
                "R28",
                "License",
                f"the license expires in {days} day{'s' if days > 1 else ''} "
                f"(on {expires.isoformat()}, the first day it no longer works)",
            )
        )
    return notes


# --- R20–R25: logon ------------------------------------------------------------------------
#
# The server side of a CIC client logon (CIC Client Licensing, Rules for Concurrent licenses,
# Remote Station Licensing). The logon service reads the facts under the write lock and asks
# these functions; they decide nothing about storage.


def station_logon_refusal(
    station: str,
    *,
    exists: bool,
    enabled: bool,
    basic_station_granted: bool,
    client_capability_available: bool,
) -> Refusal | None:
    """R20: what a station logon needs, checked in the order an administrator would fix it.

    `basic_station_granted`: the station holds Basic Station and its Enable Licenses is set.
    `client_capability_available`: Client Access or an ACD Access level comes from the user
    (held, or acquirable for a Concurrent user) or from the station.
    """
    if not exists:
        return Refusal("R20", f"no station named {station!r}")
    if not enabled:
        return Refusal("R20", f"station {station} is disabled")
    if not basic_station_granted:
        return Refusal(
            "R20", f"station {station} has no Basic Station license (allocated and enabled)"
        )
    if not client_capability_available:
        return Refusal(
            "R20",
            f"neither the user nor station {station} has Client Access or an ACD Access license",
        )
    return None


def station_in_use_refusal(station: str, other_user: str | None) -> Refusal | None:
    """R22: while a user is logged on, that user alone holds the station's licenses."""
    if other_user is None:
        return None
    return Refusal("R22", f"station {station} in use by {other_user}")


def concurrent_unavailable_reason(counts: KeyCounts, *, already_held: bool) -> str | None:
    """R23: why a Concurrent user cannot acquire this key now, or None when they can.

    A license the user already holds (from the session a new logon replaces, R21) is
    reused: it needs no free license and the count does not rise.
    """
    if already_held:
        return None
    if counts.concurrent_allowed == 0:
        return "no Concurrent licenses in the license in force"
    if counts.concurrent_in_use >= counts.concurrent_allowed:
        return f"all {counts.concurrent_allowed} Concurrent licenses are in use"
    return None


@dataclass(frozen=True)
class Acquisition:
    """R23: which of a Concurrent user's keys a logon acquires, and why the others are not."""

    acquired: frozenset[str]
    not_acquired: Mapping[str, str]


def concurrent_acquisition(
    keys: Iterable[str], counts: Mapping[str, KeyCounts], held: Iterable[str] = ()
) -> Acquisition:
    """R23: all of the user's concurrent licenses at once, each if free or already held.

    One logon takes at most one license of each key, so each key is judged on its own.
    """
    held_keys = frozenset(held)
    acquired = set()
    not_acquired = {}
    for key in sorted(set(keys)):
        reason = concurrent_unavailable_reason(
            counts.get(key, KeyCounts(key)), already_held=key in held_keys
        )
        if reason is None:
            acquired.add(key)
        else:
            not_acquired[key] = reason
    return Acquisition(frozenset(acquired), not_acquired)


def has_client_capability(keys: Iterable[str]) -> bool:
    """Client Access or an ACD Access level: what lets the CIC client run."""
    return any(key in catalog.CLIENT_CAPABILITIES for key in keys)


def client_capability_refusal(station: str, unavailable: Mapping[str, str]) -> Refusal | None:
    """R23: the user's concurrent client capability cannot be acquired and the station does
    not supply one, so the logon is refused (`unavailable`: such keys → why).

    Called only once nothing else supplies the capability; with no such key it is R20's
    refusal, not this one.
    """
    missing = {k: r for k, r in unavailable.items() if k in catalog.CLIENT_CAPABILITIES}
    if not missing:
        return None
    reasons = "; ".join(
        f"{catalog.describe(k).display_name}: {r}" for k, r in sorted(missing.items())
    )
    return Refusal(
        "R23",
        f"the user's Concurrent client license cannot be acquired ({reasons}) "
        f"and station {station} supplies neither Client Access nor ACD Access",
    )


def dynamic_remote_refusal(
    stations_holding_basic: int, live_dynamic: int, basic_station_total: int
) -> Refusal | None:
    """R24: a Dynamic Remote logon needs a Basic Station nobody uses.

    Active stations (enabled, holding Basic Station with licenses enabled) plus live
    Dynamic Remote connections must stay below Basic Station's Assignable Allowed.
    """
    if stations_holding_basic + live_dynamic < basic_station_total:
        return None
    return Refusal(
        "R24",
        f"no stations available: {stations_holding_basic} stations and {live_dynamic} "
        f"Dynamic Remote connections use all {basic_station_total} Basic Station licenses",
    )


def over_allocated(counts: KeyCounts, *, dynamic: int = 0) -> bool:
    """R20: more holders configured (with Basic Station's live Dynamic Remote connections,
    `dynamic`) than Assignable Allowed, as after a smaller license was loaded. Only then
    is a holder's license not a given at logon, and its holders in use worth counting."""
    return counts.assignable_configured + dynamic > counts.assignable_allowed


def availability_refusal(
    counts: KeyCounts, *, in_use: int, adding: int, dynamic: int = 0
) -> Refusal | None:
    """R20 "allocated and available": when an Assignable key is over-allocated (a smaller
    license was loaded), at most Allowed of its holders can be in use at once.

    A holder is in use while it is part of a live logon: a user logged on anywhere, a
    station someone is logged on to (docs/decisions.md). `in_use`: its holders in use by
    other logons (for Basic Station, Dynamic Remote connections included); `adding`: how
    many more this logon brings in (the station, the user); `dynamic`: live Dynamic Remote
    connections, which use Basic Station licenses too. A key that is not over-allocated
    is available to every holder.
    """
    allowed = counts.assignable_allowed
    if adding <= 0 or not over_allocated(counts, dynamic=dynamic):
        return None
    if in_use + adding <= allowed:
        return None
    name = counts.info.display_name
    return Refusal(
        "R20",
        f"{name} is over-allocated ({counts.assignable_configured} configured, {allowed} "
        f"allowed): {in_use} of its holders are in use, so it is not available for this "
        "logon",
    )


REMOTE_LOGIN_RIGHT = "User-defined Telephone Number on Remote Login"


def remote_login_refusal(user: str, *, has_right: bool) -> Refusal | None:
    """R24: a Dynamic Remote logon needs the user's Client Right (on by default)."""
    if has_right:
        return None
    return Refusal(
        "R24",
        f"{user} does not have the right {REMOTE_LOGIN_RIGHT!r} (Security Rights ▸ Client "
        "Rights), so cannot log on with a remote phone number",
    )


def remote_station_refusal(
    station: str, *, remote: bool, client_access_granted: bool
) -> Refusal | None:
    """R31: "If a user logs on to a remote station, that station also must acquire a Client
    Access license" (Client Access License)."""
    if not remote or client_access_granted:
        return None
    return Refusal(
        "R31",
        f"station {station} is a Remote station: that station also must acquire a Client "
        "Access license",
    )
