"""The pure rules of workgroup grants (R32): refusals that name the members concerned, and
the note of a member whose inherited key no longer fits."""

from __future__ import annotations

from ia_licensing import catalog, rules
from ia_licensing.rules import KeyCounts, Member, Pool

CLIENT = catalog.CLIENT_ACCESS


def counts(key: str = CLIENT, assigned: int = 3, pooled: int = 2, configured: int = 0) -> KeyCounts:
    return KeyCounts(key, assigned, pooled, assignable_configured=configured)


def test_members_who_fit_are_not_refused() -> None:
    gains = {CLIENT: [Member("ann", Pool.ASSIGNABLE), Member("zed", Pool.CONCURRENT)]}
    assert rules.grant_refusals("workgroup W", gains, {CLIENT: counts()}) == []


def test_capacity_names_the_assignable_members_only() -> None:
    gains = {
        CLIENT: [Member(n, Pool.ASSIGNABLE) for n in ("dee", "ann")]
        + [Member("z", Pool.CONCURRENT)]
    }
    (refusal,) = rules.grant_refusals("workgroup W", gains, {CLIENT: counts(configured=2)})
    assert refusal.rule == "R4"
    assert refusal.message.startswith("workgroup W: Client Access: Assignable Allowed is 3")
    assert refusal.message.endswith("(Assignable members concerned: ann, dee)")


def test_members_whose_method_cannot_hold_it_are_named() -> None:
    gains = {CLIENT: [Member("zed", Pool.CONCURRENT), Member("off", None)]}
    (refusal,) = rules.grant_refusals("W", gains, {CLIENT: counts(pooled=0)})
    assert refusal.rule == "R2" and "Concurrent members concerned: zed)" in refusal.message


def test_group_conflicts_are_grouped_by_the_key_held() -> None:
    media_1, media_2 = catalog.ACD_MEDIA_1, catalog.ACD_MEDIA_2
    gains = {
        media_2: [
            Member("ann", Pool.ASSIGNABLE, frozenset({media_1})),
            Member("off", None, frozenset({media_1})),  # counts nowhere, still one level
            Member("bob", Pool.ASSIGNABLE),
        ]
    }
    (refusal,) = rules.grant_refusals("W", gains, {media_2: counts(media_2)})
    assert refusal.rule == "R11"
    assert "ann, off already hold ACD Media 1, so ACD Media 2 cannot be added" in refusal.message


def test_station_only_and_not_purchased_keys_are_refused_even_without_members() -> None:
    basic = catalog.BASIC_STATION
    assert rules.grant_refusals("W", {basic: []}, {})[0].rule == "R7"
    assert rules.grant_refusals("W", {CLIENT: []}, {})[0].rule == "R2"


def test_the_picker_and_the_service_share_the_pool_rule() -> None:
    assert rules.grant_pool_refusal(counts(), {Pool.ASSIGNABLE: 3}) is None
    assert rules.grant_pool_refusal(counts(), {Pool.ASSIGNABLE: 4}).rule == "R4"  # type: ignore[union-attr]
    assert rules.grant_pool_refusal(counts(pooled=0), {Pool.CONCURRENT: 1}).rule == "R2"  # type: ignore[union-attr]


def test_grant_note_names_the_workgroups() -> None:
    gone = KeyCounts(CLIENT)
    note = rules.grant_note("ann", Pool.ASSIGNABLE, gone, ["Sales", "Support"])
    assert note == rules.Note(
        "R32", "ann", "Client Access from workgroups Sales, Support is not purchased any more"
    )
    no_pool = counts(pooled=0)
    assert rules.grant_note("ann", Pool.ASSIGNABLE, no_pool, ["S"]) is None
    zed = rules.grant_note("zed", Pool.CONCURRENT, no_pool, ["S"])
    assert zed is not None and "has no Concurrent licenses" in zed.message
    assert rules.grant_note("off", None, gone, ["S"]) is None  # Enable Licenses cleared (R14)
