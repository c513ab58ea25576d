"""services.license_management.overview: what License Management shows, without Qt."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from ia_licensing import catalog
from ia_licensing.licensefile import LicenseCount, LicenseType, TrustStore
from ia_licensing.models import Database, TrustedKey
from ia_licensing.services import allocation, license_management, licensing, users
from tests.helpers.license_files import PUBLIC, TODAY, signed

TRUST = TrustStore.from_public_key_files(PUBLIC)
CLIENT = catalog.CLIENT_ACCESS


def test_no_license_loaded(db: Database) -> None:
    shown = license_management.overview(db, TRUST)
    assert shown.header is None and shown.licenses == () and shown.history == ()
    assert shown.problem.startswith("No license has been loaded")


def test_a_license_that_does_not_verify_shows_no_counts_but_its_history(db: Database) -> None:
    licensing.load_license(db, signed(), TRUST)
    with db.write() as session:  # the database forgets the key (say, an edit by hand)
        session.execute(delete(TrustedKey))
    shown = license_management.overview(db, TrustStore({}))
    assert shown.header is None and "does not verify" in shown.problem
    assert [h.serial for h in shown.history] == [10]


def test_header_rows_and_features_come_from_the_signed_file(db: Database) -> None:
    licensing.load_license(
        db,
        signed(
            features=("I3_FEATURE_SIP", "I3_FEATURE_NEW_THING"),
            licenses=(
                LicenseCount(CLIENT, 3, 2),
                LicenseCount("I3_LICENSE_MEDIA_SESSION_ADDON", 10, 0),
            ),
        ),
        TRUST,
    )
    users.add_user(db, "u1")
    allocation.allocate(db, CLIENT, users=["u1"])
    shown = license_management.overview(db, TRUST)
    header = shown.header
    assert header is not None and shown.problem == ""
    assert (header.license_type, header.serial, header.host_id) == ("Production", 10, "HOST-1")
    assert header.switchover_partner == "HOST-2 (ic-test-b)"
    assert header.days_left is None and header.days_left_text == "perpetual"
    rows = {r.key: r for r in shown.licenses}
    client = rows[CLIENT]
    assert (client.display_name, client.kind, client.assigned, client.pooled) == (
        "Client Access",
        "Access",
        3,
        2,
    )
    assert (client.assignable_configured, client.concurrent_configured) == (1, 0)
    assert client.concurrent_in_use == 0
    session = rows["I3_LICENSE_MEDIA_SESSION_ADDON"]
    assert (session.kind, session.assignable_configured) == ("Session", None)  # R29
    assert [(f.key, f.description) for f in shown.features] == [
        ("I3_FEATURE_SIP", "SIP"),
        ("I3_FEATURE_NEW_THING", ""),
    ]
    assert shown.notes == ()


def test_days_left_and_r28_notes_of_a_trial(db: Database) -> None:
    trial = signed(license_type=LicenseType.TRIAL, expires=TODAY + dt.timedelta(days=5))
    licensing.load_license(db, trial, TRUST)
    shown = license_management.overview(db, TRUST, today=TODAY)
    assert shown.header is not None
    assert (shown.header.license_type, shown.header.days_left) == ("Trial", 5)
    assert shown.header.days_left_text == "5 days"
    assert [n.rule for n in shown.notes] == ["R28"]
    later = license_management.overview(db, TRUST, today=TODAY + dt.timedelta(days=6))
    assert later.header is not None and later.header.days_left_text.startswith("expired on")


def test_license_type_names_follow_the_server_license_types_table() -> None:
    names = license_management.LICENSE_TYPE_NAMES
    assert set(names) == {t.value for t in LicenseType}
    assert license_management.license_type_name("ordered-development") == "Ordered Development"
