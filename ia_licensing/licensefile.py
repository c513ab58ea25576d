"""The .I3Lic license file: an XML license inside an Ed25519-signed text envelope (R26).

Reading is done in a fixed order and nothing unauthenticated reaches the XML parser:
size (at most 1 MiB) -> strict envelope (ASCII, LF, exact markers and headers, canonical
base64) -> key id in the trust store -> Ed25519 signature over ``CONTEXT + xml`` -> strict
XML (defusedxml, no DTD). Every failure is a :class:`LicenseFileError` naming the rule,
a reason code and the problem. Business checks that need the server's state are the pure
helpers at the end (:func:`check_validity`, :func:`check_not_rollback`); the service layer
calls them. The format is described in docs/license-file.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ia_licensing.catalog import describe

# Re-exported: the data classes and the error are part of this module's API.
from ia_licensing.license_xml import DEVELOPMENT_SIZES as DEVELOPMENT_SIZES
from ia_licensing.license_xml import MAX_COUNT as MAX_COUNT
from ia_licensing.license_xml import PERPETUAL as PERPETUAL
from ia_licensing.license_xml import License as License
from ia_licensing.license_xml import LicenseCount as LicenseCount
from ia_licensing.license_xml import LicenseFileError as LicenseFileError
from ia_licensing.license_xml import LicenseType as LicenseType
from ia_licensing.license_xml import OrderedItem as OrderedItem
from ia_licensing.license_xml import ServerInfo as ServerInfo
from ia_licensing.license_xml import license_to_xml, parse_license_xml

MAX_ENVELOPE_BYTES = 1024 * 1024
MAX_KEY_FILE_BYTES = 64 * 1024
CONTEXT = b"ia-licensing/i3lic/v1\x00"
ALGORITHM = "ed25519"
BEGIN = b"-----BEGIN I3LIC LICENSE-----"
END = b"-----END I3LIC LICENSE-----"
LINE_WIDTH = 76
CLOCK_SKEW = datetime.timedelta(minutes=5)
# R26's type rules. Trial: "expires after 60 days" (a Trial System is a trial too);
# Ordered Development: "active for one year"; Multi-site Administration "requires
# re-registration after one year". The others follow the file's expiry (docs/decisions.md).
TYPE_MAX_DAYS = {
    LicenseType.TRIAL: 60,
    LicenseType.TRIAL_SYSTEM: 60,
    LicenseType.ORDERED_DEVELOPMENT: 365,
    LicenseType.MULTI_SITE_ADMINISTRATION: 365,
}
DEFAULT_DAYS = {**TYPE_MAX_DAYS, LicenseType.DEVELOPMENT: 365}
DEVELOPMENT_TYPES = (LicenseType.DEVELOPMENT, LicenseType.ORDERED_DEVELOPMENT)

_KEY_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CONTROL_RE = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class SignedLicense:
    """A verified license, the key that signed it and the envelope bytes exactly as read."""

    license: License
    key_id: str
    raw: bytes


_err = LicenseFileError  # (reason, message, rule="R26")


def _check_key_id(key_id: str) -> str:
    if not isinstance(key_id, str) or not _KEY_ID_RE.fullmatch(key_id):
        raise _err(
            "bad-key-id",
            f"key id {key_id!r} is not valid (1-64 of A-Z a-z 0-9 . _ -, starting alphanumeric)",
        )
    return key_id


def _strict_b64(text: bytes, what: str) -> bytes:
    """Decode base64 that must be written exactly as we write it (no lenient variants)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _err("bad-base64", f"{what} is not valid base64") from None
    if base64.b64encode(raw) != text:
        raise _err("bad-base64", f"{what} is not canonical base64 (padding bits altered)")
    return raw


# --------------------------------------------------------------------------- keys
def generate_key_pair(key_id: str) -> tuple[bytes, bytes]:
    """A new Ed25519 key pair: (private key PEM, public key file carrying ``key_id``)."""
    _check_key_id(key_id)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    public = (
        "# IA Licensing trusted public key: put this file in a trust store folder to accept\n"
        "# licenses signed with the matching private key.\n"
        f"key-id: {key_id}\nalgorithm: {ALGORITHM}\n"
        f"public-key: {base64.b64encode(raw).decode('ascii')}\n"
    )
    return pem, public.encode("ascii")


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key from PKCS#8 PEM; leading ``#`` comment lines are ignored."""
    lines = pem.splitlines(keepends=True)
    while lines and (lines[0].startswith(b"#") or not lines[0].strip()):
        lines.pop(0)
    try:
        key = serialization.load_pem_private_key(b"".join(lines), password=None)
    except Exception as exc:
        raise _err("bad-private-key", f"signing key is not a readable PEM key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _err("bad-private-key", "signing key is not an Ed25519 private key")
    return key


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    """The raw 32 bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key: SHA-256 of its raw bytes, 16 hex digits."""
    return "sha256:" + hashlib.sha256(public_key_bytes(key)).hexdigest()[:16]


def parse_public_key_file(data: bytes, name: str = "key file") -> tuple[str, Ed25519PublicKey]:
    """(key id, public key) from a file written by :func:`generate_key_pair` (LF or CRLF)."""

    def bad(problem: str) -> LicenseFileError:
        return _err("bad-key-file", f"trusted key file {name!r}: {problem}")

    if len(data) > MAX_KEY_FILE_BYTES:
        raise bad("file is too large")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise bad("file is not ASCII text") from None
    fields: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        field, sep, value = line.partition(":")
        if not sep or field not in ("key-id", "algorithm", "public-key"):
            raise bad(f"line {number} is not 'key-id:', 'algorithm:' or 'public-key:'")
        if field in fields:
            raise bad(f"{field} appears more than once")
        fields[field] = value.strip()
    for field in ("key-id", "algorithm", "public-key"):
        if field not in fields:
            raise bad(f"{field} is missing")
    if not _KEY_ID_RE.fullmatch(fields["key-id"]):
        raise bad(f"key id {fields['key-id']!r} is not valid")
    if fields["algorithm"] != ALGORITHM:
        raise bad(f"algorithm {fields['algorithm']!r} is not supported (only {ALGORITHM})")
    try:
        raw = _strict_b64(fields["public-key"].encode("ascii"), "public key")
        public = Ed25519PublicKey.from_public_bytes(raw)
    except (LicenseFileError, ValueError):
        raise bad("public-key is not a base64 Ed25519 public key (32 bytes)") from None
    return fields["key-id"], public


class TrustStore:
    """The public keys whose signatures are accepted, by key id (several during rotation)."""

    def __init__(self, keys: Mapping[str, Ed25519PublicKey] | None = None) -> None:
        self._keys = dict(keys or {})

    @classmethod
    def from_public_key_files(cls, *files: bytes) -> TrustStore:
        return cls._from_entries((f"key file {i + 1}", data) for i, data in enumerate(files))

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> TrustStore:
        """Every ``*.pub`` file in the folder; any malformed one refuses the whole store."""
        folder = Path(path)
        if not folder.is_dir():
            raise _err("bad-trust-store", f"trust store folder {str(folder)!r} does not exist")
        try:
            files = sorted(
                p for p in folder.iterdir() if p.suffix == ".pub" and not p.name.startswith(".")
            )
            return cls._from_entries((str(p), p.read_bytes()) for p in files)
        except OSError as exc:
            raise _err(
                "bad-trust-store", f"cannot read trust store {str(folder)!r}: {exc}"
            ) from None

    @classmethod
    def default(cls) -> TrustStore:
        """The packaged trust store, which is empty (R36): no key is trusted by default. A
        database trusts the keys recorded in it (services/trust.py)."""
        return cls()

    @classmethod
    def from_raw_keys(cls, keys: Mapping[str, bytes]) -> TrustStore:
        """Keys by id from their raw 32 bytes (as a database records them)."""
        parsed: dict[str, Ed25519PublicKey] = {}
        for key_id, raw in keys.items():
            _check_key_id(key_id)
            try:
                parsed[key_id] = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                raise _err(
                    "bad-key-file", f"trusted key {key_id!r} is not an Ed25519 public key"
                ) from None
        return cls(parsed)

    def raw_keys(self) -> dict[str, bytes]:
        return {key_id: public_key_bytes(key) for key_id, key in sorted(self._keys.items())}

    def merged(self, other: TrustStore) -> TrustStore:
        """Both stores' keys; the same key id naming two different keys is refused."""
        keys = dict(self._keys)
        for key_id, key in other._keys.items():
            known = keys.get(key_id)
            if known is not None and public_key_bytes(known) != public_key_bytes(key):
                raise _err(
                    "bad-trust-store",
                    f"key id {key_id!r} names two different public keys "
                    f"({fingerprint(known)} and {fingerprint(key)}); a vendor never reuses "
                    "a key id, so one of them is not genuine",
                )
            keys[key_id] = key
        return TrustStore(keys)

    @classmethod
    def _from_entries(cls, entries: Iterable[tuple[str, bytes]]) -> TrustStore:
        keys: dict[str, Ed25519PublicKey] = {}
        for name, data in entries:
            key_id, public = parse_public_key_file(data, name)
            if key_id in keys:
                raise _err("bad-key-file", f"trusted key file {name!r}: key id {key_id!r} repeats")
            keys[key_id] = public
        return cls(keys)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._keys))

    def get(self, key_id: str) -> Ed25519PublicKey | None:
        return self._keys.get(key_id)

    def __len__(self) -> int:
        return len(self._keys)


# --------------------------------------------------------------------------- envelope
def _build_envelope(key_id: str, signature: bytes, payload: bytes) -> bytes:
    body = base64.b64encode(payload)
    lines = [
        BEGIN,
        b"key-id: " + key_id.encode("ascii"),
        b"algorithm: " + ALGORITHM.encode("ascii"),
        b"signature: " + base64.b64encode(signature),
        b"",
        *(body[i : i + LINE_WIDTH] for i in range(0, len(body), LINE_WIDTH)),
        END,
    ]
    return b"\n".join(lines) + b"\n"


def sign_envelope(payload: bytes, private_key_pem: bytes, key_id: str) -> bytes:
    """Sign ``payload`` as-is (no validation) and wrap it; vendor side and tests only."""
    key = load_private_key(private_key_pem)
    envelope = _build_envelope(_check_key_id(key_id), key.sign(CONTEXT + payload), payload)
    if len(envelope) > MAX_ENVELOPE_BYTES:
        raise _err("too-large", f"license would be {len(envelope)} bytes; the limit is 1 MiB")
    return envelope


def issue_license(lic: License, private_key_pem: bytes, key_id: str) -> bytes:
    """The signed envelope for ``lic``; refuses a license that could not be read back."""
    xml = license_to_xml(lic)
    if parse_license_xml(xml) != lic:
        raise _err("invalid-license", "license does not survive a write/read round trip")
    return sign_envelope(xml, private_key_pem, key_id)


def _header(lines: list[bytes], index: int, name: str) -> str:
    prefix = name.encode("ascii") + b": "
    line = lines[index]
    if not line.startswith(prefix):
        raise _err("malformed", f"line {index + 1} must be the header '{name}: ...'")
    return line[len(prefix) :].decode("ascii")


def _parse_envelope(data: bytes) -> tuple[str, bytes, bytes]:
    """(key id, signature, payload) from a strictly canonical envelope."""
    if not data:
        raise _err("empty", "license file is empty")
    if not data.isascii():
        offset = next(i for i, b in enumerate(data) if b > 0x7F)
        raise _err("not-ascii", f"license file has a non-ASCII byte at offset {offset}")
    if b"\r" in data:
        raise _err("line-endings", "license file has CR (Windows) line endings; only LF is valid")
    control = _CONTROL_RE.search(data)
    if control:
        raise _err("malformed", f"license file has a control byte at offset {control.start()}")
    if not data.startswith(BEGIN + b"\n"):
        if (BEGIN + b"\n").startswith(data):
            raise _err("truncated", "license file is truncated inside its first line")
        raise _err("malformed", f"license file does not begin with {BEGIN.decode()}")
    end = data.find(b"\n" + END)
    if end < 0:
        raise _err("truncated", f"license file is truncated: no {END.decode()} line")
    tail = data[end + 1 + len(END) :]
    if tail != b"\n":
        if not tail:
            raise _err("truncated", "license file is truncated: no newline after the end line")
        raise _err("trailing-data", f"license file has {len(tail) - 1} bytes after the end line")
    lines = data[:end].split(b"\n")
    if len(lines) < 6:
        raise _err("malformed", "license file lacks headers or body")
    key_id = _header(lines, 1, "key-id")
    if not _KEY_ID_RE.fullmatch(key_id):
        raise _err("malformed", f"key id {key_id!r} is not valid")
    algorithm = _header(lines, 2, "algorithm")
    if algorithm != ALGORITHM:
        raise _err(
            "bad-algorithm",
            f"signature algorithm {algorithm!r} is not accepted (only {ALGORITHM!r})",
        )
    signature = _strict_b64(_header(lines, 3, "signature").encode("ascii"), "signature")
    if len(signature) != 64:
        raise _err("malformed", "signature is not 64 bytes")
    if lines[4]:
        raise _err("malformed", "line 5 must be empty (it separates headers from body)")
    body = lines[5:]
    for number, line in enumerate(body, 6):
        last = number == len(lines)
        if not line or len(line) > LINE_WIDTH or (not last and len(line) != LINE_WIDTH):
            raise _err("malformed", f"line {number} is not base64 wrapped at {LINE_WIDTH}")
    payload = _strict_b64(b"".join(body), "license body")
    if _build_envelope(key_id, signature, payload) != data:
        raise _err("malformed", "license file is not in canonical form")
    return key_id, signature, payload


def _read(data: bytes | bytearray | memoryview, trust: TrustStore) -> SignedLicense:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _err("malformed", "license data must be bytes")
    size = data.nbytes if isinstance(data, memoryview) else len(data)
    if size > MAX_ENVELOPE_BYTES:
        raise _err("too-large", f"license file is {size} bytes; the limit is 1 MiB")
    raw = bytes(data)
    key_id, signature, payload = _parse_envelope(raw)
    public = trust.get(key_id)
    if public is None:
        trusted = ", ".join(repr(k) for k in trust.key_ids) or "none"
        raise _err(
            "unknown-key",
            f"license file is not signed by a trusted key (key id {key_id!r} is not in the "
            f"trust store; trusted: {trusted})",
        )
    try:
        public.verify(signature, CONTEXT + payload)
    except InvalidSignature:
        raise _err(
            "bad-signature",
            f"license signature does not verify with trusted key {key_id!r}: "
            "the file was altered after signing or signed by another key",
        ) from None
    return SignedLicense(parse_license_xml(payload), key_id, raw)


def read_license(data: bytes | bytearray | memoryview, trust: TrustStore) -> SignedLicense:
    """Verify and parse an envelope; any problem raises :class:`LicenseFileError` only."""
    try:
        return _read(data, trust)
    except LicenseFileError:
        raise
    except Exception as exc:  # defence in depth: no other exception type may escape
        raise _err("unexpected", f"license file cannot be read ({type(exc).__name__})") from exc


def read_license_bytes(path: str | os.PathLike[str]) -> bytes:
    """A license file's bytes, reading at most 1 MiB + 1 byte of it."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ENVELOPE_BYTES + 1)
    except OSError as exc:
        raise _err("unreadable", f"cannot read license file {str(path)!r}: {exc}") from None
    if len(data) > MAX_ENVELOPE_BYTES:
        raise _err("too-large", f"license file {str(path)!r} is larger than the 1 MiB limit")
    return data


def read_license_file(path: str | os.PathLike[str], trust: TrustStore) -> SignedLicense:
    """:func:`read_license` on a file, reading at most 1 MiB + 1 byte of it."""
    return read_license(read_license_bytes(path), trust)


# --------------------------------------------------------------------------- validity
def default_expiry(license_type: LicenseType, generated: datetime.date) -> datetime.date:
    """R26 defaults: trial and trial system 60 days, (ordered) development and multi-site
    administration 365; every other type (evaluation included) perpetual, as production."""
    days = DEFAULT_DAYS.get(LicenseType(license_type))
    return PERPETUAL if days is None else generated + datetime.timedelta(days=days)


def _norm_product(product: str) -> str:
    return " ".join(product.split()).casefold()


def products_compatible(license_product: str, server_product: str) -> bool:
    """Same product family and version, ignoring case and runs of spaces."""
    return _norm_product(license_product) == _norm_product(server_product)


def check_validity(
    lic: License,
    *,
    host_id: str,
    product: str,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """R26 checks that need the server's state; give ``now`` (preferred) or ``today``.

    ``expires`` is the first day the license no longer works. A license generated more
    than 5 minutes after ``now`` (or, with only ``today``, on a later day) is not yet valid.
    """
    if today is None:
        if now is None:
            raise TypeError("check_validity() needs today= or now=")
        today = now.date()
    if not products_compatible(lic.product, product):
        raise _err("wrong-product", f"license is for {lic.product!r}; this server runs {product!r}")
    hosts = [lic.server.host_id] + ([lic.switchover.host_id] if lic.switchover else [])
    if host_id.casefold() not in {h.casefold() for h in hosts}:
        listed = " or ".join(repr(h) for h in hosts)
        raise _err("wrong-host", f"license is for host id {listed}, not this server ({host_id!r})")
    if now is not None:
        start = datetime.datetime.combine(lic.generated, datetime.time(), now.tzinfo)
        future = start - now > CLOCK_SKEW
    else:
        future = lic.generated > today
    if future:
        raise _err("not-yet-valid", f"license is generated on {lic.generated}, in the future")
    limit = TYPE_MAX_DAYS.get(lic.license_type)
    lasts = (lic.expires - lic.generated).days
    if limit is not None and lasts > limit:
        raise _err(
            "type-rule",
            f"a {lic.license_type.value} license lasts at most {limit} days from generation; "
            f"this one lasts {lasts} ({lic.generated} to {lic.expires})",
        )
    _check_size(lic)
    if today >= lic.expires:
        raise _err("expired", f"license expired on {lic.expires}")


def _check_size(lic: License) -> None:
    """R26: a development license is small (8 of each access and session license) or large
    (30 of each); only development licenses have a size."""
    kind = lic.license_type.value
    if lic.license_type not in DEVELOPMENT_TYPES:
        if lic.size is not None:
            raise _err("type-rule", f"only development licenses have a size; this is {kind}")
        return
    if lic.size is None:
        raise _err("type-rule", f"a {kind} license must say its size (small or large)")
    limit = DEVELOPMENT_SIZES[lic.size]
    over = [c for c in lic.licenses if c.assigned + c.pooled > limit]
    if over:
        listed = ", ".join(
            f"{describe(c.key).display_name} has {c.assigned + c.pooled}" for c in over
        )
        raise _err(
            "type-rule",
            f"a {lic.size} {kind} license has at most {limit} of each access and session "
            f"license; {listed}",
        )


def check_not_rollback(
    new: License, current: License | None, highest_serial: int | None = None
) -> None:
    """R27: refuse a file strictly older than the one in force (serial or generation date),
    or older than any serial ever loaded (`highest_serial`, from the history), so that a
    superseded license cannot come back even when the one in force no longer verifies."""
    if highest_serial is not None and new.serial < highest_serial:
        raise LicenseFileError(
            "rollback",
            f"license serial {new.serial} is older than serial {highest_serial} already "
            "loaded; a superseded license cannot come back",
            rule="R27",
        )
    if current is None:
        return
    if new.serial < current.serial or new.generated < current.generated:
        raise LicenseFileError(
            "rollback",
            f"license serial {new.serial} generated {new.generated} is older than the license "
            f"in force (serial {current.serial} generated {current.generated})",
            rule="R27",
        )
