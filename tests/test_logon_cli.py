"""The logon commands of the command line (logon, logoff, sessions), through the cli
package's own parser and command table: output, JSON, and a refusal's exit code and message."""

from __future__ import annotations

import json

import pytest

from ia_licensing import cli
from ia_licensing.catalog import BASIC_STATION as BASIC
from ia_licensing.catalog import CLIENT_ACCESS as CLIENT
from ia_licensing.cli.parser import build_parser
from ia_licensing.models import Database
from ia_licensing.services import licensing, users
from ia_licensing.services.errors import Refused
from tests.helpers.database import DIALER, concurrent_user, station


def run(db: Database, *argv: str) -> None:
    args = build_parser().parse_args(list(argv))
    cli.COMMANDS[args.command](db, args)


def test_cli_logon_logoff_sessions(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    concurrent_user(db, "cara", CLIENT, DIALER)
    concurrent_user(db, "dan", DIALER)
    concurrent_user(db, "eve", DIALER)
    station(db, "s1", CLIENT)
    station(db, "s2", CLIENT)
    run(db, "logon", "dan", "--remote-number", "555-0100")
    run(db, "logon", "eve", "--station", "s2")
    capsys.readouterr()
    run(db, "logon", "cara", "--station", "s1")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "cara logged on to station s1",
        "acquired: Client Access",
        "not acquired (R23): Interaction Dialer Add-On: all 2 Concurrent licenses are in use",
    ]
    run(db, "sessions", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [set(r) for r in rows] == [{"user", "station", "remote_number", "since", "licenses"}] * 3
    assert [(r["user"], r["station"], r["remote_number"], r["licenses"]) for r in rows] == [
        ("cara", "s1", None, [CLIENT]),
        ("dan", None, "555-0100", [DIALER, BASIC]),  # a Dynamic Remote holds a Basic Station
        ("eve", "s2", None, [DIALER]),
    ]
    run(db, "logoff", "cara")
    assert capsys.readouterr().out == "cara logged off\n"
    with pytest.raises(Refused) as error:
        run(db, "logon", "dan", "--station", "s2")
    assert str(error.value) == "refused (R22): station s2 in use by eve"


def test_cli_refusal_exits_1_with_the_rule(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through cli.main: one stderr line naming the rule."""
    users.add_user(db, "amy")
    station(db, "s1", basic=False)
    # cli.run re-verifies entitlements against a license file this test never loaded.
    monkeypatch.setattr(licensing, "reverify", lambda db, trust: False)
    code = cli.main(["--db", db.url, "logon", "amy", "--station", "s1"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("refused (R20): station s1 has no Basic Station")
    with pytest.raises(SystemExit) as usage_error:  # neither --station nor --remote-number
        cli.main(["--db", db.url, "logon", "amy"])
    assert usage_error.value.code == 2
