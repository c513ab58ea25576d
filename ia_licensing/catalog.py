"""License keys as the Licensing Technical Reference names them. Pure data.

Every key has a display name (the name Interaction Administrator shows in the
Licenses Allocation container), a scope (who may hold it), a kind (access keys are
allocatable; features and session licenses are not, R29) and, for the keys that
exclude each other on one holder, a group (ACD media level, IPA type, Analytics tier).
Keys the spec shows without an I3_* name get one in the same style; they are listed in
docs/decisions.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    STATION_ONLY = "station-only"
    USER_ONLY = "user-only"
    BOTH = "both"
    SERVER = "server"


class Kind(StrEnum):
    ACCESS = "access"
    FEATURE = "feature"
    SESSION = "session"


class Group(StrEnum):
    ACD_MEDIA = "ACD media level"
    IPA = "IPA type"
    ANALYTICS = "Analytics tier"


class InteractionType(StrEnum):
    """Queue interaction types (ACD Workgroup Queues)."""

    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"
    GENERIC = "generic"

    @property
    def label(self) -> str:
        return _INTERACTION_LABELS[self]


_INTERACTION_LABELS = {
    InteractionType.CALL: "Call/Callback",
    InteractionType.CHAT: "Chat",
    InteractionType.EMAIL: "Email",
    InteractionType.GENERIC: "Generic",
}

ALL_INTERACTION_TYPES = frozenset(InteractionType)


@dataclass(frozen=True)
class LicenseKey:
    key: str
    display_name: str
    scope: Scope = Scope.BOTH
    kind: Kind = Kind.ACCESS
    group: Group | None = None
    description: str = ""
    # ACD media levels only: how many interaction types the level may queue.
    media_types: int | None = None
    arbitrary: bool = False

    @property
    def allocatable(self) -> bool:
        return self.kind is Kind.ACCESS

    @property
    def station_allowed(self) -> bool:
        return self.allocatable and self.scope in (Scope.STATION_ONLY, Scope.BOTH)

    @property
    def user_allowed(self) -> bool:
        return self.allocatable and self.scope in (Scope.USER_ONLY, Scope.BOTH)


BASIC_STATION = "I3_LICENSE_BASIC_STATION"
CLIENT_ACCESS = "I3_ACCESS_CLIENT"
ACD_MEDIA_1 = "I3_ACCESS_ACD_MEDIA_1"
ACD_MEDIA_2 = "I3_ACCESS_ACD_MEDIA_2"
ACD_MEDIA_3 = "I3_ACCESS_ACD_MEDIA_3_PLUS"
ACD_SOCIAL_MEDIA = "I3_ACCESS_ACD_SOCIAL_MEDIA"
IPA_DIRECT = "I3_ACCESS_IPA_USER"
IPA_GROUP = "I3_ACCESS_IPA_USER_ACD"
IPA_MONITOR = "I3_ACCESS_IPA_MONITOR"
IPA_DESIGNER = "I3_ACCESS_IPA_DESIGNER"
ANALYTICS_CORE = "I3_ACCESS_ANALYTICS_CORE"
ANALYTICS_DESIGNER = "I3_ACCESS_ANALYTICS_DESIGNER"
ANALYTICS_ENTERPRISE = "I3_ACCESS_ANALYTICS_ENTERPRISE"

ACD_LEVELS = (ACD_MEDIA_1, ACD_MEDIA_2, ACD_MEDIA_3)
IPA_TYPES = (IPA_DIRECT, IPA_GROUP, IPA_MONITOR, IPA_DESIGNER)
ANALYTICS_TIERS = (ANALYTICS_CORE, ANALYTICS_DESIGNER, ANALYTICS_ENTERPRISE)
ANALYZER = "I3_ACCESS_ANALYZER"
RECORDER = "I3_ACCESS_RECORDER"
# The capabilities that let the CIC client run (CIC Client Licensing).
CLIENT_CAPABILITIES = (CLIENT_ACCESS, *ACD_LEVELS)

_ADD_ONS = (
    ("I3_ACCESS_ANALYZER", "Interaction Analyzer Access"),
    ("I3_ACCESS_CLIENT_MOBILE_EDITION", "Interaction Client Mobile Edition"),
    ("I3_ACCESS_CLIENT_OPERATOR_ADDON", "Interaction Client Operator Add-On"),
    ("I3_ACCESS_CLIENT_OUTLOOK_ADDIN", "Interaction Client Outlook Add-In"),
    ("I3_ACCESS_DATA_EXTRACTOR", "Interaction Data Extractor"),
    ("I3_ACCESS_DIALER_ADDON", "Interaction Dialer Add-On"),
    ("I3_ACCESS_FEEDBACK", "Interaction Feedback Access"),
    ("I3_ACCESS_OPTIMIZER", "Interaction Optimizer Access"),
    ("I3_ACCESS_OPTIMIZER_RTA", "Interaction Optimizer Access Real-time Adherence"),
    ("I3_ACCESS_OPTIMIZER_CLIENT", "Interaction Optimizer Client Access"),
    ("I3_ACCESS_OPTIMIZER_RTA_TRACKING", "Interaction Optimizer Real-time Adherence Tracking"),
    ("I3_ACCESS_OPTIMIZER_SCHEDULABLE", "Interaction Optimizer Schedulable"),
    ("I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT", "Interaction Quality Manager"),
    ("I3_ACCESS_RECORDER", "Interaction Recorder Access"),
    ("I3_ACCESS_RECORDER_CLIENT", "Interaction Recorder Client Access"),
    ("I3_ACCESS_RECORDER_EXTREME_QUERY", "Interaction Recorder Extreme Query"),
    ("I3_ACCESS_INTERACTION_SCRIPTER_ADDON", "Interaction Scripter"),
    ("I3_ACCESS_SUPERVISOR_IPAD", "Interaction Supervisor iPad Edition"),
    (
        "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Historical Reporting",
    ),
    ("I3_ACCESS_DIALER_SUPERVISOR_PLUGIN", "Interaction Supervisor Plug-In: Interaction Dialer"),
    (
        "I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN",
        "Interaction Supervisor Plug-In: Reporting Assistant",
    ),
    ("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN", "Interaction Supervisor Plug-In: System Status"),
    ("I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN", "Interaction Supervisor Plug-In: Workgroup"),
    ("I3_ACCESS_TRACKER", "Interaction Tracker Access"),
    ("I3_ACCESS_SALESFORCE_BUSINESS_USER", "Salesforce Business User"),
    ("I3_ACCESS_SALESFORCE_STANDARD_USER", "Salesforce Standard User"),
)

_SESSIONS = (
    ("I3_LICENSE_ADVANCED_SESSION_ADDON", "Advanced Session"),
    ("I3_LICENSE_CONFERENCE_SESSION_ADDON", "Conference Session"),
    ("I3_LICENSE_MEDIA_SESSION_ADDON", "Media Session"),
)

_FEATURES = (
    ("I3_FEATURE_VERSION_CIC", "CIC version"),
    ("I3_FEATURE_RWP_CITY", "Interaction Web Portal"),
    ("I3_FEATURE_SIP", "SIP"),
    ("I3_FEATURE_SMS", "SMS"),
    ("I3_FEATURE_MEDIA_SERVERS", "Interaction Media Servers"),
    ("I3_FEATURE_ADVANCED_SECURITY", "Advanced security"),
    ("I3_FEATURE_SU_ALLOWED", "Install updates while paying maintenance"),
)

KEYS: tuple[LicenseKey, ...] = (
    LicenseKey(
        BASIC_STATION,
        "Basic Station",
        Scope.STATION_ONLY,
        description="Station audio for a phone device or the SIP Soft Phone.",
    ),
    LicenseKey(CLIENT_ACCESS, "Client Access", description="Lets the CIC client run."),
    LicenseKey(ACD_MEDIA_1, "ACD Media 1", group=Group.ACD_MEDIA, media_types=1),
    LicenseKey(ACD_MEDIA_2, "ACD Media 2", group=Group.ACD_MEDIA, media_types=2),
    LicenseKey(
        ACD_MEDIA_3, "ACD Media 3", group=Group.ACD_MEDIA, media_types=len(ALL_INTERACTION_TYPES)
    ),
    LicenseKey(ACD_SOCIAL_MEDIA, "ACD Access Social Media"),
    LicenseKey(IPA_DIRECT, "IPA Direct Routed Work Items", group=Group.IPA),
    LicenseKey(IPA_GROUP, "IPA Group Routed Work Items", group=Group.IPA),
    LicenseKey(IPA_MONITOR, "IPA Process Monitor", Scope.USER_ONLY, group=Group.IPA),
    LicenseKey(IPA_DESIGNER, "IPA Process Designer", Scope.USER_ONLY, group=Group.IPA),
    LicenseKey(ANALYTICS_CORE, "Analytics Core", Scope.USER_ONLY, group=Group.ANALYTICS),
    LicenseKey(ANALYTICS_DESIGNER, "Analytics Designer", Scope.USER_ONLY, group=Group.ANALYTICS),
    LicenseKey(
        ANALYTICS_ENTERPRISE, "Analytics Enterprise", Scope.USER_ONLY, group=Group.ANALYTICS
    ),
    *(LicenseKey(key, name) for key, name in _ADD_ONS),
    *(LicenseKey(key, name, Scope.SERVER, Kind.SESSION) for key, name in _SESSIONS),
    *(LicenseKey(key, name, Scope.SERVER, Kind.FEATURE) for key, name in _FEATURES),
)

_KEY_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BY_KEY = {k.key: k for k in KEYS}
_BY_NAME = {k.display_name.casefold(): k for k in KEYS}


def describe(key: str) -> LicenseKey:
    """The catalogue entry for a key as it appears in a license file (R29)."""
    known = _BY_KEY.get(key)
    if known is not None:
        return known
    if key.startswith("I3_FEATURE_"):
        return LicenseKey(key, key, Scope.SERVER, Kind.FEATURE)
    if key.startswith("I3_LICENSE_") and key.endswith("_SESSION_ADDON"):
        return LicenseKey(key, key, Scope.SERVER, Kind.SESSION)
    return LicenseKey(key, f"Arbitrary: {key}", arbitrary=True)


def find(name_or_key: str) -> LicenseKey | None:
    """A key named the way an administrator types it: I3_* key or display name, any case.

    Arbitrary keys are accepted as NAME or as "Arbitrary: NAME"; any other word that is
    shaped like a key (letters, digits, underscores) is taken as an arbitrary key, so a
    license may carry keys this catalogue has never heard of (R29).
    """
    text = name_or_key.strip()
    if not text:
        return None
    known = _BY_KEY.get(text.upper()) or _BY_NAME.get(text.casefold())
    if known is not None:
        return known
    prefix = "arbitrary:"
    if text.casefold().startswith(prefix):
        text = text[len(prefix) :].strip()
    if _KEY_SHAPE.fullmatch(text):
        return describe(text.upper())
    return None


def acd_media_types(key: str) -> int | None:
    entry = _BY_KEY.get(key)
    return entry.media_types if entry else None


@dataclass(frozen=True)
class PartNumber:
    """An ordered item and the keys one unit of it grants (Access License Key Examples)."""

    part_number: str
    description: str
    keys: tuple[str, ...]


PART_NUMBERS: tuple[PartNumber, ...] = (
    PartNumber("SW-001-4.0-AL01", "Basic Station", (BASIC_STATION,)),
    PartNumber("SW-001-4.0-AL02", "Business Client", (BASIC_STATION, CLIENT_ACCESS)),
    PartNumber("SW-001-4.0-AL03", "Phone-only Call Center", (BASIC_STATION, ACD_MEDIA_1)),
    PartNumber(
        "SW-001-4.0-AL04", "Contact Center Level 1", (BASIC_STATION, CLIENT_ACCESS, ACD_MEDIA_1)
    ),
    PartNumber(
        "SW-001-4.0-AL06",
        "Contact Center Level 3",
        (BASIC_STATION, CLIENT_ACCESS, ACD_MEDIA_3, "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"),
    ),
    PartNumber(
        "SW-001-4.0-AA01",
        "Interaction Supervisor Add-on",
        (
            "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN",
            "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN",
            "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN",
        ),
    ),
    PartNumber(
        "SW-001-4.0-AA02", "Interaction Scripter Add-on", ("I3_ACCESS_INTERACTION_SCRIPTER_ADDON",)
    ),
    PartNumber(
        "SW-001-4.0-AA17",
        "Interaction Report Assistant",
        ("I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN",),
    ),
    PartNumber("SW-001-4.0-SL03", "Intermediate Server", ()),
    PartNumber("SW-001-4.0-PL04", "Advanced Session", ("I3_LICENSE_ADVANCED_SESSION_ADDON",)),
    PartNumber("SW-001-4.0-PL06", "Conference Session", ("I3_LICENSE_CONFERENCE_SESSION_ADDON",)),
    PartNumber("SW-001-4.0-PL09", "Media Session", ("I3_LICENSE_MEDIA_SESSION_ADDON",)),
)

_PARTS = {p.part_number: p for p in PART_NUMBERS}


def part(part_number: str) -> PartNumber | None:
    """Part numbers are accepted with or without the space the spec's tables insert."""
    return _PARTS.get(part_number.replace(" ", "").upper())


# Interaction Administrator's Licensing-tab words for the grouped keys (the display names
# above are the Licenses Allocation container's: "ACD Media 3" there is "Media 3 Plus" here).
ACD_LEVEL_LABELS: dict[str, str] = {
    ACD_MEDIA_1: "Media 1",
    ACD_MEDIA_2: "Media 2",
    ACD_MEDIA_3: "Media 3 Plus",
}
IPA_LABELS: dict[str, str] = {
    IPA_DIRECT: "Direct Routing Work Items",
    IPA_GROUP: "Group Routed Work Item",
    IPA_MONITOR: "Process Monitor",
    IPA_DESIGNER: "Process Designer",
}
ANALYTICS_LABELS: dict[str, str] = {
    ANALYTICS_CORE: "Core",
    ANALYTICS_DESIGNER: "Designer",
    ANALYTICS_ENTERPRISE: "Enterprise",
}
