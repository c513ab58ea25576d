"""The catalogue holds every key the spec names, with its scope and group."""

from __future__ import annotations

import pytest

from ia_licensing import catalog
from ia_licensing.catalog import Group, Kind, Scope

SPEC_ADD_ONS = [
    "Interaction Analyzer Access",
    "Interaction Client Operator Add-On",
    "Interaction Client Outlook Add-In",
    "Interaction Dialer Add-On",
    "Interaction Feedback Access",
    "Interaction Optimizer Access Real-time Adherence",
    "Interaction Optimizer Client Access",
    "Interaction Optimizer Real-time Adherence Tracking",
    "Interaction Optimizer Schedulable",
    "Interaction Quality Manager",
    "Interaction Recorder Access",
    "Interaction Recorder Client Access",
    "Interaction Recorder Extreme Query",
    "Interaction Scripter",
    "Interaction Supervisor iPad Edition",
    "Interaction Supervisor Plug-In: Historical Reporting",
    "Interaction Supervisor Plug-In: Interaction Dialer",
    "Interaction Supervisor Plug-In: Reporting Assistant",
    "Interaction Supervisor Plug-In: System Status",
    "Interaction Supervisor Plug-In: Workgroup",
    "Interaction Tracker Access",
    "Salesforce Business User",
    "Salesforce Standard User",
]


@pytest.mark.parametrize("name", SPEC_ADD_ONS)
def test_every_add_on_of_the_spec_is_a_key_for_users_and_stations(name: str) -> None:
    info = catalog.find(name)
    assert info is not None and info.display_name == name
    assert info.scope is Scope.BOTH and info.kind is Kind.ACCESS


def test_scopes_and_groups() -> None:
    assert catalog.describe(catalog.BASIC_STATION).scope is Scope.STATION_ONLY
    for key in (catalog.IPA_MONITOR, catalog.IPA_DESIGNER, *catalog.ANALYTICS_TIERS):
        assert catalog.describe(key).scope is Scope.USER_ONLY
    assert {catalog.describe(k).group for k in catalog.ACD_LEVELS} == {Group.ACD_MEDIA}
    assert {catalog.describe(k).group for k in catalog.IPA_TYPES} == {Group.IPA}
    assert [catalog.acd_media_types(k) for k in catalog.ACD_LEVELS] == [1, 2, 4]


def test_features_and_sessions_are_not_allocatable() -> None:
    assert catalog.describe("I3_FEATURE_SU_ALLOWED").kind is Kind.FEATURE
    assert catalog.describe("I3_FEATURE_SOMETHING_NEW").kind is Kind.FEATURE
    assert catalog.describe("I3_LICENSE_CONFERENCE_SESSION_ADDON").kind is Kind.SESSION
    assert not catalog.describe("I3_LICENSE_FOO_SESSION_ADDON").allocatable


def test_unknown_keys_are_arbitrary() -> None:
    info = catalog.describe("EASYSRIPTER_EDITOR")
    assert info.display_name == "Arbitrary: EASYSRIPTER_EDITOR" and info.allocatable
    assert catalog.find("Arbitrary: easysripter_editor") == info
    assert catalog.find("not a key!") is None


def test_lookup_by_key_or_display_name_in_any_case() -> None:
    assert (
        catalog.find("client access")
        == catalog.find("I3_ACCESS_CLIENT")
        == catalog.find("i3_access_client")
    )
    assert catalog.find("ACD MEDIA 3").key == catalog.ACD_MEDIA_3


def test_part_numbers_of_the_spec() -> None:
    assert catalog.part("SW-001- 4.0-AL02").keys == (catalog.BASIC_STATION, catalog.CLIENT_ACCESS)
    assert catalog.part("SW-001-4.0-AA01").description == "Interaction Supervisor Add-on"
    assert catalog.part("SW-001-4.0-AL04").keys == (
        catalog.BASIC_STATION,
        catalog.CLIENT_ACCESS,
        catalog.ACD_MEDIA_1,
    )
    assert catalog.part("SW-999") is None


def test_each_word_is_spelled_one_way_in_the_display_names() -> None:
    names = [k.display_name for k in catalog.KEYS]
    assert not [n for n in names if "Plug-in" in n]  # the spec's "Plug-In"
