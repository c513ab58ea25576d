"""Two administrators racing for the last licenses must not both get them (R4).

Eight processes, each with its own connection to one database file, allocate a key
with 20 Assignable licenses to 40 different users at the same moment. Exactly 20 must
succeed, every other attempt must be an R4 refusal (never a database error), and the
counter row must equal the rows on disk.
"""

from __future__ import annotations

import multiprocessing

import pytest

from ia_licensing import catalog
from ia_licensing.models import Database
from ia_licensing.services import allocation, licensing, usage, users

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
