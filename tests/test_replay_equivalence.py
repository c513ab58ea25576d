"""Session replay (R34) in batches leaves exactly what the live path leaves, event by event.

`replay.replay` applies a server's events in batches. Making it fast means giving each batch
a mirror of the facts it reads (users, stations, their keys, grants, live sessions, the
counters) and writing the aggregates (usage hours, denials, audit rows, counters) at the end
of the batch. The rules must stay the live ones: this test applies one scenario's events
once through `logon.logon` / `logon.logoff`, one at a time, and once through `replay.replay`
at several batch sizes, each on its own copy of the same database, and compares what they
leave. The scenario is checked to reach every rule it is there for, so that a change of
fixtures cannot make the comparison vacuous.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.models.schema import utcnow
from ia_licensing.services import (
    allocation,
    audit,
    licensing,
    logon,
    replay,
    replay_store,
    stations,
    usage,
    usage_history,
    users,
    workgroups,
)
from ia_licensing.services.errors import InvalidInput, NotFound, Refused
from ia_licensing.services.stations import StationType
from ia_licensing.services.usage_history import hour_of
from tests.helpers.database import DIALER, ENTITLEMENTS, add_users, concurrent_user, station

BASIC, CLIENT, ACD1 = catalog.BASIC_STATION, catalog.CLIENT_ACCESS, catalog.ACD_MEDIA_1
# Basic Station 12: ten enabled stations hold one, so two Dynamic Remote connections fit
# (R24). Client Access: allocated to seven Assignable holders under BIG, then SMALL allows
# three of them in use at once (R20) and two Concurrent users (R23).
BIG = {**ENTITLEMENTS, BASIC: (12, 0), CLIENT: (8, 2)}
SMALL = {**ENTITLEMENTS, BASIC: (12, 0), CLIENT: (3, 2)}
# Three days ago (UTC): inside the usage history's retention, which is pruned by wall clock.
START = hour_of(utcnow()) - dt.timedelta(days=3)
DESKS = [f"desk{i}" for i in range(1, 9)]
ASSIGNABLE = [f"a{i}" for i in range(1, 7)]
CONCURRENT = ["c1", "c2", "c3", "c4"]
ALL_USERS = [*ASSIGNABLE, *CONCURRENT, "far", "far2", "noright", "g1", "g2", "idle"]
ALL_STATIONS = [*DESKS, "kiosk", "home", "off"]
NUMBERS = [f"555-01{i:02d}" for i in range(6)]
RANDOM_EVENTS = 320


@pytest.fixture
def prepared(db: Database, db_path: Path) -> Path:
    """The scenario's database file, closed (db_path skips the test under PostgreSQL)."""
    licensing.seed_entitlements(db, BIG, "big")
    for desk in DESKS:
        station(db, desk)
    station(db, "kiosk", CLIENT)  # supplies the client itself, and is a Client Access holder
    station(db, "off", enabled=False)
    # R31: a configured Remote station that holds no Client Access of its own.
    stations.add_station(
        db, "home", StationType.REMOTE, keys=frozenset({BASIC}), remote_number="555-0199"
    )
    for name in ASSIGNABLE:
        users.add_user(db, name, keys=frozenset({CLIENT}))
    concurrent_user(db, "c1", CLIENT)
    concurrent_user(db, "c2", CLIENT)
    concurrent_user(db, "c3", CLIENT, DIALER)  # R23: Client Access short, the dialer not
    concurrent_user(db, "c4", CLIENT, DIALER)
    add_users(db, "far", "far2", "noright", "g1")  # no keys: Dynamic Remote, or a grant
    users.update_user(db, "noright", remote_login=False)  # R24's Client Right
    concurrent_user(db, "g2")
    users.add_user(db, "idle", keys=frozenset({CLIENT}), licenses_enabled=False)  # R14
    # R32: g1 and g2 hold ACD Media 1 only through Support, whose queues route more types
    # than Media 1 gives (R18: the logon succeeds with a warning).
    workgroups.save_workgroup(db, "Support", ["call", "email", "chat"], ["g1", "g2"], create=True)
    allocation.allocate(db, ACD1, workgroups=["Support"])
    licensing.seed_entitlements(db, SMALL, "smaller")  # allocations are kept (R27)
    # Live before the replay starts: its first events meet them.
    with usage_history.at(START - dt.timedelta(minutes=30)):
        logon.logon(db, "a1", station="desk1")
        logon.logon(db, "c1", station="desk2")
        logon.logon(db, "far", remote_number="555-0001")
    db.close()
    return db_path


# (minutes after START, event, user, station, remote number): each rule met on purpose.
EDGE_CASES: list[tuple[int, str, str, str, str]] = [
    (1, "logon", "c2", "desk3", ""),  # Client Access: the second Concurrent license
    (2, "logon", "c3", "desk4", ""),  # R23: none left, and desk4 supplies no client
    (3, "logon", "c3", "kiosk", ""),  # the station supplies it; the dialer is acquired
    (4, "logon", "a2", "desk5", ""),  # a1, kiosk, a2: three Client Access holders in use
    (5, "logon", "a3", "desk6", ""),  # R20: over-allocated, none available
    (6, "logon", "A1", "desk7", ""),  # R21: a1 moves (any case); no holder added
    (7, "logon", "a4", "desk7", ""),  # R22: in use by a1
    (8, "logon", "far2", "", "555-0002"),  # the second Dynamic Remote connection
    (9, "logon", "a4", "", "555-0003"),  # R24: no Basic Station left
    (10, "logon", "noright", "", "555-0004"),  # R24: no Client Right
    (11, "logon", "a5", "home", ""),  # R31
    (12, "logon", "g1", "desk8", ""),  # R32 grant supplies the client; R18 warning
    (13, "logon", "ghost", "desk2", ""),  # not found
    (14, "logon", "a5", "nowhere", ""),  # R20: no such station
    (15, "logon", "a5", "off", ""),  # R20: disabled
    (16, "logon", "idle", "desk1", ""),  # R20: no client (licenses disabled, R14)
    (17, "logoff", "a6", "", ""),  # invalid: not logged on
    (18, "logoff", "ghost", "", ""),  # not found
    (19, "logon", "far", "", "555-0005"),  # R21 Dynamic Remote to Dynamic Remote
    (19, "logon", "g2", "desk1", ""),  # same minute; Concurrent through the grant
    (58, "logoff", "c1", "", ""),
    (61, "logon", "c4", "desk2", ""),  # across the hour: c1's license is free again
]


def events_csv() -> bytes:
    """The edge cases, then random events over some sixty hours: several in one hour,
    and hours crossed; deterministic."""
    rows = [(START + dt.timedelta(minutes=m), k, u, s, n) for m, k, u, s, n in EDGE_CASES]
    pick = random.Random(7)
    when = START + dt.timedelta(hours=2)
    for _ in range(RANDOM_EVENTS):
        when += dt.timedelta(minutes=pick.randint(0, 25))
        user = pick.choice([*ALL_USERS, "ghost"])
        roll = pick.random()
        if roll < 0.3:
            rows.append((when, "logoff", user, "", ""))
        elif roll < 0.45:
            rows.append((when, "logon", user, "", pick.choice(NUMBERS)))
        else:
            rows.append((when, "logon", user, pick.choice([*ALL_STATIONS, "nowhere"]), ""))
    lines = ["time,event,user,station,remote_number"]
    lines += [f"{t.isoformat()},{kind},{u},{s},{n}" for t, kind, u, s, n in rows]
    return "\n".join(lines).encode()


@dataclass
class LiveRun:
    tally: Counter[str] = field(default_factory=Counter)  # rule / not found / invalid
    applied: int = 0
    moves: int = 0  # R21: applied logons that ended the user's earlier session
    warnings: int = 0  # R18


def apply_live(db: Database, events: list[replay.Event]) -> LiveRun:
    """Each event on its own, through the live use cases, as an IC server sends them."""
    run = LiveRun()
    for event in events:
        try:
            with usage_history.at(event.time):
                if event.kind is replay.EventKind.LOGOFF:
                    logon.logoff(db, event.user)
                else:
                    result = logon.logon(
                        db, event.user, station=event.station, remote_number=event.remote_number
                    )
                    run.moves += result.logged_off_from is not None
                    run.warnings += bool(result.warnings)
        except Refused as refusal:
            run.tally[refusal.rule] += 1
        except NotFound:
            run.tally[replay.NOT_FOUND] += 1
        except InvalidInput:
            run.tally[replay.INVALID] += 1
        else:
            run.applied += 1
    return run


def copy_of(source: Path, target: Path) -> Database:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return Database(str(target))


# What a replay leaves, by names and times rather than ids, which a batch may assign
# differently. The audit trail's `at` is the wall clock; its chain is checked apart.
STATE_QUERIES = {
    "sessions": """SELECT u.name, s.name, l.remote_number, l.started_at FROM logon_session l
        JOIN user_account u ON u.id = l.user_id LEFT JOIN station s ON s.id = l.station_id
        ORDER BY u.name""",
    "session licenses": """SELECT u.name, sl.key FROM session_license sl
        JOIN logon_session l ON l.id = sl.session_id JOIN user_account u ON u.id = l.user_id
        ORDER BY u.name, sl.key""",
    "counters": "SELECT * FROM key_usage ORDER BY key",
    "usage hours": "SELECT * FROM usage_hour ORDER BY key, hour",
    "denials": """SELECT at, user_name, station, remote_number, rule, key FROM usage_denial
        ORDER BY id""",
    "audit": "SELECT action, subject, before, after FROM audit_event ORDER BY id",
}


def state(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.engine.connect() as conn:
        return {
            name: [tuple(row) for row in conn.execute(text(query))]
            for name, query in STATE_QUERIES.items()
        }


def assert_consistent(db: Database) -> None:
    """The audit chain verifies and the counters equal a recount of the rows they count."""
    assert audit.verify_chain(db) == []
    with db.read() as session:
        assert usage.stored_counts(session) == {
            k: v for k, v in usage.recount(session).items() if any(v)
        }


def test_the_scenario_reaches_every_rule_it_is_there_for(prepared: Path, tmp_path: Path) -> None:
    db = copy_of(prepared, tmp_path / "live.sqlite")
    events = replay.parse_events(events_csv())
    run = apply_live(db, events)
    assert len(events) == len(EDGE_CASES) + RANDOM_EVENTS
    expected = {"R20", "R22", "R23", "R24", "R31", replay.NOT_FOUND, replay.INVALID}
    assert expected <= set(run.tally), run.tally
    assert run.applied > 80 and run.moves > 10 and run.warnings > 0, run
    # Refusals for the reasons meant, by the key each denial names (R33).
    denials = {(rule, key) for *_, rule, key in state(db)["denials"]}
    assert {
        ("R20", CLIENT),  # over-allocated Assignable Client Access
        ("R20", None),  # no such station, disabled, no client capability
        ("R23", CLIENT),  # no Concurrent Client Access left
        ("R24", BASIC),  # no Basic Station left for Dynamic Remote
        ("R24", None),  # no Client Right
    } <= denials
    hours = {hour_of(e.time) for e in events}
    assert len(hours) > 24 and len(events) > 3 * len(hours)  # many hours, several per hour
    assert_consistent(db)
    db.close()


@pytest.mark.parametrize(
    ("batch", "chunk"), [(1, replay_store.CHUNK), (7, replay_store.CHUNK), (1000, 3)]
)
def test_a_batched_replay_leaves_what_the_live_path_leaves(
    prepared: Path, tmp_path: Path, batch: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chunk`: names per IN list when a batch reads its facts; 3 makes a batch of the whole
    file read them in many chunks, the last one padded."""
    monkeypatch.setattr(replay_store, "CHUNK", chunk)
    events = replay.parse_events(events_csv())
    live = copy_of(prepared, tmp_path / "live.sqlite")
    batched = copy_of(prepared, tmp_path / "batched.sqlite")
    run = apply_live(live, events)
    result = replay.replay(batched, events, batch=batch)
    assert (result.applied, result.refused, result.events) == (
        run.applied,
        dict(sorted(run.tally.items())),
        len(events),
    )
    expected, got = state(live), state(batched)
    for table in STATE_QUERIES:
        assert got[table] == expected[table], table
    assert_consistent(live)
    assert_consistent(batched)
    live.close()
    batched.close()


def test_a_dry_run_reports_the_same_and_leaves_the_database_as_it_was(
    prepared: Path, tmp_path: Path
) -> None:
    events = replay.parse_events(events_csv())
    live = copy_of(prepared, tmp_path / "live.sqlite")
    dry = copy_of(prepared, tmp_path / "dry.sqlite")
    before = state(dry)
    run = apply_live(live, events)
    result = replay.replay(dry, events, dry_run=True, batch=7)
    assert (result.applied, result.refused) == (run.applied, dict(sorted(run.tally.items())))
    assert state(dry) == before
    live.close()
    dry.close()
