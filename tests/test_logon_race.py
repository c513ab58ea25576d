"""Concurrent users racing for the last concurrent licenses at logon (R23, R5).

Six processes, each with its own connection to one database file, log different
Concurrent-method users on to their own stations at the same moment. Client Access has
fewer Concurrent licenses than users and is the client capability (the stations supply
none), so the users who do not get one are refused (R23); the Dialer Add-On is scarcer
still and is simply not acquired. Concurrent In Use must never exceed Concurrent Allowed,
every attempt must be a success or a rule refusal (never a database error), and the
counters must equal the SessionLicense rows.
"""

from __future__ import annotations

import multiprocessing

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import licensing, logon, stations, usage, users

PROCESSES = 6
PER_PROCESS = 4
CLIENT_ALLOWED = 10
DIALER_ALLOWED = 5
DIALER = "I3_ACCESS_DIALER_ADDON"


def _race(path: str, names: list[str], barrier, results) -> None:  # type: ignore[no-untyped-def]
    from ia_licensing.services.errors import Refused

    db = Database(path, migrate=False)
    outcome = []
    barrier.wait()
    for name in names:
        try:
            result = logon.logon(db, name, station=f"st-{name}")
            outcome.append("ok+dialer" if DIALER in result.acquired else "ok")
        except Refused as refused:
            outcome.append(refused.rule)
        except Exception as error:  # any other failure is a bug the test must show
            outcome.append(f"error: {error!r}")
    db.close()
    results.put(outcome)


@pytest.mark.slow
def test_racing_logons_never_exceed_concurrent_allowed(empty_db: Database) -> None:
    licensing.seed_entitlements(
        empty_db,
        {
            catalog.BASIC_STATION: (PROCESSES * PER_PROCESS, 0),
            catalog.CLIENT_ACCESS: (0, CLIENT_ALLOWED),
            DIALER: (0, DIALER_ALLOWED),
        },
        "logon race",
    )
    names = [f"agent{i}" for i in range(PROCESSES * PER_PROCESS)]
    for name in names:
        users.add_user(
            empty_db, name, Pool.CONCURRENT, keys=frozenset({catalog.CLIENT_ACCESS, DIALER})
        )
        stations.add_station(empty_db, f"st-{name}", keys=frozenset({catalog.BASIC_STATION}))
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(
            target=_race,
            args=(empty_db.url, names[i * PER_PROCESS : (i + 1) * PER_PROCESS], barrier, results),
        )
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [o for _ in workers for o in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
    assert set(outcomes) == {"ok", "ok+dialer", "R23"}, outcomes
    assert outcomes.count("ok") + outcomes.count("ok+dialer") == CLIENT_ALLOWED
    assert outcomes.count("ok+dialer") == DIALER_ALLOWED
    assert len(logon.sessions(empty_db)) == CLIENT_ALLOWED
    with empty_db.read() as session:
        stored, rows = usage.stored_counts(session), usage.recount(session)
    assert (
        stored[catalog.CLIENT_ACCESS]
        == rows[catalog.CLIENT_ACCESS]
        == (0, PROCESSES * PER_PROCESS, CLIENT_ALLOWED)
    )
    assert stored[DIALER] == rows[DIALER] == (0, PROCESSES * PER_PROCESS, DIALER_ALLOWED)


def _contend(url: str, attempts: list[tuple[str, str]], barrier, results) -> None:  # type: ignore[no-untyped-def]
    from ia_licensing.services.errors import Refused

    db = Database(url, migrate=False)
    outcome = []
    barrier.wait()
    for user, station in attempts:
        try:
            logon.logon(db, user, station=station)
            outcome.append("ok")
        except Refused as refused:
            outcome.append(refused.rule)
        except Exception as error:  # a database error instead of a rule is a bug
            outcome.append(f"error: {error!r}")
    db.close()
    results.put(outcome)


@pytest.mark.slow
def test_racing_for_one_station_and_as_one_user_gives_rules_not_database_errors(
    empty_db: Database,
) -> None:
    """R22: of the users racing for a station, one gets it and the rest are told who has
    it. R21: one user logging on from several processes at once ends with one session."""
    licensing.seed_entitlements(
        empty_db, {catalog.BASIC_STATION: (20, 0), catalog.CLIENT_ACCESS: (40, 0)}, "contention"
    )
    shared = ["shared-1", "shared-2"]
    for name in [*shared, *(f"own-{i}" for i in range(PROCESSES))]:
        stations.add_station(
            empty_db, name, keys=frozenset({catalog.BASIC_STATION, catalog.CLIENT_ACCESS})
        )
    racers = [f"racer{i}" for i in range(PROCESSES * 2)]
    for name in [*racers, "roamer"]:
        users.add_user(empty_db, name)
    # Each process: two racers at the shared stations, then "roamer" at its own station.
    attempts = [
        [(racers[2 * i], shared[0]), (racers[2 * i + 1], shared[1]), ("roamer", f"own-{i}")]
        for i in range(PROCESSES)
    ]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=_contend, args=(empty_db.url, attempts[i], barrier, results))
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    outcomes = [o for _ in workers for o in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
    assert set(outcomes) == {"ok", "R22"}, outcomes
    assert outcomes.count("ok") == 2 + PROCESSES  # one racer per shared station; every roam
    live = logon.sessions(empty_db)
    assert sorted(s.station for s in live if s.station in shared) == shared
    assert [s.user for s in live].count("roamer") == 1
    assert len(live) == 3
