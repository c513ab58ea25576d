"""rules.py on its own: the functions the GUI asks to grey out a choice."""

from __future__ import annotations

from ia_licensing import catalog, rules
from ia_licensing.catalog import InteractionType
from ia_licensing.rules import HolderKind, KeyCounts, Pool


def test_r1_basic_station_pooled_licenses_are_assignable() -> None:
    assert rules.allowed_counts(catalog.BASIC_STATION, 10, 5) == (15, 0)
    assert rules.allowed_counts(catalog.CLIENT_ACCESS, 10, 5) == (10, 5)


def test_counting_pool() -> None:
    assert rules.counting_pool(HolderKind.STATION, Pool.CONCURRENT) is Pool.ASSIGNABLE  # R8
    assert rules.counting_pool(HolderKind.USER, Pool.CONCURRENT) is Pool.CONCURRENT
    assert rules.counting_pool(HolderKind.USER, Pool.ASSIGNABLE, licenses_enabled=False) is None
    assert rules.counting_pool(HolderKind.STATION, Pool.ASSIGNABLE, enabled=False) is None


def test_allocation_refusal_for_greying_out() -> None:
    client = KeyCounts(catalog.CLIENT_ACCESS, assigned=2, pooled=0, assignable_configured=2)
    info = catalog.describe(catalog.CLIENT_ACCESS)
    refusal = rules.allocation_refusal(info, HolderKind.USER, Pool.ASSIGNABLE, [], client)
    assert refusal is not None and refusal.rule == "R4"
    assert rules.allocation_refusal(info, HolderKind.USER, None, [], client) is None  # R14
    media1 = catalog.describe(catalog.ACD_MEDIA_1)
    counts = KeyCounts(catalog.ACD_MEDIA_1, assigned=5)
    refusal = rules.allocation_refusal(
        media1, HolderKind.USER, Pool.ASSIGNABLE, [catalog.ACD_MEDIA_3], counts
    )
    assert refusal is not None and refusal.rule == "R11"


def test_capacity_counts_a_bulk_change_once() -> None:
    counts = KeyCounts(catalog.CLIENT_ACCESS, assigned=5, assignable_configured=3)
    assert rules.capacity_refusal(counts, Pool.ASSIGNABLE, 2) is None
    assert rules.capacity_refusal(counts, Pool.ASSIGNABLE, 3) is not None
    assert rules.capacity_refusal(counts, Pool.CONCURRENT, 300) is None  # R5


def test_r6_notes() -> None:
    one = KeyCounts(catalog.CLIENT_ACCESS, assigned=10, assignable_configured=11)
    assert [n.message for n in rules.key_notes(one)] == [
        "Assignable over-allocated by 1 — remove 1"
    ]
    at_limit = KeyCounts(catalog.CLIENT_ACCESS, assigned=10, assignable_configured=10)
    assert rules.key_notes(at_limit) == []
    over = KeyCounts(catalog.CLIENT_ACCESS, assigned=10, assignable_configured=22)
    assert [n.message for n in rules.key_notes(over)] == [
        "Assignable over-allocated by 12 — remove 12"
    ]
    busy = KeyCounts(catalog.CLIENT_ACCESS, pooled=4, concurrent_configured=9, concurrent_in_use=4)
    assert [n.message for n in rules.key_notes(busy)] == ["all 4 Concurrent licenses are in use"]
    gone = KeyCounts(catalog.CLIENT_ACCESS, assignable_configured=1)
    assert "no longer purchased" in rules.key_notes(gone)[0].message
    fine = KeyCounts(
        catalog.CLIENT_ACCESS, assigned=10, pooled=4, assignable_configured=10, concurrent_in_use=3
    )
    assert rules.key_notes(fine) == []


def test_r18_media_levels() -> None:
    three = [InteractionType.CALL, InteractionType.CHAT, InteractionType.EMAIL]
    assert rules.acd_coverage_note("u", catalog.ACD_MEDIA_3, list(InteractionType)) is None
    assert rules.acd_coverage_note("u", catalog.ACD_MEDIA_2, three[:2]) is None
    assert rules.acd_coverage_note("u", catalog.ACD_MEDIA_2, three) is not None
    assert rules.acd_coverage_note("u", None, three[:1]) is not None
    assert rules.acd_coverage_note("u", None, []) is None


def test_r10_machine_name() -> None:
    assert rules.machine_name_refusal(None, None) is None
    assert rules.machine_name_refusal("", None).rule == "R10"
    assert rules.machine_name_refusal("PC", "s1").rule == "R10"
    assert rules.machine_name_refusal("PC", None) is None
