"""The command line of workgroup grants (R32): allocate/deallocate --workgroup, member
removal and workgroup delete releasing them, `inherited` and `licenses` in the listings."""

from __future__ import annotations

import json

import pytest

from ia_licensing import cli
from ia_licensing.cli.output import report_failure
from ia_licensing.cli.parser import build_parser
from ia_licensing.models import Database

CLIENT = "I3_ACCESS_CLIENT"


@pytest.fixture
def path(db: Database) -> Database:
    """The tests' database, whose license in force is small (Client Access: 3 of 3)."""
    return db


def run(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    """One command through the CLI's parser, command table and failure report (as `main`,
    without re-verifying the seeded test license against a license file)."""
    args = build_parser().parse_args(list(argv))
    try:
        cli.COMMANDS[args.command](db, args)
        code = 0
    except Exception as error:
        code = report_failure(error)
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], path: Database, *args: str) -> str:
    code, out, err = run(capsys, path, *args)
    assert code == 0, err
    return out


def listing(capsys: pytest.CaptureFixture[str], path: Database, what: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["name"]: r for r in json.loads(ok(capsys, path, what, "list", "--json"))}


def configured(capsys: pytest.CaptureFixture[str], path: Database) -> tuple[int, int]:
    rows = json.loads(ok(capsys, path, "allocations", "--json"))
    found = next(r for r in rows if r["key"] == CLIENT)
    return found["assignable_configured"], found["concurrent_configured"]


@pytest.fixture
def support(capsys: pytest.CaptureFixture[str], path: Database) -> Database:
    ok(capsys, path, "workgroup", "add", "Support", "--types", "call")
    for user in ("ann", "bob"):
        ok(capsys, path, "user", "add", user)
        ok(capsys, path, "workgroup", "member", "add", "Support", user)
    return path


def test_grant_shows_in_both_listings_and_counts_once(
    capsys: pytest.CaptureFixture[str], support: Database
) -> None:
    ok(capsys, support, "allocate", "client access", "--user", "ann")
    out = ok(capsys, support, "allocate", "Client Access", "--workgroup", "support")
    assert out == "Client Access: allocated to 1, unchanged 0\n"
    users = listing(capsys, support, "user")
    assert users["ann"]["licenses"] == [CLIENT]
    assert users["ann"]["inherited"] == {CLIENT: ["Support"]}
    assert users["bob"]["licenses"] == [] and users["bob"]["inherited"] == {CLIENT: ["Support"]}
    assert listing(capsys, support, "workgroup")["Support"]["licenses"] == [CLIENT]
    assert configured(capsys, support) == (2, 0)  # ann once, bob once
    table = ok(capsys, support, "user", "list")
    assert "Client Access (from Support)" in table


def test_a_new_member_over_the_threshold_is_refused_whole(
    capsys: pytest.CaptureFixture[str], support: Database
) -> None:
    ok(capsys, support, "allocate", CLIENT, "--workgroup", "Support")
    for user in ("cy", "dee"):
        ok(capsys, support, "user", "add", user)
    ok(capsys, support, "workgroup", "member", "add", "Support", "cy")  # 3 of 3
    code, out, err = run(capsys, support, "workgroup", "member", "add", "Support", "dee")
    assert code == 1 and out == ""
    assert err.startswith("refused (R4): adding dee to workgroup Support: Client Access")
    assert "members concerned: dee" in err and len(err.splitlines()) == 1
    assert "dee" not in listing(capsys, support, "workgroup")["Support"]["members"]
    assert configured(capsys, support) == (3, 0)


def test_member_removal_and_workgroup_delete_release_the_grant(
    capsys: pytest.CaptureFixture[str], support: Database
) -> None:
    ok(capsys, support, "allocate", CLIENT, "--workgroup", "Support")
    ok(capsys, support, "workgroup", "member", "remove", "Support", "ann")
    assert listing(capsys, support, "user")["ann"]["inherited"] == {}
    assert configured(capsys, support) == (1, 0)
    ok(capsys, support, "workgroup", "delete", "Support")
    assert configured(capsys, support) == (0, 0)


def test_deallocate_workgroup_keeps_direct_holdings(
    capsys: pytest.CaptureFixture[str], support: Database
) -> None:
    ok(capsys, support, "allocate", CLIENT, "--workgroup", "Support", "--user", "ann")
    out = ok(capsys, support, "deallocate", CLIENT, "--workgroup", "Support")
    assert out == "Client Access: removed from 1, unchanged 0\n"
    users = listing(capsys, support, "user")
    assert users["ann"]["licenses"] == [CLIENT] and users["ann"]["inherited"] == {}
    assert configured(capsys, support) == (1, 0)


def test_method_switch_with_grants(capsys: pytest.CaptureFixture[str], support: Database) -> None:
    ok(capsys, support, "allocate", CLIENT, "--workgroup", "Support")
    ok(capsys, support, "user", "set", "ann", "--method", "concurrent")
    assert configured(capsys, support) == (1, 1)
    ok(capsys, support, "user", "set", "ann", "--method", "assignable")
    ok(capsys, support, "allocate", "ACD Access Social Media", "--workgroup", "Support")
    code, _, err = run(capsys, support, "user", "set", "bob", "--method", "concurrent")
    assert code == 1
    assert err.startswith("refused (R16): switching bob to Concurrent moves all")
    assert listing(capsys, support, "user")["bob"]["method"] == "assignable"


def test_granting_to_a_concurrent_member_a_key_without_concurrent_licenses_is_refused(
    capsys: pytest.CaptureFixture[str], support: Database
) -> None:
    ok(capsys, support, "user", "set", "bob", "--method", "concurrent")
    code, _, err = run(
        capsys, support, "allocate", "ACD Access Social Media", "--workgroup", "Support"
    )
    assert code == 1
    assert err.startswith("refused (R2): workgroup Support:")
    assert "Concurrent members concerned: bob" in err
