"""services/read_models.py: the containers' rows, R18 facts for the workgroup editor, bulk."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.catalog import InteractionType
from ia_licensing.models import Database
from ia_licensing.rules import BASIC_STATION_NOTE, HolderKind, Pool
from ia_licensing.services import allocation, bulk, read_models, stations, users, workgroups
from ia_licensing.services.bulk import Cancelled
from ia_licensing.services.errors import Refused
from ia_licensing.services.holders import KeyEdit
from ia_licensing.services.stations import StationType
from tests.helpers.database import add_stations, add_users, snapshot

BASIC = catalog.BASIC_STATION
CLIENT = catalog.CLIENT_ACCESS


def test_station_rows_have_every_column_worked_out(db: Database) -> None:
    stations.add_station(
        db,
        "r1",
        StationType.REMOTE,
        machine_name="PC-1",
        keys=frozenset({BASIC, CLIENT, catalog.ACD_MEDIA_1, catalog.IPA_DIRECT}),
    )
    stations.add_station(db, "bare", enabled=True)
    bare, r1 = read_models.station_rows(db)
    assert (r1.name, r1.station_type, r1.licensed_machine_name) == (
        "r1",
        StationType.REMOTE,
        "PC-1",
    )
    assert (r1.basic_station, r1.client_access, r1.acd_level) == (True, True, "Media 1")
    assert r1.additional == "IPA Direct Routed Work Items"
    assert r1.note == ""
    assert bare.note == BASIC_STATION_NOTE


def test_user_rows_carry_the_method_and_the_r18_note(db: Database) -> None:
    users.add_user(db, "ann", Pool.CONCURRENT, keys=frozenset({CLIENT, catalog.ACD_MEDIA_1}))
    add_users(db, "bob")
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    ann, bob = read_models.user_rows(db)
    assert (ann.method, ann.client_access, ann.acd_level) == (Pool.CONCURRENT, True, "Media 1")
    assert "ACD Media 1 allows 1 interaction type" in ann.note
    assert bob.note == "" and bob.method is Pool.ASSIGNABLE


def test_workgroup_rows_list_members_and_their_notes(db: Database) -> None:
    add_users(db, "ann", "bob")
    users.update_user(db, "bob", edit=KeyEdit(add=frozenset({catalog.ACD_MEDIA_3})))
    workgroups.add_workgroup(db, "Support", ["call", "email"])
    workgroups.add_member(db, "Support", "ann")
    workgroups.add_member(db, "Support", "bob")
    [row] = read_models.workgroup_rows(db)
    assert row.members == ("ann", "bob")
    assert row.types_label == "Call/Callback, Email"
    assert [n.subject for n in row.notes] == ["ann"]  # no ACD Access at all (R18)


def test_member_coverage_unites_the_other_workgroups(db: Database) -> None:
    add_users(db, "ann")
    users.update_user(db, "ann", edit=KeyEdit(add=frozenset({catalog.ACD_MEDIA_2})))
    workgroups.add_workgroup(db, "Chat", ["chat"])
    workgroups.add_member(db, "Chat", "ann")
    [ann] = read_models.member_coverage(db, "New", ["ANN", "nobody"])
    assert ann.name == "ann" and ann.acd_level == catalog.ACD_MEDIA_2
    assert ann.other_types == {InteractionType.CHAT}
    assert ann.note([InteractionType.CALL]) is None  # two types, Media 2 allows two
    note = ann.note([InteractionType.CALL, InteractionType.EMAIL])
    assert note is not None and note.rule == "R18"


def test_machine_name_taken_by_ignores_the_station_itself(db: Database) -> None:
    stations.add_station(db, "s1", machine_name="PC-1")
    assert read_models.machine_name_taken_by(db, "pc-1", "s1") is None
    assert read_models.machine_name_taken_by(db, "pc-1", "s2") == "s1"


def test_bulk_change_returns_only_the_holders_that_changed(db: Database) -> None:
    add_stations(db, "a", "b", "c")
    allocation.allocate(db, BASIC, stations=["a"])
    changed = bulk.bulk_change(db, BASIC, HolderKind.STATION, ["a", "b", "c"], allocate=True)
    assert changed == ["b", "c"]
    removed = bulk.bulk_change(db, BASIC, HolderKind.STATION, ["b", "c"], allocate=False)
    assert removed == ["b", "c"]
    assert [s.keys for s in stations.list_stations(db)] == [(BASIC,), (), ()]


def test_bulk_change_is_all_or_nothing_across_chunks(db: Database) -> None:
    add_users(db, "u1", "u2", "u3", "u4")
    before = snapshot(db)
    with pytest.raises(Refused) as refused:
        bulk.bulk_change(
            db, CLIENT, HolderKind.USER, ["u1", "u2", "u3", "u4"], allocate=True, chunk=2
        )
    assert refused.value.rule == "R4"
    assert snapshot(db) == before


def test_bulk_change_stopped_by_the_progress_callback_rolls_back(db: Database) -> None:
    add_users(db, "u1", "u2", "u3")
    before = snapshot(db)
    seen: list[int] = []

    def progress(done: int) -> bool:
        seen.append(done)
        return done < 2

    with pytest.raises(Cancelled):
        bulk.bulk_change(
            db,
            CLIENT,
            HolderKind.USER,
            ["u1", "u2", "u3"],
            allocate=True,
            progress=progress,
            chunk=1,
        )
    assert seen == [1, 2]
    assert snapshot(db) == before


def test_left_counts_a_pending_change(db: Database) -> None:
    counts = read_models.key_counts(db)[CLIENT]
    assert read_models.left(counts, Pool.ASSIGNABLE) == 3
    assert read_models.left(counts, Pool.ASSIGNABLE, 1) == 2


def test_rows_can_be_read_for_a_few_names(db: Database) -> None:
    add_stations(db, "s1", "s2")
    users.add_user(db, "ann", keys=frozenset({catalog.ACD_MEDIA_1}))
    workgroups.add_workgroup(db, "Support", ["call", "chat"])
    workgroups.add_member(db, "Support", "ann")
    assert [r.name for r in read_models.station_rows(db, ["S2"])] == ["s2"]
    [ann] = read_models.user_rows(db, ["ann"])
    assert ann.note == read_models.user_rows(db)[0].note != ""  # the same R18 note either way


def test_choices_count_what_is_left_with_the_pending_choice(db: Database) -> None:
    from ia_licensing.services.holder_choices import Choices, HolderSettings, exhausted

    stations.add_station(db, "s1", keys=frozenset({BASIC}))
    saved = HolderSettings("s1", frozenset({BASIC}))
    choices = Choices.of(HolderKind.STATION, saved, read_models.key_counts(db))
    assert choices.left_text(saved, BASIC) == "3 of 4 left"  # s1's own is counted already
    dropped = HolderSettings("s1")
    assert choices.left_text(dropped, BASIC) == "4 of 4 left"
    assert choices.left_text(saved, "I3_ACCESS_DIALER_ADDON") == "Concurrent only"
    assert exhausted("Concurrent only") and not exhausted("3 of 4 left")
    refusal = choices.key_refusal(saved, catalog.ANALYTICS_CORE)
    assert refusal is not None and refusal.rule == "R13"
