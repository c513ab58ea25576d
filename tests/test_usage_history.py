"""Usage history (R33), session replay and the what-if of a license load (R34)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from ia_licensing import cli
from ia_licensing.catalog import CLIENT_ACCESS as CLIENT
from ia_licensing.cli.parser import build_parser
from ia_licensing.models import Database
from ia_licensing.models.schema import UsageHour, utcnow
from ia_licensing.services import licensing, logon, replay, usage_history
from ia_licensing.services.errors import InvalidInput, Refused
from ia_licensing.services.usage_history import UsageRow, hour_of
from tests.helpers.database import concurrent_user, snapshot, station
from tests.helpers.license_files import TRUST, license_for

# Three days ago at midnight (UTC): inside the retention, every hour since filled in.
DAY0 = hour_of(utcnow()).replace(hour=0) - dt.timedelta(days=3)
H = dt.timedelta(hours=1)


def t(hours: float) -> dt.datetime:
    return DAY0 + dt.timedelta(hours=hours)


def run(db: Database, *argv: str) -> None:
    args = build_parser().parse_args(list(argv))
    cli.COMMANDS[args.command](db, args)


@pytest.fixture
def people(db: Database) -> Database:
    """Client Access: Concurrent Allowed 2. Stations hold Basic Station only, so each
    Concurrent user's logon takes one Client Access (R23)."""
    for name in ("amy", "bob", "cat"):
        concurrent_user(db, name, CLIENT)
    for name in ("s1", "s2", "s3"):
        station(db, name)
    return db


def on(db: Database, when: dt.datetime, user: str, where: str) -> None:
    with usage_history.at(when):
        logon.logon(db, user, station=where)


def off(db: Database, when: dt.datetime, user: str) -> None:
    with usage_history.at(when):
        logon.logoff(db, user)


def client_rows(db: Database, until: dt.datetime, by: str = "hour") -> list[UsageRow]:
    return usage_history.usage_rows(db, CLIENT, since=t(10), until=until, by=by)


def test_hourly_peaks_carry_across_hour_boundaries(people: Database) -> None:
    db = people
    on(db, t(10 + 50 / 60), "amy", "s1")  # 10:50 → 1
    on(db, t(11 + 10 / 60), "bob", "s2")  # 11:10 → 2
    off(db, t(11 + 20 / 60), "amy")  # 11:20 → 1
    off(db, t(13 + 5 / 60), "bob")  # 13:05 → 0 (12:00–13:00 had no change: still 1)
    rows = client_rows(db, until=t(15))
    assert [(r.period_start, r.peak_in_use, r.allowed, r.denials) for r in rows] == [
        (t(10), 1, 2, 0),
        (t(11), 2, 2, 0),
        (t(12), 1, 2, 0),  # no row stored: the level 11:00 ended with
        (t(13), 1, 2, 0),  # entered at 1, left at 0: the peak counts the level entered with
        (t(14), 0, 2, 0),
    ]
    with db.read() as session:  # storage: one row per key per hour that moved
        stored = session.scalars(select(UsageHour.key)).all()
    assert stored.count(CLIENT) == 3


def test_a_days_peak_is_the_highest_of_its_hours_across_midnight(people: Database) -> None:
    db = people
    on(db, t(23.5), "amy", "s1")  # day 0, 23:30 → 1
    on(db, t(24.5), "bob", "s2")  # day 1, 00:30 → 2
    off(db, t(25), "bob")
    rows = usage_history.usage_rows(db, CLIENT, since=t(0), until=t(48), by="day")
    assert [(r.period_start, r.peak_in_use) for r in rows] == [(t(0), 1), (t(24), 2)]


def test_a_refused_logon_is_a_denial_with_its_rule_and_key(people: Database) -> None:
    db = people
    on(db, t(10), "amy", "s1")
    on(db, t(10.2), "bob", "s2")
    with pytest.raises(Refused) as error:
        on(db, t(10.5), "cat", "s3")  # no Client Access left, s3 does not supply one
    assert error.value.rule == "R23"
    [denial] = usage_history.denial_rows(db)
    assert (denial.at, denial.user, denial.station, denial.rule, denial.key) == (
        t(10.5),
        "cat",
        "s3",
        "R23",
        CLIENT,
    )
    [row] = client_rows(db, until=t(11))
    assert (row.peak_in_use, row.allowed, row.denials) == (2, 2, 1)


EVENTS = """time,event,user,station,remote_number
{d}T10:20:00+00:00,logon,bob,s2,
{d}T10:00:00Z,logon,amy,s1,
{d}T12:30:00+02:00,logon,cat,s3,
{d}T11:00:00Z,logoff,amy,,
{d}T11:30:00Z,logon,cat,s3,
{d}T12:00:00Z,logoff,nobody,,
"""


def events_file(tmp_path: Path, text: str = EVENTS) -> Path:
    path = tmp_path / "events.csv"
    path.write_text(text.format(d=DAY0.date().isoformat()), encoding="utf-8")
    return path


def test_replay_applies_each_event_at_its_time_through_the_live_rules(
    people: Database, tmp_path: Path
) -> None:
    db = people
    events = replay.parse_events(events_file(tmp_path).read_bytes())
    # In time order: 12:30+02:00 is 10:30 UTC, after bob and amy, before amy's logoff.
    assert [(e.user, e.time) for e in events] == [
        ("amy", t(10)),
        ("bob", t(10 + 20 / 60)),
        ("cat", t(10.5)),
        ("amy", t(11)),
        ("cat", t(11.5)),
        ("nobody", t(12)),
    ]
    result = replay.replay(db, events, batch=2)  # several transactions
    # cat at 10:30 finds both Client Access licenses in use (R23): a denial, not an error;
    # at 11:30, after amy left, cat gets on.
    assert (result.applied, result.refused, result.events) == (4, {"R23": 1, "not found": 1}, 6)
    assert [(s.user, s.station, s.since) for s in logon.sessions(db)] == [
        ("bob", "s2", t(10 + 20 / 60)),
        ("cat", "s3", t(11.5)),
    ]
    assert [(d.user, d.at, d.rule, d.key) for d in usage_history.denial_rows(db)] == [
        ("cat", t(10.5), "R23", CLIENT)
    ]
    rows = client_rows(db, until=t(12))
    assert [(r.peak_in_use, r.denials) for r in rows] == [(2, 1), (2, 0)]


def test_a_malformed_line_refuses_the_whole_file_and_nothing_is_applied(
    people: Database, tmp_path: Path
) -> None:
    db = people
    before = snapshot(db)
    bad = EVENTS.replace("{d}T11:00:00Z,logoff,amy,,", "{d}T11:00:00Z,logout,amy,,")
    with pytest.raises(InvalidInput, match="line 5: event 'logout' is neither logon nor logoff"):
        run(db, "sessions", "replay", str(events_file(tmp_path, bad)))
    for broken, message in (
        ("yesterday,logon,amy,s1,", "line 5: time 'yesterday' is not ISO 8601"),
        ("{d}T11:00:00Z,logon,amy,,", "line 5: a logon names a station or a remote number"),
        ("{d}T11:00:00Z,logon,,s1,", "line 5: no user"),
    ):
        text = EVENTS.replace("{d}T11:00:00Z,logoff,amy,,", broken)
        with pytest.raises(InvalidInput, match=message):
            replay.parse_events(events_file(tmp_path, text).read_bytes())
    with pytest.raises(InvalidInput, match="line 1: missing column"):
        replay.parse_events(b"time,event,user\n")
    assert snapshot(db) == before


def test_replay_cli_json_and_dry_run(
    people: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = people
    before = snapshot(db)
    run(db, "sessions", "replay", str(events_file(tmp_path)), "--dry-run", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "applied": 4,
        "refused": {"R23": 1, "not found": 1},
        "events": 6,
    }
    assert snapshot(db) == before  # a dry run changes nothing
    run(db, "sessions", "replay", str(events_file(tmp_path)))
    assert capsys.readouterr().out.splitlines() == [
        "6 events, 4 applied",
        "refused (R23): 1",
        "refused (not found): 1",
    ]
    run(db, "usage", "--key", "client access", "--since", DAY0.date().isoformat(), "--json")
    rows = json.loads(capsys.readouterr().out)
    assert set(rows[0]) == {"key", "period_start", "peak_in_use", "allowed", "denials"}
    first = DAY0.replace(hour=10, tzinfo=dt.UTC).isoformat(timespec="seconds")
    assert rows[0] == {
        "key": CLIENT,
        "period_start": first,
        "peak_in_use": 2,
        "allowed": 2,
        "denials": 1,
    }
    run(db, "usage", "--by", "day", "--key", CLIENT, "--json")
    days = json.loads(capsys.readouterr().out)
    assert (days[0]["peak_in_use"], days[0]["denials"]) == (2, 1)


def test_what_if_on_a_hand_computed_example(
    people: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hours 10, 11, 12 peak at 1, 2, 2; then 1 until now. With 1 Concurrent Client
    Access: hour 11 and hour 12 each went 1 over, so at least 2 logons would have been
    refused; the peak is 2. Since 12:00: only hour 12 counts: 1."""
    db = people
    on(db, t(10), "amy", "s1")  # 10: 1
    on(db, t(11.5), "bob", "s2")  # 11: 2
    off(db, t(12.5), "bob")  # 12: entered at 2
    data = license_for({CLIENT: (3, 1)}, serial=5)
    report = licensing.load_license(db, data, TRUST, dry_run=True, against_usage=True)
    [client] = [u for u in report.usage if u.key == CLIENT]
    assert (client.peak_in_use, client.new_allowed, client.would_have_been_refused) == (2, 1, 2)
    since = licensing.load_license(db, data, TRUST, dry_run=True, against_usage=True, since=t(12))
    [client] = [u for u in since.usage if u.key == CLIENT]
    assert (client.peak_in_use, client.would_have_been_refused) == (2, 1)
    path = tmp_path / "smaller.I3Lic"
    path.write_bytes(data)
    args = build_parser().parse_args(
        ["license", "load", str(path), "--dry-run", "--against-usage", "--json"]
    )
    cli.license.run_license(db, args, TRUST)
    shown = json.loads(capsys.readouterr().out)["usage"]
    assert {
        "key": CLIENT,
        "name": "Client Access",
        "peak_in_use": 2,
        "new_allowed": 1,
        "would_have_been_refused": 2,
    } in shown


def test_a_license_load_records_the_new_allowed_count(people: Database) -> None:
    db = people
    on(db, t(10), "amy", "s1")
    licensing.load_license(db, license_for({CLIENT: (3, 5)}, serial=5), TRUST)
    rows = usage_history.usage_rows(db, CLIENT, since=hour_of(utcnow()))
    assert [(r.peak_in_use, r.allowed) for r in rows] == [(1, 5)]


def test_retention_bounds_the_history(people: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    db = people
    assert usage_history.retention_days() == usage_history.DEFAULT_RETENTION_DAYS == 400
    monkeypatch.setenv(usage_history.RETENTION_ENV, "nonsense")
    assert usage_history.retention_days() == 400
    on(db, t(10), "amy", "s1")
    with pytest.raises(Refused):
        on(db, t(10), "cat", "s1")  # R22: s1 in use, a denial without a key
    monkeypatch.setenv(usage_history.RETENTION_ENV, "2")
    monkeypatch.setattr(usage_history, "_pruned_hour", None)  # a new hour for this process
    logon.logon(db, "bob", station="s2")  # now: the rows of three days ago go
    assert [r.period_start for r in usage_history.usage_rows(db, CLIENT)] == [hour_of(utcnow())]
    assert usage_history.denial_rows(db) == []


def test_replays_and_live_logons_keep_the_audit_chain_and_the_counters(
    people: Database, tmp_path: Path
) -> None:
    """The hot path runs on the DB-API cursor in raw savepoints (docs/decisions.md): a trail
    written by replays (one refusal in a batch, so one savepoint rolled back) and live
    logons still verifies, and the counter rows still equal a recount."""
    from ia_licensing.services import audit, usage

    db = people
    replay.replay(db, replay.parse_events(events_file(tmp_path).read_bytes()), batch=2)
    replay.replay(db, replay.parse_events(events_file(tmp_path).read_bytes()), batch=4)
    logon.logoff(db, "bob")
    logon.logon(db, "amy", station="s1")
    with pytest.raises(Refused):
        logon.logon(db, "bob", station="s1")  # R22: amy is on s1; recorded, not applied
    logon.logon(db, "amy", station="s2")  # R21: moves amy
    assert audit.verify_chain(db) == []
    with db.read() as session:
        assert usage.stored_counts(session) == usage.recount(session)


def test_a_failure_inside_a_batched_write_rolls_back_that_write_alone(db: Database) -> None:
    """`write_cursor` inside `all_or_nothing`: a SAVEPOINT rolled back on any exception,
    the batch's other writes kept."""
    from ia_licensing.services import audit
    from ia_licensing.services.audit import AuditAction

    before = len(audit.recent(db, limit=1000))
    with db.all_or_nothing():
        with db.write_cursor() as cursor:
            audit.record_on(cursor, AuditAction.RECOUNT, "kept")
        with pytest.raises(RuntimeError), db.write_cursor() as cursor:
            audit.record_on(cursor, AuditAction.RECOUNT, "rolled back")
            raise RuntimeError
        with db.write_cursor() as cursor, db.write_cursor() as inner:
            assert inner is not cursor
            audit.record_on(inner, AuditAction.RECOUNT, "nested")
    subjects = [e.subject for e in audit.recent(db, limit=1000)]
    assert len(subjects) == before + 2
    assert subjects[:2] == ["nested", "kept"]
    assert audit.verify_chain(db) == []
