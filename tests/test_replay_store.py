"""The replay batch's store (R34): an event that fails part-way takes its batch with it.

A refused event writes nothing, so the batch's mirror stays true. An event that fails after
it began writing (a database error, say) leaves the mirror holding what its savepoint rolled
back: the store refuses to go on and the batch's transaction is rolled back whole.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ia_licensing.catalog import CLIENT_ACCESS as CLIENT
from ia_licensing.models import Database
from ia_licensing.models.schema import utcnow
from ia_licensing.services import audit, logon, replay, replay_store, usage
from ia_licensing.services.audit import AuditAction
from ia_licensing.services.replay_store import BatchStore
from tests.helpers.database import concurrent_user, station

START = utcnow().replace(microsecond=0) - dt.timedelta(days=1)


@pytest.fixture
def pair(db: Database) -> Database:
    for name in ("amy", "bob"):
        concurrent_user(db, name, CLIENT)
    for name in ("s1", "s2"):
        station(db, name)
    return db


def events(*rows: tuple[str, str, str]) -> list[replay.Event]:
    lines = ["time,event,user,station,remote_number"]
    for i, (event, user, where) in enumerate(rows):
        lines.append(f"{(START + dt.timedelta(minutes=i)).isoformat()},{event},{user},{where},")
    return replay.parse_events(("\n".join(lines) + "\n").encode())


def test_a_unit_that_failed_after_writing_stops_the_store(pair: Database) -> None:
    with pytest.raises(RuntimeError, match="roll the batch back"), pair.write_cursor() as cursor:
        store = BatchStore.load(cursor, ["amy"], ["s1"])
        amy = store.user("amy")
        assert amy is not None
        with pytest.raises(ZeroDivisionError), store.unit():
            _ = 1 / 0  # failed before writing anything (as a refusal does): the store goes on
        with store.unit():
            assert store.current(amy) is None
        with pytest.raises(ZeroDivisionError), store.unit():
            store.audit(AuditAction.LOGON, "amy", "", "station s1")
            _ = 1 / 0
        with store.unit():
            pass


def test_an_event_failing_part_way_rolls_its_batch_back_and_keeps_the_ones_before(
    pair: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = []
    real_insert = replay_store.insert_session_on

    def insert_then_fail(*args: Any) -> int:
        written.append(real_insert(*args))
        if len(written) == 2:  # bob's logon, in the second batch, after its row is written
            raise OSError("disk full")
        return written[-1]

    monkeypatch.setattr(replay_store, "insert_session_on", insert_then_fail)
    before = len(audit.recent(pair, limit=1000))
    batches = events(
        ("logon", "amy", "s1"),
        ("logoff", "amy", ""),
        ("logon", "amy", "s2"),
        ("logon", "bob", "s1"),
    )
    with pytest.raises(OSError, match="disk full"):
        replay.replay(pair, batches, batch=2)
    # The first batch is kept: amy on and off. The second one left nothing: no session, no
    # audit row, no counter moved.
    trail = audit.recent(pair, limit=1000)
    trail = trail[: len(trail) - before]  # newest first: this test's entries
    assert [(e.action, e.subject) for e in reversed(trail)] == [
        ("logon", "amy"),
        ("logoff", "amy"),
    ]
    assert logon.sessions(pair) == []
    assert audit.verify_chain(pair) == []
    with pair.read() as session:
        assert usage.stored_counts(session) == usage.recount(session)
