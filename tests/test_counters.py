"""The counter rows (R3) never drift from the allocation rows and workgroup grants (R32),
whatever the sequence: a user counts once per key however many ways they hold it."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ia_licensing import catalog
from ia_licensing.catalog import Group
from ia_licensing.models import Database
from ia_licensing.rules import Pool
from ia_licensing.services import allocation, licensing, stations, usage, users, workgroups
from ia_licensing.services.errors import ServiceError
from ia_licensing.services.holders import KeyEdit
from tests.helpers.database import ENTITLEMENTS

STATIONS = ["s1", "s2", "s3"]
USERS = ["u1", "u2", "u3"]
WORKGROUPS = ["w1", "w2"]
KEYS = [
    catalog.BASIC_STATION,
    catalog.CLIENT_ACCESS,
    catalog.ACD_MEDIA_1,
    catalog.ACD_MEDIA_3,
    catalog.ACD_SOCIAL_MEDIA,
    "MSCRM_INTEGRATION",
]

operation = st.one_of(
    st.tuples(
        st.just("allocate"),
        st.sampled_from(KEYS),
        st.lists(st.sampled_from(STATIONS + USERS), min_size=1, max_size=4),
    ),
    st.tuples(
        st.just("deallocate"),
        st.sampled_from(KEYS),
        st.lists(st.sampled_from(STATIONS + USERS), min_size=1, max_size=4),
    ),
    st.tuples(st.just("method"), st.sampled_from(USERS), st.sampled_from(list(Pool))),
    st.tuples(st.just("user licenses"), st.sampled_from(USERS), st.booleans()),
    st.tuples(st.just("station licenses"), st.sampled_from(STATIONS), st.booleans()),
    st.tuples(st.just("station enabled"), st.sampled_from(STATIONS), st.booleans()),
    st.tuples(
        st.just("acd"),
        st.sampled_from(USERS + STATIONS),
        st.sampled_from([None, *catalog.ACD_LEVELS]),
    ),
    st.tuples(st.just("delete"), st.sampled_from(STATIONS + USERS), st.none()),
    st.tuples(st.just("smaller license"), st.integers(0, 3), st.none()),
    # R32: grants, members joining and leaving, workgroups deleted and made again
    st.tuples(
        st.sampled_from(["grant", "ungrant"]), st.sampled_from(KEYS), st.sampled_from(WORKGROUPS)
    ),
    st.tuples(
        st.sampled_from(["join", "leave"]), st.sampled_from(USERS), st.sampled_from(WORKGROUPS)
    ),
    st.tuples(st.just("delete workgroup"), st.sampled_from(WORKGROUPS), st.none()),
    st.tuples(st.just("add workgroup"), st.sampled_from(WORKGROUPS), st.none()),
)


def apply(db: Database, op: tuple) -> None:  # type: ignore[type-arg]
    verb, a, b = op
    if verb in ("allocate", "deallocate"):
        change = allocation.allocate if verb == "allocate" else allocation.deallocate
        change(db, a, stations=[h for h in b if h in STATIONS], users=[h for h in b if h in USERS])
    elif verb == "method":
        users.update_user(db, a, method=b)
    elif verb == "user licenses":
        users.update_user(db, a, licenses_enabled=b)
    elif verb == "station licenses":
        stations.update_station(db, a, licenses_enabled=b)
    elif verb == "station enabled":
        stations.update_station(db, a, enabled=b)
    elif verb == "acd":
        edit = KeyEdit(groups={Group.ACD_MEDIA: b})
        update = stations.update_station if a in STATIONS else users.update_user
        update(db, a, edit=edit)
    elif verb == "delete":
        (stations.delete_station if a in STATIONS else users.delete_user)(db, a)
    elif verb in ("grant", "ungrant"):
        (allocation.allocate if verb == "grant" else allocation.deallocate)(db, a, workgroups=[b])
    elif verb in ("join", "leave"):
        (workgroups.add_member if verb == "join" else workgroups.remove_member)(db, b, a)
    elif verb == "delete workgroup":
        workgroups.delete_workgroup(db, a)
    elif verb == "add workgroup":
        workgroups.add_workgroup(db, a, ["call"])
    else:
        licensing.seed_entitlements(db, {**ENTITLEMENTS, catalog.CLIENT_ACCESS: (a, 1)}, "smaller")


@settings(max_examples=60, deadline=None)
@given(st.lists(operation, max_size=25))
def test_counters_equal_a_recount_after_any_sequence(template_db: Path, ops: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.sqlite"
        shutil.copyfile(template_db, path)
        db = Database(str(path))
        licensing.seed_entitlements(db, ENTITLEMENTS, "test")
        for name in STATIONS:
            stations.add_station(db, name)
        for name in USERS:
            users.add_user(db, name)
        for name in WORKGROUPS:
            workgroups.add_workgroup(db, name, ["call"])
        for op in ops:
            with contextlib.suppress(ServiceError):  # refused is fine; drifting is not
                apply(db, op)
            with db.read() as session:
                assert usage.stored_counts(session) == usage.recount(session), op
        db.close()
