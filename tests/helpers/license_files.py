"""Signed license files for tests: the bad-XML corpus, a test vendor key, a good license and
ways to tamper with one after signing."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from ia_licensing import catalog
from ia_licensing.licensefile import (
    License,
    LicenseCount,
    LicenseType,
    ServerInfo,
    TrustStore,
    generate_key_pair,
    issue_license,
)

CORPUS = Path(__file__).parent.parent / "license_corpus"

# Each a field of tests/test_licensefile.py's sample() as signed, and an altered value.
TAMPERS = {
    "product": (b"<Product>CIC 2019 R2<", b"<Product>CIC 2020 R1<"),
    "type": (b">production<", b">development<"),
    "serial": (b"<Serial>1001<", b"<Serial>9001<"),
    "generated": (b"<Generated>2026-03-01<", b"<Generated>2026-03-02<"),
    "expires": (b"<Expires>2100-01-01<", b"<Expires>2099-01-01<"),
    "host-id": (b'hostId="G607test"', b'hostId="G607TEST"'),
    "switchover-host-id": (b'hostId="G608test"', b'hostId="EVIL0001"'),
    "assigned-count": (b'"I3_ACCESS_CLIENT" assigned="170"', b'"I3_ACCESS_CLIENT" assigned="999"'),
    "pooled-count": (b'assigned="0" pooled="20000"', b'assigned="0" pooled="90000"'),
    "feature": (b">I3_FEATURE_SIP<", b">I3_FEATURE_SMS<"),
    "license-key": (b'"EASYSRIPTER_EDITOR"', b'"EASYSRIPTER_EDITOX"'),
    "whitespace": (b"</I3License>\n", b"</I3License>\n\n"),
}


def write(tmp_path: Path, name: str, data: bytes) -> str:
    """`data` as the file `name` in `tmp_path`; its path, as a file chooser answers it."""
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def split(envelope: bytes) -> tuple[list[bytes], bytes]:
    """(the four header lines, the payload) of a canonical envelope."""
    lines = envelope.split(b"\n")
    return lines[:4], base64.b64decode(b"".join(lines[5:-2]))


def rewrap(headers: list[bytes], payload: bytes, width: int = 76) -> bytes:
    body = base64.b64encode(payload)
    chunks = [body[i : i + width] for i in range(0, len(body), width)]
    return b"\n".join([*headers, b"", *chunks, b"-----END I3LIC LICENSE-----"]) + b"\n"


# The vendor key of the license-loading tests (the CLI's, License Management's, Load License's).
KEY_ID = "acme-2027"
PRIVATE, PUBLIC = generate_key_pair(KEY_ID)
STRANGER_PRIVATE, _ = generate_key_pair("stranger-1")
TODAY = dt.date.today()
HOST = "HOST-1"  # the template database's host id (tests/conftest.py)


def make(**changes: object) -> License:
    lic = License(
        product="CIC 2019 R2",
        license_type=LicenseType.PRODUCTION,
        serial=10,
        generated=TODAY - dt.timedelta(days=1),
        expires=dt.date(2100, 1, 1),
        server=ServerInfo(HOST, "ic-test"),
        switchover=ServerInfo("HOST-2", "ic-test-b"),
        features=("I3_FEATURE_SIP",),
        licenses=(
            LicenseCount(catalog.BASIC_STATION, 5, 0),
            LicenseCount(catalog.CLIENT_ACCESS, 3, 2),
            LicenseCount("EASYSRIPTER_EDITOR", 0, 20),
        ),
    )
    return replace(lic, **changes)  # type: ignore[arg-type]


def signed(**changes: object) -> bytes:
    return issue_license(make(**changes), PRIVATE, KEY_ID)


def tampered(field: str) -> bytes:
    headers, payload = split(signed())
    old, new = {
        "product": (b"<Product>CIC 2019 R2<", b"<Product>CIC 2020 R1<"),
        "serial": (b"<Serial>10<", b"<Serial>99<"),
        "host-id": (b'hostId="HOST-1"', b'hostId="HOST-9"'),
        "assigned-count": (b'assigned="3"', b'assigned="300"'),
        "type": TAMPERS["type"],
        "expires": TAMPERS["expires"],
    }[field]
    assert payload.count(old) == 1, field
    return rewrap(headers, payload.replace(old, new))


TRUST = TrustStore.from_public_key_files(PUBLIC)  # the test vendor's key, as a trust store


def license_for(
    counts: dict[str, tuple[int, int]], serial: int = 1, host: str = HOST, machine: str = "ic-test"
) -> bytes:
    """A production license with exactly `counts`, signed with the test vendor key."""
    return signed(
        serial=serial,
        server=ServerInfo(host, machine),
        switchover=None,
        features=(),
        licenses=tuple(LicenseCount(k, a, p) for k, (a, p) in sorted(counts.items())),
    )


@dataclass(frozen=True)
class HostileName:
    why: str
    name: str
    expect: str  # "R37", "neutralised", "same-as:NAME" or "accepted"


def hostile_names(expect: str | None = None) -> list[HostileName]:
    """The hostile-names corpus (tests/license_corpus/hostile-names.json)."""
    rows = json.loads((CORPUS / "hostile-names.json").read_text(encoding="ascii"))
    names = [HostileName(r["why"], r["name"], r["expect"]) for r in rows]
    return [n for n in names if expect is None or n.expect.startswith(expect)]
