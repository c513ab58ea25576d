"""The argument parser of the command line (DESIGN.md "Command line": a stable contract)."""

from __future__ import annotations

import argparse

from ia_licensing.cli.data import add_data_parsers
from ia_licensing.cli.license import add_license_parser
from ia_licensing.cli.logon import add_logon_parsers

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


def _flag_pair(parser: argparse.ArgumentParser, name: str, dest: str, help_text: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(f"--{name}", dest=dest, action="store_true", default=None, help=help_text)
    group.add_argument(f"--no-{name}", dest=dest, action="store_false", default=None)


def _license_flags(parser: argparse.ArgumentParser) -> None:
    _flag_pair(parser, "basic-station", "basic_station", "allocate Basic Station (stations only)")
    _flag_pair(parser, "client-access", "client_access", "allocate Client Access")
    parser.add_argument("--acd", choices=ACD_CHOICES, help="ACD Access License media level")
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
    add = station.add_parser("add")
    add.add_argument("name")
    add.add_argument("--type", choices=STATION_TYPES, default="workstation")
    add.add_argument("--machine-name")
    add.add_argument("--disabled", action="store_true")
    edit = station.add_parser("set")
    edit.add_argument("name")
    _license_flags(edit)
    enabled = edit.add_mutually_exclusive_group()
    enabled.add_argument("--enabled", dest="enabled", action="store_true", default=None)
    enabled.add_argument("--disabled", dest="enabled", action="store_false", default=None)
    edit.add_argument("--machine-name")
    station.add_parser("delete").add_argument("name")
    _json(station.add_parser("list"))

    user = commands.add_parser("user", help="users").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    add = user.add_parser("add")
    add.add_argument("name")
    add.add_argument("--method", choices=("assignable", "concurrent"), default="assignable")
    edit = user.add_parser("set")
    edit.add_argument("name")
    edit.add_argument("--method", choices=("assignable", "concurrent"))
    _license_flags(edit)
    user.add_parser("delete").add_argument("name")
    _json(user.add_parser("list"))

    workgroup = commands.add_parser("workgroup", help="ACD workgroup queues").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    add = workgroup.add_parser("add")
    add.add_argument("name")
    add.add_argument("--types", required=True, help="call,chat,email,generic")
    types = workgroup.add_parser("set")
    types.add_argument("name")
    types.add_argument("--types", required=True)
    workgroup.add_parser("delete").add_argument("name")
    member = workgroup.add_parser("member").add_subparsers(
        dest="member_action", metavar="ACTION", required=True
    )
    for verb in ("add", "remove"):
        change = member.add_parser(verb)
        change.add_argument("workgroup")
        change.add_argument("user")
    _json(workgroup.add_parser("list"))

    for verb in ("allocate", "deallocate"):
        change = commands.add_parser(verb, help=f"{verb} a license (all-or-nothing)")
        change.add_argument("key")
        change.add_argument("--user", action="append", default=[], metavar="U")
        change.add_argument("--station", action="append", default=[], metavar="S")

    add_license_parser(commands)
    add_data_parsers(commands)
    add_logon_parsers(commands)
    _json(commands.add_parser("allocations", help="the Licenses Allocation container"))
    _json(commands.add_parser("notes", help="compliance notes"))
    audit = commands.add_parser("audit", help="the audit trail (newest first)")
    audit.add_argument("--limit", type=int, default=50)
    _json(audit)
    return parser
