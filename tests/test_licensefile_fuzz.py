"""Fuzzing the .I3Lic reader: no altered file is ever accepted, no other exception escapes."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ia_licensing.license_xml import MAX_DATE, MIN_DATE, license_to_xml, parse_license_xml
from ia_licensing.licensefile import (
    License,
    LicenseCount,
    LicenseFileError,
    LicenseType,
    OrderedItem,
    ServerInfo,
    TrustStore,
    generate_key_pair,
    issue_license,
    read_license,
    sign_envelope,
)

KEY_ID = "fuzz-1"
PRIVATE, PUBLIC = generate_key_pair(KEY_ID)
TRUST = TrustStore.from_public_key_files(PUBLIC)
SMALL = License(
    product="CIC 2019 R2",
    license_type=LicenseType.TRIAL,
    serial=7,
    generated=dt.date(2026, 1, 1),
    expires=dt.date(2026, 3, 2),
    server=ServerInfo("H1", "m"),
    switchover=None,
    features=(),
    licenses=(LicenseCount("I3_ACCESS_CLIENT", 5, 1),),
)
GOOD = issue_license(SMALL, PRIVATE, KEY_ID)
FUZZ = settings(
    max_examples=int(os.environ.get("LICENSE_FUZZ_EXAMPLES", "300")), deadline=None, database=None
)


def _refused(data: bytes) -> str:
    """The reason ``data`` is refused; fails the test if it is accepted."""
    try:
        read_license(data, TRUST)
    except LicenseFileError as err:
        assert err.rule == "R26" and err.reason != "unexpected" and str(err)
        return err.reason
    pytest.fail(f"altered license accepted: {data!r}")


def test_good_file_is_small_and_accepted() -> None:
    assert len(GOOD) < 1000
    assert read_license(GOOD, TRUST).license == SMALL


def test_every_single_bit_flip_is_refused() -> None:
    reasons: set[str] = set()
    for index in range(len(GOOD)):
        for bit in range(8):
            flipped = bytearray(GOOD)
            flipped[index] ^= 1 << bit
            reasons.add(_refused(bytes(flipped)))
    assert "bad-signature" in reasons and "unknown-key" in reasons and "bad-base64" in reasons
    assert reasons <= {
        "not-ascii",
        "line-endings",
        "malformed",
        "truncated",
        "trailing-data",
        "bad-algorithm",
        "bad-base64",
        "unknown-key",
        "bad-signature",
    }


def test_every_single_byte_deletion_and_duplication_is_refused() -> None:
    for index in range(len(GOOD)):
        _refused(GOOD[:index] + GOOD[index + 1 :])
        _refused(GOOD[: index + 1] + GOOD[index:])


EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(min_value=0, max_value=len(GOOD)),
    st.integers(min_value=0, max_value=255),
)


@FUZZ
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_random_byte_edits_are_never_accepted(edits: list[tuple[str, int, int]]) -> None:
    data = bytearray(GOOD)
    for op, position, value in edits:
        where = position % (len(data) + 1)
        if op == "insert":
            data.insert(where, value)
        elif data:
            where = min(where, len(data) - 1)
            if op == "delete":
                del data[where]
            else:
                data[where] = value
    assume(bytes(data) != GOOD)
    _refused(bytes(data))


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_raise_only_license_file_error(data: bytes) -> None:
    _refused(data)


BASE64_TEXT = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n -:",
    max_size=1500,
)


@FUZZ
@given(BASE64_TEXT)
def test_random_text_inside_good_headers_is_refused(text: str) -> None:
    head = GOOD[: GOOD.index(b"\n\n") + 2]
    _refused(head + text.encode("ascii") + b"\n-----END I3LIC LICENSE-----\n")


@FUZZ
@given(st.binary(max_size=2048))
def test_signed_random_payload_raises_only_license_file_error(payload: bytes) -> None:
    with pytest.raises(LicenseFileError) as info:
        read_license(sign_envelope(payload, PRIVATE, KEY_ID), TRUST)
    assert info.value.reason != "unexpected"
    with pytest.raises(LicenseFileError):  # the parser itself, without read_license's net
        parse_license_xml(payload)


XML = license_to_xml(SMALL)


@FUZZ
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_signed_mutated_xml_is_a_license_or_a_license_file_error(
    edits: list[tuple[str, int, int]],
) -> None:
    data = bytearray(XML)
    for op, position, value in edits:
        where = position % len(data)
        if op == "insert":
            data.insert(where, value)
        elif op == "delete" and len(data) > 1:
            del data[where]
        else:
            data[where] = value
    try:
        lic = parse_license_xml(bytes(data))  # the parser alone: no catch-all around it
    except LicenseFileError as err:
        assert err.reason != "unexpected"
        return
    assert read_license(issue_license(lic, PRIVATE, KEY_ID), TRUST).license == lic


# --------------------------------------------------------------------------- valid licenses
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).filter(lambda s: s == s.strip())
KEY = st.from_regex(r"[A-Z][A-Z0-9_]{0,30}", fullmatch=True)
COUNT = st.integers(min_value=0, max_value=10_000_000)
SERVER = st.builds(ServerInfo, TEXT, TEXT, TEXT, TEXT)


@st.composite
def licenses(draw: st.DrawFn) -> License:
    generated = draw(st.dates(MIN_DATE, MAX_DATE - dt.timedelta(days=1)))
    expires = draw(st.dates(generated + dt.timedelta(days=1), MAX_DATE))
    return License(
        product=draw(TEXT),
        license_type=draw(st.sampled_from(LicenseType)),
        serial=draw(st.integers(min_value=1, max_value=2**63 - 1)),
        generated=generated,
        expires=expires,
        server=draw(SERVER),
        switchover=draw(st.none() | SERVER),
        features=tuple(draw(st.lists(KEY.map("I3_FEATURE_{}".format), unique=True, max_size=5))),
        licenses=tuple(
            draw(
                st.lists(
                    st.builds(LicenseCount, KEY, COUNT, COUNT),
                    unique_by=lambda c: c.key,
                    max_size=6,
                )
            )
        ),
        ordered_items=tuple(
            draw(st.lists(st.builds(OrderedItem, TEXT, st.just("") | TEXT, COUNT), max_size=3))
        ),
        generated_by=draw(st.just("") | TEXT),
    )


@settings(max_examples=100, deadline=None, database=None)
@given(licenses())
def test_any_valid_license_round_trips(lic: License) -> None:
    envelope = issue_license(lic, PRIVATE, KEY_ID)
    assert read_license(envelope, TRUST).license == lic
    assert issue_license(lic, PRIVATE, KEY_ID) == envelope
