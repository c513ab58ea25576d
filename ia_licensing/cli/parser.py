"""The argument parser of the command line, every command's flags in this one module
(DESIGN.md "Command line": a stable contract). It imports no command module."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from ia_licensing import package_version
from ia_licensing.licensefile import LicenseType
from ia_licensing.services import csv_import

STATION_TYPES = (
    "workstation",
    "managed-workstation",
    "stand-alone-fax",
    "stand-alone-phone",
    "remote",
)
ACD_CHOICES = ("media1", "media2", "media3", "none")
IPA_CHOICES = ("direct", "group", "monitor", "designer", "none")
ANALYTICS_CHOICES = ("core", "designer", "enterprise", "none")
LICENSE_TYPES = tuple(t.value for t in LicenseType)


def _flag_pair(parser: argparse.ArgumentParser, name: str, dest: str, help_text: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(f"--{name}", dest=dest, action="store_true", default=None, help=help_text)
    group.add_argument(f"--no-{name}", dest=dest, action="store_false", default=None)


def _license_flags(parser: argparse.ArgumentParser) -> None:
    _flag_pair(parser, "basic-station", "basic_station", "allocate Basic Station (stations only)")
    _flag_pair(parser, "client-access", "client_access", "allocate Client Access")
    parser.add_argument("--acd", choices=ACD_CHOICES, help="ACD Access License media level")
    parser.add_argument(
        "--acd-types",
        metavar="TYPE[,TYPE]",
        help="interaction types chosen for Media 1 (one) or Media 2 (up to two): call, chat, "
        "email, generic (R18); an empty value clears the choice",
    )
    _flag_pair(parser, "acd-social", "acd_social", "allocate ACD Social Media")
    parser.add_argument("--ipa", choices=IPA_CHOICES, help="IPA License type")
    parser.add_argument("--analytics", choices=ANALYTICS_CHOICES, help="Analytics tier (users)")
    parser.add_argument("--add-license", action="append", default=[], metavar="KEY")
    parser.add_argument("--remove-license", action="append", default=[], metavar="KEY")
    licenses = parser.add_mutually_exclusive_group()
    licenses.add_argument(
        "--enable-licenses", dest="licenses_enabled", action="store_true", default=None
    )
    licenses.add_argument(
        "--disable-licenses", dest="licenses_enabled", action="store_false", default=None
    )


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ia-licensing", description="IA Licensing console, command line"
    )
    parser.add_argument("--version", action="version", version=f"ia-licensing {package_version()}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="database file or SQLAlchemy URL")
    parser.add_argument("--trust-store", metavar="DIR", help="folder of trusted public keys")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="initialise the database for this server")
    init.add_argument("--host-id")
    init.add_argument("--machine-name")
    init.add_argument("--switchover-host-id")
    init.add_argument("--switchover-machine-name")
    init.add_argument("--license", metavar="FILE", help="load this license file")
    init.add_argument("--demo", action="store_true", help="fill in the demo stations and users")
    init.add_argument("--force", action="store_true", help="start again from an empty database")

    station = commands.add_parser("station", help="stations").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    add = station.add_parser("add", help="add a station")
    add.add_argument("name")
    add.add_argument("--type", choices=STATION_TYPES, default="workstation")
    add.add_argument("--machine-name")
    add.add_argument("--disabled", action="store_true")
    add.add_argument("--remote-number", metavar="N", help="a Remote station's phone number")
    edit = station.add_parser("set", help="change a station's settings and licenses")
    edit.add_argument("name")
    _license_flags(edit)
    enabled = edit.add_mutually_exclusive_group()
    enabled.add_argument("--enabled", dest="enabled", action="store_true", default=None)
    enabled.add_argument("--disabled", dest="enabled", action="store_false", default=None)
    edit.add_argument("--machine-name")
    station.add_parser("delete", help="delete a station (R15)").add_argument("name")
    _json(station.add_parser("list", help="list the stations"))

    user = commands.add_parser("user", help="users").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    add = user.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--method", choices=("assignable", "concurrent"), default="assignable")
    edit = user.add_parser("set", help="change a user's method and licenses")
    edit.add_argument("name")
    edit.add_argument("--method", choices=("assignable", "concurrent"))
    _license_flags(edit)
    _flag_pair(
        edit,
        "remote-login",
        "remote_login",
        "Client Rights: User-defined Telephone Number on Remote Login (Dynamic Remote, R24)",
    )
    user.add_parser("delete", help="delete a user (R15)").add_argument("name")
    _json(user.add_parser("list", help="list the users"))

    workgroup = commands.add_parser("workgroup", help="ACD workgroup queues").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    add = workgroup.add_parser("add", help="add a workgroup queue")
    add.add_argument("name")
    add.add_argument("--types", required=True, help="call,chat,email,generic")
    types = workgroup.add_parser("set", help="change the interaction types it routes")
    types.add_argument("name")
    types.add_argument("--types", required=True)
    workgroup.add_parser("delete", help="delete a workgroup").add_argument("name")
    member = workgroup.add_parser("member", help="add or remove a member").add_subparsers(
        dest="member_action", metavar="ACTION", required=True
    )
    for verb in ("add", "remove"):
        change = member.add_parser(verb, help=f"{verb} a member")
        change.add_argument("workgroup")
        change.add_argument("user")
    _json(workgroup.add_parser("list", help="list the workgroups"))

    for verb in ("allocate", "deallocate"):
        change = commands.add_parser(verb, help=f"{verb} a license (all-or-nothing)")
        change.add_argument("key")
        change.add_argument("--user", action="append", default=[], metavar="U")
        change.add_argument("--station", action="append", default=[], metavar="S")
        change.add_argument(
            "--workgroup",
            action="append",
            default=[],
            metavar="W",
            help="grant to (or take back from) a workgroup: its members hold it (R32)",
        )

    _add_license_parser(commands)
    _add_data_parsers(commands)
    _add_logon_parsers(commands)
    _json(commands.add_parser("allocations", help="the Licenses Allocation container"))
    _json(commands.add_parser("notes", help="compliance notes"))
    audit = commands.add_parser("audit", help="the audit trail (newest first), or verify it")
    audit.add_argument(
        "action", nargs="?", choices=["verify"], help="verify: check the trail and counters (R30)"
    )
    audit.add_argument("--limit", type=_limit, default=50, help=f"1 to {MAX_LIMIT:,}")
    _json(audit)
    return parser


def _add_license_parser(commands: Any) -> None:
    license_ = commands.add_parser("license", help="license files").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    load = license_.add_parser("load", help="load a license file (R26, R27)")
    load.add_argument("file")
    load.add_argument("--dry-run", action="store_true", help="show before → after only")
    load.add_argument(
        "--against-usage",
        action="store_true",
        help="with --dry-run: the recorded usage under the new counts (R34)",
    )
    load.add_argument("--since", type=_date, help="with --against-usage: from this day (UTC)")
    load.add_argument("--json", action="store_true")
    for name, text in (("show", "the license in force"), ("history", "every license loaded")):
        license_.add_parser(name, help=text).add_argument("--json", action="store_true")
    keygen = license_.add_parser("keygen", help="vendor side: a signing key pair")
    keygen.add_argument("--key-id", required=True)
    keygen.add_argument("--private", required=True, metavar="OUT")
    keygen.add_argument("--public", required=True, metavar="OUT")
    issue = license_.add_parser("issue", help="vendor side: sign a license file")
    issue.add_argument("--signing-key", required=True, metavar="PEM")
    issue.add_argument("--key-id", required=True)
    issue.add_argument("--host-id", required=True)
    issue.add_argument("--machine-name", required=True)
    issue.add_argument("--switchover-host-id")
    issue.add_argument("--switchover-machine-name")
    issue.add_argument("--type", required=True, choices=LICENSE_TYPES)
    issue.add_argument("--product", required=True)
    issue.add_argument("--generated", type=_date, help="YYYY-MM-DD (default: today)")
    issue.add_argument("--expires", type=_date, help="YYYY-MM-DD (default: the type's rule)")
    issue.add_argument("--serial", type=int, default=1)
    issue.add_argument("--feature", action="append", default=[], metavar="KEY")
    issue.add_argument("--license", action="append", default=[], metavar="KEY=ASSIGNED:POOLED")
    issue.add_argument("--out", required=True, metavar="FILE")
    issue.add_argument(
        "--size",
        choices=("small", "large"),
        help="development types: 8 (small, the default) or 30 (large) of each access and "
        "session license",
    )


MAX_LIMIT = 1_000_000


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"not a whole number from 1 to {MAX_LIMIT:,}: {text!r}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_logon_parsers(commands: Any) -> None:
    """Add `logon`, `logoff` and `sessions` to the command line's subparsers."""
    on = commands.add_parser("logon", help="log a user on (R20–R25)")
    on.add_argument("user")
    where = on.add_mutually_exclusive_group(required=True)
    where.add_argument("--station", metavar="S", help="the station to log on to")
    where.add_argument(
        "--remote-number", metavar="N", help="Dynamic Remote: the phone number to use"
    )
    on.add_argument("--json", action="store_true", help="print JSON")
    commands.add_parser("logoff", help="log a user off").add_argument("user")
    listing = commands.add_parser("sessions", help="live logon sessions, or replay a file of them")
    listing.add_argument("--json", action="store_true", help="print JSON")
    replay = listing.add_subparsers(dest="action", metavar="ACTION").add_parser(
        "replay", help="apply a server's logon/logoff events at their own times (R34)"
    )
    replay.add_argument(
        "file", metavar="EVENTS.csv", help="columns: time, event, user, station, remote_number"
    )
    replay.add_argument("--dry-run", action="store_true", help="apply, report, change nothing")
    replay.add_argument("--json", action="store_true", help="print JSON")
    usage = commands.add_parser("usage", help="usage history: peaks in use and denials (R33)")
    usage.add_argument("--key", help="one license (display name or I3_* key)")
    usage.add_argument("--since", type=_date, help="YYYY-MM-DD (UTC day, included)")
    usage.add_argument("--until", type=_date, help="YYYY-MM-DD (UTC day, excluded)")
    usage.add_argument("--by", choices=("hour", "day"), default="hour", help="the period")
    usage.add_argument("--json", action="store_true", help="print JSON")


def _add_data_parsers(commands: Any) -> None:
    importer = commands.add_parser("import", help="import stations or users from CSV")
    importer.add_argument("kind", choices=[k.value for k in csv_import.ImportKind])
    importer.add_argument("file")
    importer.add_argument("--dry-run", action="store_true", help="check every row, change nothing")
    exporter = commands.add_parser("export", help="export the allocation report")
    exporter.add_argument("what", choices=["allocations"])
    exporter.add_argument("--format", required=True, choices=["csv", "pdf"])
    exporter.add_argument("--out", required=True, metavar="FILE")
