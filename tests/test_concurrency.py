"""Two administrators racing for the last licenses must not both get them (R4).

Eight processes, each with its own connection to one database file, allocate a key
with 20 Assignable licenses to 40 different users at the same moment. Exactly 20 must
succeed, every other attempt must be an R4 refusal (never a database error), and the
counter row must equal the rows on disk.
"""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from ia_licensing import catalog
from ia_licensing.models import AuditEvent, Database
from ia_licensing.services import allocation, audit, licensing, usage, users

PROCESSES = 8
PER_PROCESS = 5
ALLOWED = 20
KEY = catalog.CLIENT_ACCESS


def _race(path: str, names: list[str], barrier, results) -> None:  # type: ignore[no-untyped-def]
    from ia_licensing.services.errors import Refused

    db = Database(path, migrate=False)
    outcome = []
    barrier.wait()
    for name in names:
        try:
            allocation.allocate(db, KEY, users=[name])
            outcome.append("ok")
        except Refused as refused:
            outcome.append(refused.rule)
        except Exception as error:  # any other failure is a bug the test must show
            outcome.append(f"error: {error!r}")
    db.close()
    results.put(outcome)


@pytest.mark.slow
def test_racing_processes_never_over_allocate(empty_db: Database) -> None:
    licensing.seed_entitlements(empty_db, {KEY: (ALLOWED, 0)}, "race")
    names = [f"racer{i}" for i in range(PROCESSES * PER_PROCESS)]
    for name in names:
        users.add_user(empty_db, name)
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
    assert sorted(set(outcomes)) == ["R4", "ok"], outcomes
    assert outcomes.count("ok") == ALLOWED
    with empty_db.read() as session:
        assert usage.stored_counts(session)[KEY] == (ALLOWED, 0, 0)
        assert usage.recount(session)[KEY] == (ALLOWED, 0, 0)


def test_one_writer_at_a_time_so_audit_ids_follow_commit_order(empty_db: Database) -> None:
    """The containers read "events after the last one seen": an event committed after a
    newer id would be skipped. SQLite has one writer by design (BEGIN IMMEDIATE); on
    PostgreSQL every write transaction takes one advisory lock first (models/database.py).
    A second writer that may wait only briefly cannot start while the first is open."""
    if empty_db.is_sqlite:
        second = Database(empty_db.url, migrate=False)
        event.listen(  # after the engine's own set-up, which waits up to 30 s
            second.engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout = 100")
        )
    else:
        second = Database(f"{empty_db.url}?options=-c%20lock_timeout%3D100", migrate=False)
    try:
        with empty_db.write() as first:
            audit.record(first, "station update", "committed first")
            with pytest.raises(OperationalError), second.write() as late:
                audit.record(late, "station update", "would overtake it")
        with second.write() as late:
            audit.record(late, "station update", "committed second")
    finally:
        second.close()
    ids = [(e.subject, e.id) for e in _events(empty_db) if e.action == "station update"]
    assert [subject for subject, _ in ids] == ["committed first", "committed second"]
    assert ids[0][1] < ids[1][1]


def _events(db: Database) -> list[AuditEvent]:
    with db.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
