"""R18: the ACD interaction types a Media 1 (one) or Media 2 (up to two) holder chooses;
Media 3 Plus takes all. Notes compare the types a member gets with the union of their
workgroups' types; a short user's logon succeeds with the spec's warning (issue 12, item 6).
"""

from __future__ import annotations

import json

import pytest

from ia_licensing import catalog, cli, rules
from ia_licensing.catalog import InteractionType as T
from ia_licensing.cli.parser import build_parser
from ia_licensing.models import Database
from ia_licensing.services import compliance, logon, stations, users, workgroups
from ia_licensing.services.errors import Refused
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import refused, snapshot

M1, M2, M3 = catalog.ACD_MEDIA_1, catalog.ACD_MEDIA_2, catalog.ACD_MEDIA_3
BASIC, CLIENT = catalog.BASIC_STATION, catalog.CLIENT_ACCESS


def r18(db: Database) -> dict[str, str]:
    return {n.subject: n.message for n in compliance.notes(db) if n.rule == "R18"}


def test_the_types_a_level_gives() -> None:
    assert rules.acd_types_of(None, {T.CHAT}, {T.CHAT}) == frozenset()
    assert rules.acd_types_of(M3, (), ()) == frozenset(T)
    assert rules.acd_types_of(M1, {T.EMAIL}, {T.CALL}) == {T.EMAIL}  # the choice wins
    # None chosen: the queues' types first, as many as the level allows, then in order.
    assert rules.acd_types_of(M1, (), {T.EMAIL, T.CHAT}) == {T.CHAT}
    assert rules.acd_types_of(M2, (), {T.EMAIL}) == {T.CALL, T.EMAIL}
    assert rules.acd_types_of(M2, (), ()) == {T.CALL, T.CHAT}
    assert rules.acd_types_refusal(M1, {T.CALL, T.CHAT}).rule == "R18"  # type: ignore[union-attr]
    assert rules.acd_types_refusal(M2, {T.CALL, T.CHAT}) is None
    assert rules.acd_types_refusal(M3, {T.CALL}) is not None  # nothing to choose
    assert rules.acd_types_refusal(None, {T.CALL}) is not None
    assert rules.acd_types_refusal(None, ()) is None


def test_a_user_chooses_and_notes_compare_with_the_workgroups(db: Database) -> None:
    users.add_user(db, "ann", keys=frozenset({CLIENT, M1}))
    workgroups.add_workgroup(db, "Support", ["chat"])
    workgroups.add_member(db, "Support", "ann")
    assert r18(db) == {}  # none chosen: Chat, what her queue routes
    users.update_user(db, "ann", acd_types=["email"])
    assert users.get_user(db, "ann").acd_types == (T.EMAIL,)
    assert r18(db)["ann"] == (
        "ACD Media 1 gives Email but the user's workgroups also route Chat; "
        "ACD interaction types are limited"
    )
    before = snapshot(db)
    error = refused("R18", users.update_user, db, "ann", acd_types=["chat", "email"])
    assert "ACD Media 1 allows 1 interaction type; 2 chosen" in str(error)
    assert snapshot(db) == before
    users.update_user(db, "ann", acd_types=["chat"])
    assert r18(db) == {}
    # Media 2 up to two; back to Media 1 keeps the first of them; Media 3 Plus takes all.
    users.update_user(db, "ann", edit=KeyEdit(groups={catalog.Group.ACD_MEDIA: M2}))
    users.update_user(db, "ann", acd_types=["email", "chat"])
    assert users.get_user(db, "ann").acd_types == (T.CHAT, T.EMAIL)
    users.update_user(db, "ann", edit=KeyEdit(groups={catalog.Group.ACD_MEDIA: M1}))
    assert users.get_user(db, "ann").acd_types == (T.CHAT,)
    users.update_user(db, "ann", edit=KeyEdit(groups={catalog.Group.ACD_MEDIA: M3}))
    assert users.get_user(db, "ann").acd_types == ()
    refused("R18", users.update_user, db, "ann", acd_types=["call"])


def test_a_station_chooses_too(db: Database) -> None:
    stations.add_station(db, "s1", keys=frozenset({BASIC, M1}), acd_types=["email"])
    assert stations.get_station(db, "s1").acd_types == (T.EMAIL,)
    refused("R18", stations.update_station, db, "s1", acd_types=["email", "chat"])
    refused("R18", stations.add_station, db, "s2", keys=frozenset({BASIC}), acd_types=["call"])


def test_a_short_users_logon_succeeds_with_the_warning(db: Database) -> None:
    users.add_user(db, "ann", keys=frozenset({CLIENT, M1}))
    users.update_user(db, "ann", acd_types=["call"])
    workgroups.add_workgroup(db, "Support", ["call", "email"])
    workgroups.add_member(db, "Support", "ann")
    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    result = logon.logon(db, "ann", station="s1")
    assert result.warnings == (
        "ACD interaction types are limited to Call/Callback until the licensing is resolved",
    )
    # A station's own ACD level adds its types for whoever logs on to it.
    stations.add_station(db, "s2", keys=frozenset({BASIC, M1}), acd_types=["email"])
    assert logon.logon(db, "ann", station="s2").warnings == ()
    users.add_user(db, "bob", keys=frozenset({CLIENT}))
    workgroups.add_member(db, "Support", "bob")
    assert logon.logon(db, "bob", station="s1").warnings == (
        "ACD interaction types are limited to none (no ACD Access) until the licensing is resolved",
    )


def run(db: Database, *argv: str) -> None:
    args = build_parser().parse_args(list(argv))
    cli.COMMANDS[args.command](db, args)


def test_cli_acd_types_user_list_and_logon_warnings(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    run(db, "user", "add", "ann")
    run(db, "user", "set", "ann", "--client-access", "--acd", "media2", "--acd-types", "call,email")
    run(db, "workgroup", "add", "Desk", "--types", "chat")
    run(db, "workgroup", "member", "add", "Desk", "ann")
    assert "note (R18): ann: ACD Media 2 gives Call/Callback, Email" in capsys.readouterr().out
    run(db, "user", "list", "--json")
    (ann,) = json.loads(capsys.readouterr().out)
    assert ann["acd_types"] == ["call", "email"]
    with pytest.raises(Refused) as error:
        run(db, "user", "set", "ann", "--acd", "media1", "--acd-types", "call,chat")
    assert str(error.value).startswith("refused (R18): ACD Media 1 allows 1 interaction type")
    run(db, "station", "add", "s1")
    run(db, "station", "set", "s1", "--basic-station")
    capsys.readouterr()
    run(db, "logon", "ann", "--station", "s1", "--json")
    assert json.loads(capsys.readouterr().out)["warnings"] == [
        "ACD interaction types are limited to Call/Callback, Email until the licensing is resolved"
    ]
    run(db, "logon", "ann", "--station", "s1")
    assert capsys.readouterr().out.splitlines()[-1].startswith("warning (R18): ACD interaction")
    run(db, "user", "set", "ann", "--acd", "media3")
    capsys.readouterr()  # what the set changed
    run(db, "user", "list", "--json")
    assert json.loads(capsys.readouterr().out)[0]["acd_types"] == [t.value for t in T]
