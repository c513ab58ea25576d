"""The demo database: what the spec's screenshots show ("Total configured: 52").

Its licenses are signed with a throw-away vendor key made for that database alone (R36):
the database records the public half and the private half is forgotten once the demo is
built (`build_demo` hands it back to a caller that wants to sign one more demo license,
as tools/screenshots.py does). Nothing that could sign a license ships with the package.

Stations operator, spearow, station1…station50 and users operator, spearow_user,
user1…user50; Basic Station, Client Access, ACD Media 3 and a few add-ons; ten users
Concurrent; three workgroups, one of which routes more than a member's media level
allows (an R18 note); and a second, smaller license load that leaves one supervisor
plug-in over-allocated (an R6 note).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from ia_licensing import catalog
from ia_licensing.licensefile import (
    License,
    LicenseCount,
    LicenseType,
    OrderedItem,
    ServerInfo,
    TrustStore,
    default_expiry,
    generate_key_pair,
    issue_license,
)
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, licensing, setup, stations, users, workgroups
from ia_licensing.services import trust as trust_keys

DEMO_HOST_ID = "G607DEMO"
DEMO_MACHINE_NAME = "ic-demo"
SYSTEM_STATUS = "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"

DEMO_ENTITLEMENTS: dict[str, tuple[int, int]] = {
    catalog.BASIC_STATION: (170, 0),
    catalog.CLIENT_ACCESS: (170, 50),
    catalog.ACD_MEDIA_1: (20, 10),
    catalog.ACD_MEDIA_2: (20, 10),
    catalog.ACD_MEDIA_3: (120, 30),
    catalog.ACD_SOCIAL_MEDIA: (60, 20),
    catalog.IPA_DIRECT: (10, 5),
    catalog.IPA_GROUP: (10, 5),
    catalog.IPA_MONITOR: (5, 5),
    catalog.IPA_DESIGNER: (5, 0),
    catalog.ANALYTICS_CORE: (20, 10),
    catalog.ANALYTICS_DESIGNER: (10, 5),
    catalog.ANALYTICS_ENTERPRISE: (60, 0),
    "I3_ACCESS_ANALYZER": (60, 10),
    "I3_ACCESS_CLIENT_MOBILE_EDITION": (60, 10),
    "I3_ACCESS_CLIENT_OPERATOR_ADDON": (10, 0),
    "I3_ACCESS_CLIENT_OUTLOOK_ADDIN": (60, 10),
    "I3_ACCESS_DATA_EXTRACTOR": (10, 0),
    "I3_ACCESS_DIALER_ADDON": (20, 20),
    "I3_ACCESS_FEEDBACK": (60, 0),
    "I3_ACCESS_OPTIMIZER": (60, 0),
    "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT": (120, 0),
    "I3_ACCESS_RECORDER": (120, 0),
    "I3_ACCESS_RECORDER_CLIENT": (20, 0),
    "I3_ACCESS_INTERACTION_SCRIPTER_ADDON": (10, 10),
    SYSTEM_STATUS: (12, 6),
    "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN": (10, 0),
    "I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN": (10, 0),
    "I3_ACCESS_DIALER_SUPERVISOR_PLUGIN": (10, 0),
    "I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN": (2, 2),
    "I3_LICENSE_ADVANCED_SESSION_ADDON": (100, 0),
    "I3_LICENSE_CONFERENCE_SESSION_ADDON": (100, 0),
    "I3_LICENSE_MEDIA_SESSION_ADDON": (120, 0),
    "EASYSRIPTER_EDITOR": (0, 20),
    "EASYSRIPTER_EXECUTOR": (0, 20),
    "EASYSRIPTER_REPORTING": (0, 20),
    "MSCRM_INTEGRATION": (0, 20),
}

DEMO_FEATURES = (
    "I3_FEATURE_VERSION_CIC",
    "I3_FEATURE_RWP_CITY",
    "I3_FEATURE_SIP",
    "I3_FEATURE_SMS",
    "I3_FEATURE_MEDIA_SERVERS",
    "I3_FEATURE_ADVANCED_SECURITY",
    "I3_FEATURE_SU_ALLOWED",
)

STATION_NAMES = ["operator", "spearow", *(f"station{i}" for i in range(1, 51))]
ASSIGNABLE_USERS = ["operator", "spearow_user", *(f"user{i}" for i in range(1, 41))]
CONCURRENT_USERS = [f"user{i}" for i in range(41, 51)]
AGENT_KEYS = frozenset(
    {
        catalog.CLIENT_ACCESS,
        catalog.ACD_MEDIA_3,
        catalog.ACD_SOCIAL_MEDIA,
        catalog.ANALYTICS_ENTERPRISE,
        "I3_ACCESS_RECORDER",
        "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT",
    }
)


def reduced_entitlements() -> dict[str, tuple[int, int]]:
    """The second demo license: two fewer System Status plug-ins than are allocated."""
    return {**DEMO_ENTITLEMENTS, SYSTEM_STATUS: (10, 6)}


@dataclass(frozen=True)
class DemoKey:
    """A throw-away demo vendor key: its id, private key PEM and public key file."""

    key_id: str
    private: bytes
    public: bytes

    @classmethod
    def new(cls) -> DemoKey:
        key_id = f"demo-{secrets.token_hex(6)}"
        private, public = generate_key_pair(key_id)
        return cls(key_id, private, public)

    @property
    def trust(self) -> TrustStore:
        return TrustStore.from_public_key_files(self.public)


def demo_license(
    host_id: str,
    machine_name: str,
    serial: int,
    counts: dict[str, tuple[int, int]],
    key: DemoKey,
) -> bytes:
    """A production license for the demo server, signed with that database's demo key."""
    lic = License(
        product=setup.DEFAULT_PRODUCT,
        license_type=LicenseType.PRODUCTION,
        serial=serial,
        generated=dt.date.today(),
        expires=default_expiry(LicenseType.PRODUCTION, dt.date.today()),
        server=ServerInfo(host_id, machine_name),
        switchover=None,
        features=DEMO_FEATURES,
        licenses=tuple(LicenseCount(k, a, p) for k, (a, p) in sorted(counts.items())),
        ordered_items=(
            OrderedItem("SW-001-4.0-SL03", "Intermediate Server", 1),
            OrderedItem("SW-001-4.0-AL02", "Business Client", 50),
            OrderedItem("SW-001-4.0-AL06", "Contact Center Level 3", 120),
        ),
        generated_by="IA Licensing demo",
    )
    return issue_license(lic, key.private, key.key_id)


def newer_entitlements() -> dict[str, tuple[int, int]]:
    """The README's `new.I3Lic`: System Status back to 12, ten more ACD Media 3."""
    media3 = DEMO_ENTITLEMENTS[catalog.ACD_MEDIA_3]
    return {**DEMO_ENTITLEMENTS, catalog.ACD_MEDIA_3: (media3[0] + 10, media3[1])}


# The README's `staff.csv`: three new agents for `import users staff.csv --dry-run`.
STAFF_CSV = (
    "name,method,enable_licenses,licenses\r\n"
    "agent1,assignable,yes,Client Access;ACD Media 3\r\n"
    "agent2,assignable,yes,Client Access;ACD Media 3;Interaction Recorder Access\r\n"
    "agent3,concurrent,yes,Client Access;ACD Media 1\r\n"
)


def sample_files(db: Database, key: DemoKey) -> dict[str, bytes]:
    """Files for the README's examples, by name: a newer license for this demo server,
    signed with the demo's throw-away key as its own licenses are (serial 3, after the
    demo's two loads), and a users CSV to import."""
    server = setup.server(db)
    newer = demo_license(server.host_id, server.machine_name, 3, newer_entitlements(), key)
    return {"new.I3Lic": newer, "staff.csv": STAFF_CSV.encode()}


def build_demo(db: Database) -> DemoKey:
    """Fill an initialised database with the demo; returns its throw-away key, which the
    caller forgets (or uses to sign another demo license for the same database)."""
    server = setup.server(db)
    key = DemoKey.new()
    trust_keys.adopt(db, key.trust, "init --demo: a throw-away key for this database only")

    def load(serial: int, counts: dict[str, tuple[int, int]]) -> None:
        data = demo_license(server.host_id, server.machine_name, serial, counts, key)
        licensing.load_license(db, data, TrustStore())

    load(1, DEMO_ENTITLEMENTS)
    basic = frozenset({catalog.BASIC_STATION})
    for name in STATION_NAMES:
        stations.add_station(db, name, machine_name=name, keys=basic)
    for name in ASSIGNABLE_USERS:
        users.add_user(db, name, Pool.ASSIGNABLE, keys=AGENT_KEYS)
    for i, name in enumerate(CONCURRENT_USERS):
        level = catalog.ACD_MEDIA_1 if i < 5 else catalog.ACD_MEDIA_2
        keys = frozenset({catalog.CLIENT_ACCESS, level, "EASYSRIPTER_EDITOR"})
        users.add_user(db, name, Pool.CONCURRENT, keys=keys)
    allocation.allocate(
        db, SYSTEM_STATUS, users=["operator", "spearow_user", *ASSIGNABLE_USERS[2:12]]
    )
    allocation.allocate(
        db, "I3_ACCESS_CLIENT_OPERATOR_ADDON", stations=["operator"], users=["operator"]
    )
    workgroups.add_workgroup(db, "Support", ["call", "chat", "email"])
    for name in ASSIGNABLE_USERS[2:22]:
        workgroups.add_member(db, "Support", name)
    workgroups.add_workgroup(db, "Sales", ["call"])
    for name in CONCURRENT_USERS[:5]:
        workgroups.add_member(db, "Sales", name)
    workgroups.add_workgroup(db, "Chat Desk", ["chat", "email"])
    for name in (CONCURRENT_USERS[3], CONCURRENT_USERS[6]):
        workgroups.add_member(db, "Chat Desk", name)
    load(2, reduced_entitlements())
    return key
