"""The license-file helpers themselves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ia_licensing.licensefile import LicenseFileError, LicenseType, TrustStore, read_license
from tests.helpers.license_files import (
    CORPUS,
    HOST,
    KEY_ID,
    PUBLIC,
    TODAY,
    make,
    rewrap,
    signed,
    split,
    tampered,
    write,
)

TRUST = TrustStore.from_public_key_files(PUBLIC)


def test_the_corpus_is_there() -> None:
    assert (CORPUS / "dtd--billion-laughs.xml").is_file()
    assert len(list(CORPUS.glob("*.xml"))) >= 30


def test_split_then_rewrap_gives_the_envelope_back() -> None:
    envelope = signed()
    headers, payload = split(envelope)
    assert len(headers) == 4 and headers[0].startswith(b"-----BEGIN")
    assert payload.startswith(b"<") and b"<Serial>10<" in payload
    assert rewrap(headers, payload) == envelope


def test_rewrap_wraps_the_body_at_the_given_width() -> None:
    headers, payload = split(signed())
    lines = rewrap(headers, payload, width=40).split(b"\n")
    body = lines[5:-2]
    assert all(len(line) == 40 for line in body[:-1]) and 0 < len(body[-1]) <= 40
    assert split(rewrap(headers, payload, width=40)) == (headers, payload)


def test_signed_verifies_with_the_test_key_and_takes_changes() -> None:
    verified = read_license(signed(), TRUST)
    lic = verified.license
    assert verified.key_id == KEY_ID
    assert (lic.serial, lic.server.host_id, lic.generated) == (10, HOST, TODAY - dt.timedelta(1))
    assert read_license(signed(serial=11), TRUST).license.serial == 11
    assert make(license_type=LicenseType.TRIAL).license_type is LicenseType.TRIAL


@pytest.mark.parametrize(
    "field", ["product", "serial", "host-id", "assigned-count", "type", "expires"]
)
def test_tampered_changes_one_field_and_breaks_the_signature(field: str) -> None:
    data = tampered(field)
    assert data != signed()
    with pytest.raises(LicenseFileError) as info:
        read_license(data, TRUST)
    assert info.value.reason == "bad-signature"


def test_write_puts_the_bytes_in_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.I3Lic", b"data")
    assert Path(path) == tmp_path / "a.I3Lic" and Path(path).read_bytes() == b"data"
