"""R35: Interaction Analyzer Access "requires … Interaction Recorder add-on access licenses"
(Add-on and Module Access Licenses): a holder of Analyzer without Recorder gets a note."""

from __future__ import annotations

import json

import pytest

from ia_licensing import catalog, cli, rules
from ia_licensing.models import Database
from ia_licensing.services import allocation, compliance, licensing, stations, users
from tests.helpers.database import ENTITLEMENTS, station

ANALYZER = catalog.ANALYZER
RECORDER = catalog.RECORDER


@pytest.fixture
def analyzer_db(db: Database) -> Database:
    licensing.seed_entitlements(db, {**ENTITLEMENTS, ANALYZER: (5, 0)}, "with Analyzer")
    return db


def r35(db: Database) -> list[tuple[str, str]]:
    return [(n.subject, n.message) for n in compliance.notes(db) if n.rule == "R35"]


def test_the_rule_alone() -> None:
    assert rules.analyzer_note("amy", {ANALYZER}) is not None
    assert rules.analyzer_note("amy", {ANALYZER, RECORDER}) is None
    assert rules.analyzer_note("amy", {RECORDER}) is None


def test_a_holder_of_analyzer_without_recorder_gets_a_note(analyzer_db: Database) -> None:
    db = analyzer_db
    users.add_user(db, "amy", keys=frozenset({ANALYZER}))
    users.add_user(db, "bob", keys=frozenset({ANALYZER, RECORDER}))
    station(db, "s1", ANALYZER)
    notes = r35(db)
    assert [s for s, _ in notes] == ["s1", "amy"]
    assert all("requires Interaction Recorder Access" in m for _, m in notes)
    # Allocating Recorder resolves it at once (R19); holders that count nowhere get none.
    allocation.allocate(db, RECORDER, users=["amy"])
    stations.update_station(db, "s1", licenses_enabled=False)
    assert r35(db) == []


def test_notes_command_lists_it(analyzer_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    users.add_user(analyzer_db, "amy", keys=frozenset({ANALYZER}))
    from ia_licensing.cli.parser import build_parser

    args = build_parser().parse_args(["notes", "--json"])
    cli.COMMANDS["notes"](analyzer_db, args)
    rows = json.loads(capsys.readouterr().out)
    assert {"rule": "R35", "subject": "amy", "message": rules.ANALYZER_NOTE} in [
        {k: row[k] for k in ("rule", "subject", "message")} for row in rows
    ]
