"""ia_licensing.licensefile: the signed .I3Lic envelope, its strict XML and the R26 helpers."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ia_licensing import licensefile as lf
from ia_licensing.license_xml import license_to_xml
from ia_licensing.licensefile import (
    CONTEXT,
    MAX_ENVELOPE_BYTES,
    PERPETUAL,
    License,
    LicenseCount,
    LicenseFileError,
    LicenseType,
    OrderedItem,
    ServerInfo,
    TrustStore,
    check_not_rollback,
    check_validity,
    default_expiry,
    generate_key_pair,
    issue_license,
    load_private_key,
    parse_public_key_file,
    products_compatible,
    read_license,
    read_license_file,
    sign_envelope,
)
from tests.helpers.license_files import CORPUS, TAMPERS, rewrap, split

KEY_ID = "test-vendor-1"
PRIVATE, PUBLIC = generate_key_pair(KEY_ID)
OTHER_PRIVATE, OTHER_PUBLIC = generate_key_pair("acme-2027")
TRUST = TrustStore.from_public_key_files(PUBLIC)
GEN = dt.date(2026, 3, 1)


def sample(**changes: object) -> License:
    lic = License(
        product="CIC 2019 R2",
        license_type=LicenseType.PRODUCTION,
        serial=1001,
        generated=GEN,
        expires=PERPETUAL,
        server=ServerInfo("G607test", "testing"),
        switchover=ServerInfo("G608test", "testing-b", "Media Server Based (4.0+ only)", "None"),
        features=("I3_FEATURE_VERSION_CIC", "I3_FEATURE_SIP", "I3_FEATURE_SU_ALLOWED"),
        licenses=(
            LicenseCount("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN", 10, 6),
            LicenseCount("I3_ACCESS_CLIENT", 170, 0),
            LicenseCount("I3_LICENSE_BASIC_STATION", 170, 0),
            LicenseCount("EASYSRIPTER_EDITOR", 0, 20000),
        ),
        ordered_items=(
            OrderedItem("SW-001-4.0-AL02", "Business Client", 50),
            OrderedItem("SW-001-4.0-PL04", 'Advanced Session & "<more>"', 100),
        ),
        generated_by="Work Test80",
    )
    return replace(lic, **changes)  # type: ignore[arg-type]


GOOD = issue_license(sample(), PRIVATE, KEY_ID)


def refused(data: bytes, reason: str, fragment: str, trust: TrustStore = TRUST) -> str:
    with pytest.raises(LicenseFileError) as info:
        read_license(data, trust)
    err = info.value
    assert (err.reason, err.rule) == (reason, "R26"), str(err)
    assert fragment in str(err)
    return str(err)


# --------------------------------------------------------------------------- round trip
def test_round_trip_gives_an_equal_license() -> None:
    signed = read_license(GOOD, TRUST)
    assert signed.license == sample()
    assert signed.key_id == KEY_ID
    assert signed.raw == GOOD


def test_round_trip_minimal_license() -> None:
    lic = sample(switchover=None, features=(), licenses=(), ordered_items=(), generated_by="")
    assert read_license(issue_license(lic, PRIVATE, KEY_ID), TRUST).license == lic


def test_issue_is_deterministic() -> None:
    assert issue_license(sample(), PRIVATE, KEY_ID) == GOOD
    assert license_to_xml(sample()) == license_to_xml(sample())


def test_envelope_layout_and_signature_context() -> None:
    lines = GOOD.decode("ascii").split("\n")
    assert lines[:3] == ["-----BEGIN I3LIC LICENSE-----", f"key-id: {KEY_ID}", "algorithm: ed25519"]
    assert lines[3].startswith("signature: ") and len(lines[3]) == len("signature: ") + 88
    assert lines[4] == ""
    body = lines[5:-2]
    assert all(len(line) == 76 for line in body[:-1]) and 0 < len(body[-1]) <= 76
    assert lines[-2:] == ["-----END I3LIC LICENSE-----", ""]
    headers, payload = split(GOOD)
    assert payload == license_to_xml(sample())
    assert payload.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<I3License format="1">')
    _, public = parse_public_key_file(PUBLIC)
    public.verify(base64.b64decode(headers[3][len(b"signature: ") :]), CONTEXT + payload)


def test_count_lookup_is_case_insensitive() -> None:
    lic = sample()
    assert lic.count("i3_access_client") == LicenseCount("I3_ACCESS_CLIENT", 170, 0)
    assert lic.count("I3_ACCESS_ACD_MEDIA_1") is None
    assert lic.perpetual and not sample(expires=dt.date(2027, 1, 1)).perpetual


def test_read_accepts_bytearray_and_memoryview() -> None:
    assert read_license(bytearray(GOOD), TRUST).license == sample()
    assert read_license(memoryview(GOOD), TRUST).raw == GOOD


# --------------------------------------------------------------------------- signed bad XML corpus
CORPUS_FILES = sorted(CORPUS.glob("*.xml"))


def _expected(path: Path) -> tuple[str, str]:
    match = re.search(rb"<!-- expect: (.*?) -->", path.read_bytes())
    assert match, path
    return path.stem.split("--")[0], match.group(1).decode()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_signed_bad_xml_is_refused_by_the_parser(path: Path) -> None:
    reason, fragment = _expected(path)
    refused(sign_envelope(path.read_bytes(), PRIVATE, KEY_ID), reason, fragment)


def test_corpus_is_complete_and_messages_are_distinct() -> None:
    assert len(CORPUS_FILES) >= 30
    messages = set()
    for path in CORPUS_FILES:
        with pytest.raises(LicenseFileError) as info:
            read_license(sign_envelope(path.read_bytes(), PRIVATE, KEY_ID), TRUST)
        messages.add(str(info.value))
    assert len(messages) == len(CORPUS_FILES)
    reasons = {_expected(p)[0] for p in CORPUS_FILES}
    assert {"dtd", "duplicate-key", "bad-count", "unknown-element", "unknown-attribute"} <= reasons


def test_billion_laughs_reaches_the_parser_and_is_refused_there() -> None:
    laughs = (CORPUS / "dtd--billion-laughs.xml").read_bytes()
    envelope = sign_envelope(laughs, PRIVATE, KEY_ID)
    assert split(envelope)[1] == laughs  # signed by a trusted key: only the parser can refuse it
    refused(envelope, "dtd", "<!DOCTYPE lolz>")


def test_too_many_entries() -> None:
    features = "".join(f"<Feature>I3_FEATURE_F{i}</Feature>" for i in range(10_001))
    xml = license_to_xml(sample(features=("I3_FEATURE_SIP",)))
    xml = xml.replace(b"<Feature>I3_FEATURE_SIP</Feature>", features.encode())
    refused(sign_envelope(xml, PRIVATE, KEY_ID), "too-many", "more than 10000 entries")


def test_unauthenticated_content_never_reaches_the_xml_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[bytes] = []
    monkeypatch.setattr(lf, "parse_license_xml", calls.append)
    laughs = (CORPUS / "dtd--billion-laughs.xml").read_bytes()
    refused(sign_envelope(laughs, OTHER_PRIVATE, "acme-2027"), "unknown-key", "acme-2027")
    headers, _ = split(GOOD)
    refused(rewrap(headers, laughs), "bad-signature", KEY_ID)
    refused(sign_envelope(laughs, OTHER_PRIVATE, KEY_ID), "bad-signature", KEY_ID)
    assert calls == []


# --------------------------------------------------------------------------- envelope faults
def _flip_padding_bit(b64_line: bytes) -> bytes:
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    pos = b64_line.rindex(b"=") - 2 if b64_line.endswith(b"==") else b64_line.rindex(b"=") - 1
    index = alphabet.index(b64_line[pos : pos + 1]) ^ 1
    return b64_line[:pos] + alphabet[index : index + 1] + b64_line[pos + 1 :]


def _sig_line(envelope: bytes) -> bytes:
    return envelope.split(b"\n")[3]


ENVELOPE_CASES = {
    "empty": (b"", "empty", "license file is empty"),
    "binary-garbage": (bytes(range(256)) * 4, "not-ascii", "non-ASCII byte at offset 128"),
    "utf8-bom": (b"\xef\xbb\xbf" + GOOD, "not-ascii", "offset 0"),
    "crlf": (GOOD.replace(b"\n", b"\r\n"), "line-endings", "only LF"),
    "tab": (GOOD.replace(b"key-id: ", b"key-id:\t"), "malformed", "control byte"),
    "leading-text": (b"license:\n" + GOOD, "malformed", "does not begin with"),
    "trailing-garbage": (GOOD + b"hello\n", "trailing-data", "6 bytes after the end line"),
    "two-envelopes": (GOOD + GOOD, "trailing-data", "after the end line"),
    "no-final-newline": (GOOD[:-1], "truncated", "no newline after the end line"),
    "wrong-algorithm": (
        GOOD.replace(b"algorithm: ed25519", b"algorithm: rsa-sha256"),
        "bad-algorithm",
        "'rsa-sha256' is not accepted (only 'ed25519')",
    ),
    "algorithm-case": (
        GOOD.replace(b"algorithm: ed25519", b"algorithm: Ed25519"),
        "bad-algorithm",
        "'Ed25519'",
    ),
    "algorithm-none": (
        GOOD.replace(b"algorithm: ed25519", b"algorithm: none"),
        "bad-algorithm",
        "",
    ),
    "header-name": (GOOD.replace(b"key-id: ", b"keyid: "), "malformed", "line 2 must be"),
    "header-spacing": (GOOD.replace(b"algorithm: ", b"algorithm:  "), "bad-algorithm", ""),
    "headers-swapped": (
        GOOD.replace(
            b"key-id: test-vendor-1\nalgorithm: ed25519", b"algorithm: ed25519\nkey-id: x"
        ),
        "malformed",
        "'key-id: ...'",
    ),
    "bad-key-id": (
        GOOD.replace(b"key-id: test-vendor-1", b"key-id: ../etc"),
        "malformed",
        "'../etc'",
    ),
    "no-separator": (GOOD.replace(b"==\n\n", b"==\n", 1), "malformed", "line 5 must be empty"),
    "signature-not-base64": (
        GOOD.replace(_sig_line(GOOD), b"signature: " + b"*" * 88),
        "bad-base64",
        "signature is not valid base64",
    ),
    "signature-non-canonical-padding": (
        GOOD.replace(_sig_line(GOOD), _flip_padding_bit(_sig_line(GOOD))),
        "bad-base64",
        "signature is not canonical base64",
    ),
    "signature-short": (
        GOOD.replace(_sig_line(GOOD), b"signature: " + base64.b64encode(bytes(63))),
        "malformed",
        "not 64 bytes",
    ),
    "body-rewrapped": (
        rewrap(split(GOOD)[0], split(GOOD)[1], width=64),
        "malformed",
        "line 6 is not base64 wrapped at 76",
    ),
    "body-bad-char": (
        GOOD.replace(b"\n\nPD94", b"\n\n*D94"),
        "bad-base64",
        "license body is not valid base64",
    ),
    "untrusted-key": (
        issue_license(sample(), OTHER_PRIVATE, "acme-2027"),
        "unknown-key",
        "license file is not signed by a trusted key (key id 'acme-2027' is not in the trust store",
    ),
    "trusted-id-other-key": (
        issue_license(sample(), OTHER_PRIVATE, KEY_ID),
        "bad-signature",
        "does not verify with trusted key 'test-vendor-1'",
    ),
}


@pytest.mark.parametrize("case", ENVELOPE_CASES)
def test_bad_envelope_is_refused(case: str) -> None:
    data, reason, fragment = ENVELOPE_CASES[case]
    refused(data, reason, fragment)


def test_body_padding_bits_are_checked() -> None:
    for extra in ("", "x", "xy"):  # hit a payload length with a padded final quantum
        changed = sample(generated_by="Work Test80" + extra)
        envelope = issue_license(changed, PRIVATE, KEY_ID)
        body_end = envelope.rindex(b"\n-----END")
        last = envelope[envelope.rindex(b"\n", 0, body_end) + 1 : body_end]
        if last.endswith(b"="):
            tampered = envelope[: body_end - len(last)] + _flip_padding_bit(last)
            refused(tampered + envelope[body_end:], "bad-base64", "license body is not canonical")
            return
    pytest.fail("no padded body found")


@pytest.mark.parametrize("cut", [1, 10, 29, 30, 45, 140, 400, -200, -29, -28, -2])
def test_truncated_file_is_refused(cut: int) -> None:
    data = GOOD[:cut]
    with pytest.raises(LicenseFileError) as info:
        read_license(data, TRUST)
    assert info.value.reason == "truncated", str(info.value)


def test_not_bytes_is_refused() -> None:
    refused("-----BEGIN I3LIC LICENSE-----\n", "malformed", "must be bytes")  # type: ignore[arg-type]


def test_thirty_megabyte_file_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(data: bytes) -> tuple[str, bytes, bytes]:
        raise AssertionError("envelope parsed before the size check")

    monkeypatch.setattr(lf, "_parse_envelope", boom)
    path = tmp_path / "huge.i3lic"
    with path.open("wb") as handle:
        handle.write(GOOD[:-29])
        handle.truncate(30 * 1024 * 1024)
    with pytest.raises(LicenseFileError) as info:
        read_license_file(path, TRUST)
    assert info.value.reason == "too-large" and "1 MiB" in str(info.value)
    refused(path.read_bytes(), "too-large", f"is {30 * 1024 * 1024} bytes; the limit is 1 MiB")
    refused(b"A" * (MAX_ENVELOPE_BYTES + 1), "too-large", "limit is 1 MiB")


def test_exactly_one_mebibyte_is_parsed() -> None:
    refused(GOOD[:-29] + b"A" * (MAX_ENVELOPE_BYTES - len(GOOD) + 29), "truncated", "")


def test_read_license_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.i3lic"
    path.write_bytes(GOOD)
    assert read_license_file(path, TRUST).license == sample()
    with pytest.raises(LicenseFileError) as info:
        read_license_file(tmp_path / "missing.i3lic", TRUST)
    assert info.value.reason == "unreadable" and "missing.i3lic" in str(info.value)


@pytest.mark.parametrize("field", TAMPERS)
def test_tampered_field_with_old_signature_is_refused(field: str) -> None:
    old, new = TAMPERS[field]
    headers, payload = split(GOOD)
    assert payload.count(old) == 1
    refused(rewrap(headers, payload.replace(old, new)), "bad-signature", "altered after signing")


def test_key_id_switched_to_another_trusted_key_is_refused() -> None:
    trust = TrustStore.from_public_key_files(PUBLIC, OTHER_PUBLIC)
    tampered = GOOD.replace(b"key-id: test-vendor-1", b"key-id: acme-2027")
    refused(tampered, "bad-signature", "'acme-2027'", trust)


# --------------------------------------------------------------------------- issuing
@pytest.mark.parametrize(
    ("lic", "reason", "fragment"),
    [
        (sample(product="CIC\x002019"), "bad-text", "Product contains the control character"),
        (sample(product=" CIC 2019 R2"), "bad-text", "leading or trailing spaces"),
        (sample(generated_by="x" * 201), "bad-text", "longer than 200"),
        (sample(licenses=(LicenseCount("I3_ACCESS_CLIENT", -1, 0),)), "bad-count", "negative"),
        (sample(licenses=(LicenseCount("A", 1, 0),) * 2), "duplicate-key", "more than once"),
        (sample(features=("I3_FEATURE_SIP",) * 2), "duplicate-feature", "more than once"),
        (sample(licenses=(LicenseCount("bad key", 1, 0),)), "bad-key", "not a license key"),
        (sample(serial=0), "bad-serial", "outside 1.."),
        (sample(expires=GEN), "bad-date", "not after Generated"),
        (sample(features=["I3_FEATURE_SIP"]), "invalid-license", "round trip"),
    ],
)
def test_issue_refuses_a_license_it_could_not_read(
    lic: License, reason: str, fragment: str
) -> None:
    with pytest.raises(LicenseFileError) as info:
        issue_license(lic, PRIVATE, KEY_ID)
    assert info.value.reason == reason and fragment in str(info.value)


def test_issue_refuses_bad_keys() -> None:
    with pytest.raises(LicenseFileError, match="not valid") as info:
        issue_license(sample(), PRIVATE, "bad id")
    assert info.value.reason == "bad-key-id"
    with pytest.raises(LicenseFileError, match="not a readable PEM key"):
        issue_license(sample(), b"not a key", KEY_ID)
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(LicenseFileError, match="not an Ed25519 private key") as info:
        load_private_key(ec_pem)
    assert info.value.reason == "bad-private-key"


# --------------------------------------------------------------------------- keys and trust
def test_key_files() -> None:
    assert PRIVATE.startswith(b"-----BEGIN PRIVATE KEY-----\n")
    text = PUBLIC.decode("ascii")
    assert "key-id: test-vendor-1\nalgorithm: ed25519\npublic-key: " in text
    commented = b"# DEMO ONLY\n# more\n\n" + PRIVATE
    assert load_private_key(commented).public_key() == load_private_key(PRIVATE).public_key()
    key_id, _ = parse_public_key_file(PUBLIC.replace(b"\n", b"\r\n"))
    assert key_id == KEY_ID


def _public_b64() -> bytes:
    return PUBLIC.split(b"public-key: ")[1].strip()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "key-id is missing"),
        (PUBLIC.replace(b"algorithm: ed25519", b"algorithm: rsa"), "'rsa' is not supported"),
        (PUBLIC.replace(_public_b64(), base64.b64encode(bytes(31))), "32 bytes"),
        (PUBLIC.replace(_public_b64(), b"!!!!"), "not a base64 Ed25519"),
        (PUBLIC + b"key-id: again\n", "key-id appears more than once"),
        (PUBLIC + b"comment without hash\n", "is not 'key-id:'"),
        (PUBLIC.replace(b"key-id: test-vendor-1", b"key-id: a b"), "key id 'a b' is not valid"),
        (PUBLIC + "é".encode(), "not ASCII"),
        (b"#" * (64 * 1024 + 1), "too large"),
    ],
)
def test_malformed_public_key_file(data: bytes, fragment: str) -> None:
    with pytest.raises(LicenseFileError) as info:
        parse_public_key_file(data, "k.pub")
    assert info.value.reason == "bad-key-file"
    assert str(info.value).startswith("trusted key file 'k.pub': ") and fragment in str(info.value)


def test_trust_store_directory_holds_several_keys_for_rotation(tmp_path: Path) -> None:
    (tmp_path / "vendor-2026.pub").write_bytes(PUBLIC)
    (tmp_path / "acme-2027.pub").write_bytes(OTHER_PUBLIC)
    (tmp_path / "README.txt").write_text("not a key")
    (tmp_path / ".hidden.pub").write_text("ignored")
    trust = TrustStore.from_directory(tmp_path)
    assert trust.key_ids == ("acme-2027", KEY_ID) and len(trust) == 2
    assert read_license(GOOD, trust).key_id == KEY_ID
    other = issue_license(sample(), OTHER_PRIVATE, "acme-2027")
    assert read_license(other, trust).key_id == "acme-2027"


def test_trust_store_refuses_malformed_and_duplicate_files(tmp_path: Path) -> None:
    (tmp_path / "a.pub").write_bytes(PUBLIC)
    (tmp_path / "b.pub").write_bytes(PUBLIC)
    with pytest.raises(LicenseFileError, match="key id 'test-vendor-1' repeats"):
        TrustStore.from_directory(tmp_path)
    (tmp_path / "b.pub").write_bytes(b"garbage\n")
    with pytest.raises(LicenseFileError, match=r"b\.pub") as info:
        TrustStore.from_directory(tmp_path)
    assert info.value.reason == "bad-key-file"
    with pytest.raises(LicenseFileError, match="does not exist") as info:
        TrustStore.from_directory(tmp_path / "nope")
    assert info.value.reason == "bad-trust-store"


def test_empty_trust_store_trusts_nothing(tmp_path: Path) -> None:
    refused(GOOD, "unknown-key", "trusted: none", TrustStore.from_directory(tmp_path))


def test_the_packaged_trust_store_is_empty_and_no_private_key_ships() -> None:
    """R36 (issue 16, defect 1): nothing in the package can sign a license, and nothing
    is trusted by default."""
    assert len(TrustStore.default()) == 0
    refused(GOOD, "unknown-key", "trusted: none", TrustStore.default())
    package = Path(lf.__file__).parent
    for path in package.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes()
            assert b"PRIVATE KEY-----" not in data, path
            assert b"public-key:" not in data or path.suffix == ".py", path
    assert not hasattr(lf, "demo_private_key_pem")


# --------------------------------------------------------------------------- R26 / R27 helpers
def test_default_expiry() -> None:
    year, sixty = dt.date(2027, 3, 1), dt.date(2026, 4, 30)
    expected = {t: PERPETUAL for t in LicenseType}  # evaluation too: no invented term
    expected |= {
        LicenseType.TRIAL: sixty,
        LicenseType.TRIAL_SYSTEM: sixty,
        LicenseType.ORDERED_DEVELOPMENT: year,
        LicenseType.DEVELOPMENT: year,
        LicenseType.MULTI_SITE_ADMINISTRATION: year,
    }
    assert {t: default_expiry(t, GEN) for t in LicenseType} == expected
    assert dt.date(2100, 1, 1) == PERPETUAL


def development(kind: LicenseType = LicenseType.DEVELOPMENT, **changes: object) -> License:
    """A development license within its size: 8 of each (small)."""
    small = (LicenseCount("I3_ACCESS_CLIENT", 8, 0), LicenseCount("I3_LICENSE_BASIC_STATION", 8, 0))
    return replace(sample(license_type=kind, size="small", licenses=small), **changes)


NOW = dt.datetime(2026, 3, 10, 12, 0)


def _check(lic: License, host: str = "G607test", product: str = "CIC 2019 R2") -> None:
    check_validity(lic, host_id=host, product=product, now=NOW)


def _reason(lic: License, host: str = "G607test", product: str = "CIC 2019 R2") -> str:
    with pytest.raises(LicenseFileError) as info:
        _check(lic, host, product)
    assert info.value.rule == "R26"
    return info.value.reason


def test_validity_accepts_a_good_license_and_its_switchover_partner() -> None:
    _check(sample())
    _check(sample(), host="G608test")
    _check(sample(), host="g607TEST")
    _check(sample(), product="cic  2019 r2")
    check_validity(sample(), host_id="G607test", product="CIC 2019 R2", today=NOW.date())


def test_validity_reasons() -> None:
    assert _reason(sample(), product="CIC 2020 R1") == "wrong-product"
    assert _reason(sample(), host="OTHER") == "wrong-host"
    assert _reason(sample(switchover=None), host="G608test") == "wrong-host"
    assert _reason(sample(expires=NOW.date())) == "expired"
    assert _reason(sample(generated=dt.date(2026, 3, 11))) == "not-yet-valid"
    trial = sample(license_type=LicenseType.TRIAL, expires=GEN + dt.timedelta(days=61))
    assert _reason(trial) == "type-rule"


def test_wrong_host_message_names_both_hosts() -> None:
    with pytest.raises(LicenseFileError, match="'G607test' or 'G608test', not this server"):
        _check(sample(), host="OTHER")


def test_expiry_day_is_the_first_invalid_day() -> None:
    lic = sample(expires=dt.date(2026, 3, 11))
    _check(lic)
    assert _reason(sample(expires=dt.date(2026, 3, 10))) == "expired"
    perpetual = sample()
    check_validity(
        perpetual, host_id="G607test", product="CIC 2019 R2", today=dt.date(2099, 12, 31)
    )
    with pytest.raises(LicenseFileError, match="expired on 2100-01-01"):
        check_validity(perpetual, host_id="G607test", product="CIC 2019 R2", today=PERPETUAL)


def test_not_yet_valid_allows_five_minutes_of_clock_skew() -> None:
    tomorrow = sample(generated=dt.date(2026, 3, 11))
    late = dt.datetime(2026, 3, 10, 23, 56)
    check_validity(tomorrow, host_id="G607test", product="CIC 2019 R2", now=late)
    with pytest.raises(LicenseFileError, match="in the future") as info:
        check_validity(
            tomorrow, host_id="G607test", product="CIC 2019 R2", now=late.replace(minute=54)
        )
    assert info.value.reason == "not-yet-valid"
    aware = dt.datetime(2026, 3, 10, 23, 58, tzinfo=dt.UTC)
    check_validity(tomorrow, host_id="G607test", product="CIC 2019 R2", now=aware)
    with pytest.raises(LicenseFileError, match="in the future"):
        check_validity(tomorrow, host_id="G607test", product="CIC 2019 R2", today=NOW.date())
    with pytest.raises(TypeError):
        check_validity(tomorrow, host_id="G607test", product="CIC 2019 R2")


def test_trial_lasts_at_most_sixty_days() -> None:
    base = sample(license_type=LicenseType.TRIAL)
    _check(replace(base, expires=default_expiry(LicenseType.TRIAL, GEN)))
    _check(replace(base, expires=GEN + dt.timedelta(days=60)))
    with pytest.raises(LicenseFileError, match="trial license lasts at most 60 days"):
        _check(replace(base, expires=GEN + dt.timedelta(days=61)))
    assert _reason(replace(base, expires=PERPETUAL)) == "type-rule"


def test_ordered_development_lasts_at_most_one_year() -> None:
    base = development(LicenseType.ORDERED_DEVELOPMENT)
    _check(replace(base, expires=default_expiry(LicenseType.ORDERED_DEVELOPMENT, GEN)))
    with pytest.raises(LicenseFileError, match="at most 365 days") as info:
        _check(replace(base, expires=GEN + dt.timedelta(days=366)))
    assert info.value.reason == "type-rule"


def test_production_switchover_and_development_follow_the_file_expiry() -> None:
    for kind in (LicenseType.PRODUCTION, LicenseType.SWITCHOVER):
        _check(sample(license_type=kind, expires=PERPETUAL))
        _check(sample(license_type=kind, expires=dt.date(2031, 1, 1)))
    _check(development(expires=PERPETUAL))
    _check(development(expires=dt.date(2031, 1, 1)))


def test_products_compatible() -> None:
    assert products_compatible("CIC 2019 R2", " cic 2019  R2 ")
    assert not products_compatible("CIC 2019 R2", "CIC 2019 R3")
    assert not products_compatible("CIC 4.0", "PureConnect 4.0")


def test_rollback_is_refused_under_r27() -> None:
    current = sample()
    check_not_rollback(current, None)
    check_not_rollback(current, current)
    check_not_rollback(sample(serial=1002, generated=dt.date(2026, 3, 2)), current)
    for older in (sample(serial=1000), sample(generated=dt.date(2026, 2, 28))):
        with pytest.raises(LicenseFileError, match="older than the license in force") as info:
            check_not_rollback(older, current)
        assert (info.value.rule, info.value.reason) == ("R27", "rollback")
