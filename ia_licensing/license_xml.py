"""The XML inside an .I3Lic envelope: data classes, canonical writer and strict reader.

Only :mod:`ia_licensing.licensefile` calls :func:`parse_license_xml`, and only on bytes whose
Ed25519 signature has already been verified. Even so the reader trusts nothing: DTDs and
entities, unknown elements or attributes, stray text, duplicates and absurd values are
refused, each with its own reason code (docs/license-file.md).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import defusedxml
import defusedxml.ElementTree as DET

FORMAT_VERSION = "1"
MAX_COUNT = 10_000_000
MAX_SERIAL = 2**63 - 1
MAX_ENTRIES = 10_000
MAX_TEXT = 200
MAX_DEPTH = 3  # I3License > Licenses > License
MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
PERPETUAL = datetime.date(2100, 1, 1)

_KEY_RE = re.compile(r"[A-Z][A-Z0-9_]{0,99}")
_INT_RE = re.compile(r"-?[0-9]+")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class LicenseFileError(Exception):
    """A license file (or key file) refused; ``rule`` names the DESIGN rule, ``reason`` a code."""

    def __init__(self, reason: str, message: str, rule: str = "R26") -> None:
        super().__init__(message)
        self.rule = rule
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


class LicenseType(StrEnum):
    """Server License Types: the spec's table, and the others it names (R26)."""

    PRODUCTION = "production"
    SWITCHOVER = "switchover"
    E_FAQ_PRODUCTION = "e-faq-production"
    MEDIA_SERVER = "media-server"
    MULTI_SITE_ADMINISTRATION = "multi-site-administration"
    DEVELOPMENT = "development"  # the table's "Non-ordered Development"
    ORDERED_DEVELOPMENT = "ordered-development"
    TRIAL = "trial"
    TRIAL_SYSTEM = "trial-system"
    EVALUATION = "evaluation"
    DISASTER_RECOVERY = "disaster-recovery"
    LOAD_TEST = "load-test"
    TRAINING = "training"


# A development license's size (Non-ordered and Ordered Development): how many of each
# access and session license it includes.
DEVELOPMENT_SIZES = {"small": 8, "large": 30}


@dataclass(frozen=True)
class LicenseCount:
    key: str
    assigned: int
    pooled: int


@dataclass(frozen=True)
class OrderedItem:
    part_number: str
    description: str
    quantity: int


@dataclass(frozen=True)
class ServerInfo:
    host_id: str
    machine_name: str
    machine_type: str = "Media Server Based (4.0+ only)"
    mail_connector: str = "Microsoft Exchange Server"


@dataclass(frozen=True)
class License:
    product: str
    license_type: LicenseType
    serial: int
    generated: datetime.date
    expires: datetime.date  # 2100-01-01 means perpetual
    server: ServerInfo
    switchover: ServerInfo | None
    features: tuple[str, ...]
    licenses: tuple[LicenseCount, ...]
    ordered_items: tuple[OrderedItem, ...] = ()
    generated_by: str = ""
    size: str | None = None  # development types: "small" or "large" (DEVELOPMENT_SIZES)

    def count(self, key: str) -> LicenseCount | None:
        """The counts for ``key`` (case-insensitive), or None when the license lacks it."""
        wanted = key.upper()
        return next((c for c in self.licenses if c.key == wanted), None)

    @property
    def perpetual(self) -> bool:
        return self.expires >= PERPETUAL


# --------------------------------------------------------------------------- checks
def _fail(reason: str, message: str) -> LicenseFileError:
    return LicenseFileError(reason, message)


def check_text(value: str, where: str, *, required: bool = True) -> str:
    """Text that XML carries unchanged: no control characters, no edge spaces, bounded."""
    if not isinstance(value, str):
        raise _fail("bad-text", f"{where} must be text")
    if required and not value:
        raise _fail("bad-text", f"{where} is empty")
    if len(value) > MAX_TEXT:
        raise _fail("bad-text", f"{where} is longer than {MAX_TEXT} characters")
    if value != value.strip():
        raise _fail("bad-text", f"{where} has leading or trailing spaces")
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
            raise _fail("bad-text", f"{where} contains the control character U+{ord(ch):04X}")
    return value


def check_key(value: str, where: str) -> str:
    if not isinstance(value, str) or not _KEY_RE.fullmatch(value):
        raise _fail(
            "bad-key",
            f"{where} {value!r} is not a license key (A-Z, 0-9 and _, starting with a letter)",
        )
    return value


def _parse_int(text: str, where: str, reason: str, low: int, high: int) -> int:
    if not _INT_RE.fullmatch(text) or len(text) > 20:
        raise _fail(reason, f"{where} {text!r} is not a whole number")
    value = int(text)
    if value < 0 and low >= 0:
        raise _fail(reason, f"{where} {text!r} is negative")
    if value < low or value > high:
        raise _fail(reason, f"{where} {text!r} is outside {low}..{high}")
    if text != str(value):
        raise _fail(reason, f"{where} {text!r} is not written canonically (leading zeros)")
    return value


def _parse_date(text: str, where: str) -> datetime.date:
    try:
        if not _DATE_RE.fullmatch(text):
            raise ValueError
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise _fail("bad-date", f"{where} {text!r} is not a date (YYYY-MM-DD)") from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise _fail("bad-date", f"{where} {text} is outside {MIN_DATE}..{MAX_DATE}")
    return value


# --------------------------------------------------------------------------- writer
def _esc(value: str, where: str, *, required: bool = True) -> str:
    check_text(value, where, required=required)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _server_xml(tag: str, s: ServerInfo) -> str:
    return (
        f'  <{tag} hostId="{_esc(s.host_id, f"{tag} hostId")}"'
        f' machineName="{_esc(s.machine_name, f"{tag} machineName")}"'
        f' machineType="{_esc(s.machine_type, f"{tag} machineType")}"'
        f' mailConnector="{_esc(s.mail_connector, f"{tag} mailConnector")}"/>'
    )


def _block(tag: str, items: Iterable[str]) -> list[str]:
    lines = list(items)
    return [f"  <{tag}>", *lines, f"  </{tag}>"] if lines else [f"  <{tag}/>"]


def license_to_xml(lic: License) -> bytes:
    """Canonical UTF-8 XML for ``lic``: same license, same bytes."""
    by = _esc(lic.generated_by, "GeneratedBy", required=False)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<I3License format="{FORMAT_VERSION}">',
        f"  <Product>{_esc(lic.product, 'Product')}</Product>",
        f"  <LicenseType>{LicenseType(lic.license_type).value}</LicenseType>",
        *([f"  <Size>{_size(lic.size)}</Size>"] if lic.size is not None else []),
        f"  <Serial>{int(lic.serial)}</Serial>",
        f"  <Generated>{lic.generated.isoformat()}</Generated>",
        f"  <Expires>{lic.expires.isoformat()}</Expires>",
        f"  <GeneratedBy>{by}</GeneratedBy>" if by else "  <GeneratedBy/>",
        _server_xml("Server", lic.server),
    ]
    if lic.switchover is not None:
        lines.append(_server_xml("Switchover", lic.switchover))
    lines += _block(
        "Features", (f"    <Feature>{_esc(f, 'Feature')}</Feature>" for f in lic.features)
    )
    lines += _block(
        "Licenses",
        (
            f'    <License key="{_esc(c.key, "License key")}"'
            f' assigned="{int(c.assigned)}" pooled="{int(c.pooled)}"/>'
            for c in lic.licenses
        ),
    )
    lines += _block(
        "OrderedItems",
        (
            f'    <OrderedItem partNumber="{_esc(o.part_number, "OrderedItem partNumber")}"'
            f' quantity="{int(o.quantity)}">'
            f"{_esc(o.description, 'OrderedItem description', required=False)}</OrderedItem>"
            for o in lic.ordered_items
        ),
    )
    lines.append("</I3License>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _size(value: str) -> str:
    if value not in DEVELOPMENT_SIZES:
        raise _fail("bad-size", f"license size {value!r} is not small or large")
    return value


# --------------------------------------------------------------------------- reader
_ROOT_CHILDREN = {
    "Product": True,
    "LicenseType": True,
    "Size": False,
    "Serial": True,
    "Generated": True,
    "Expires": True,
    "GeneratedBy": True,
    "Server": True,
    "Switchover": False,
    "Features": True,
    "Licenses": True,
    "OrderedItems": True,
}
_SERVER_ATTRS = ("hostId", "machineName", "machineType", "mailConnector")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _attrs(el: ET.Element, names: tuple[str, ...]) -> dict[str, str]:
    for name in el.attrib:
        if name not in names:
            raise _fail("unknown-attribute", f"<{el.tag}> has the unknown attribute {name!r}")
    for name in names:
        if name not in el.attrib:
            raise _fail("missing-attribute", f"<{el.tag}> lacks the attribute {name!r}")
    return dict(el.attrib)


def _leaf(el: ET.Element) -> str:
    _attrs(el, ())
    if len(el):
        raise _fail("unknown-element", f"<{el.tag}> must not contain elements")
    return el.text or ""


def _children(el: ET.Element, tag: str) -> list[ET.Element]:
    """Child elements of a container; each must be ``tag``; only whitespace between them."""
    _attrs(el, ())
    kids = list(el)
    if not _blank(el.text) or any(not _blank(k.tail) for k in kids):
        raise _fail("unexpected-text", f"<{el.tag}> contains text outside its elements")
    for kid in kids:
        if kid.tag != tag:
            raise _fail("unknown-element", f"unknown element <{kid.tag}> inside <{el.tag}>")
    if len(kids) > MAX_ENTRIES:
        raise _fail("too-many", f"<{el.tag}> has more than {MAX_ENTRIES} entries")
    return kids


def _server(el: ET.Element) -> ServerInfo:
    a = _attrs(el, _SERVER_ATTRS)
    if el.text or len(el):
        raise _fail("unexpected-text", f"<{el.tag}> must be empty")
    tag = el.tag
    return ServerInfo(
        host_id=check_text(a["hostId"], f"{tag} hostId"),
        machine_name=check_text(a["machineName"], f"{tag} machineName"),
        machine_type=check_text(a["machineType"], f"{tag} machineType"),
        mail_connector=check_text(a["mailConnector"], f"{tag} mailConnector"),
    )


def _check_depth(root: ET.Element) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail("too-deep", f"elements are nested deeper than {MAX_DEPTH} levels")
        stack.extend((kid, depth + 1) for kid in el)


def _fromstring(xml: bytes) -> ET.Element:
    try:
        root = DET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        ext = f" SYSTEM {exc.sysid!r}" if exc.sysid else ""
        raise _fail(
            "dtd",
            f"license XML contains a document type declaration (<!DOCTYPE {exc.name}{ext}>); "
            "DTDs, entities and external references are forbidden",
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise _fail(
            "dtd", f"license XML declares entities or external references ({exc})"
        ) from None
    except (ET.ParseError, ValueError, LookupError) as exc:
        raise _fail("bad-xml", f"license XML is not well-formed ({exc})") from None
    return cast(ET.Element, root)


def parse_license_xml(xml: bytes) -> License:
    """The license in ``xml``; raises :class:`LicenseFileError` for anything else."""
    root = _fromstring(xml)
    _check_depth(root)
    if root.tag != "I3License":
        raise _fail("unknown-element", f"root element is <{root.tag}>, expected <I3License>")
    fmt = _attrs(root, ("format",))["format"]
    if fmt != FORMAT_VERSION:
        raise _fail("unsupported-format", f"license format {fmt!r} is not supported (only '1')")
    if not _blank(root.text) or any(not _blank(k.tail) for k in root):
        raise _fail("unexpected-text", "<I3License> contains text outside its elements")
    found: dict[str, ET.Element] = {}
    for kid in root:
        if kid.tag not in _ROOT_CHILDREN:
            raise _fail("unknown-element", f"unknown element <{kid.tag}> inside <I3License>")
        if kid.tag in found:
            raise _fail("duplicate-element", f"<{kid.tag}> appears more than once")
        found[kid.tag] = kid
    for tag, required in _ROOT_CHILDREN.items():
        if required and tag not in found:
            raise _fail("missing-element", f"required element <{tag}> is missing")

    type_text = _leaf(found["LicenseType"])
    try:
        license_type = LicenseType(type_text)
    except ValueError:
        raise _fail("bad-type", f"unknown license type {type_text!r}") from None
    generated = _parse_date(_leaf(found["Generated"]), "Generated")
    expires = _parse_date(_leaf(found["Expires"]), "Expires")
    if expires <= generated:
        raise _fail("bad-date", f"Expires {expires} is not after Generated {generated}")

    features: dict[str, None] = {}
    for el in _children(found["Features"], "Feature"):
        name = check_key(_leaf(el), "feature")
        if not name.startswith("I3_FEATURE_"):
            raise _fail("bad-key", f"feature {name!r} does not start with I3_FEATURE_")
        if name in features:
            raise _fail("duplicate-feature", f"feature {name} is listed more than once")
        features[name] = None

    counts: list[LicenseCount] = []
    seen: set[str] = set()
    for el in _children(found["Licenses"], "License"):
        a = _attrs(el, ("key", "assigned", "pooled"))
        if el.text or len(el):
            raise _fail("unexpected-text", "<License> must be empty")
        key = check_key(a["key"], "license key")
        if key in seen:
            raise _fail("duplicate-key", f"license key {key} is listed more than once")
        seen.add(key)
        assigned = _parse_int(a["assigned"], f"{key} assigned count", "bad-count", 0, MAX_COUNT)
        pooled = _parse_int(a["pooled"], f"{key} pooled count", "bad-count", 0, MAX_COUNT)
        counts.append(LicenseCount(key, assigned, pooled))

    items: list[OrderedItem] = []
    for el in _children(found["OrderedItems"], "OrderedItem"):
        a = _attrs(el, ("partNumber", "quantity"))
        if len(el):
            raise _fail("unknown-element", "<OrderedItem> must not contain elements")
        part = check_text(a["partNumber"], "OrderedItem partNumber")
        qty = _parse_int(a["quantity"], f"{part} quantity", "bad-count", 0, MAX_COUNT)
        text = check_text(el.text or "", f"{part} description", required=False)
        items.append(OrderedItem(part, text, qty))

    switchover = found.get("Switchover")
    size = found.get("Size")
    return License(
        product=check_text(_leaf(found["Product"]), "Product"),
        license_type=license_type,
        serial=_parse_int(_leaf(found["Serial"]), "Serial", "bad-serial", 1, MAX_SERIAL),
        generated=generated,
        expires=expires,
        server=_server(found["Server"]),
        switchover=_server(switchover) if switchover is not None else None,
        features=tuple(features),
        licenses=tuple(counts),
        ordered_items=tuple(items),
        generated_by=check_text(_leaf(found["GeneratedBy"]), "GeneratedBy", required=False),
        size=_size(_leaf(size)) if size is not None else None,
    )
