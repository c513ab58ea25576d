"""R26: every server license type of the spec's table and the others it names, with their
rules: expiry defaults and limits, and the size of development licenses (8 or 30 of each
access and session license), enforced when a file is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from ia_licensing import catalog, cli
from ia_licensing.licensefile import (
    PERPETUAL,
    LicenseCount,
    LicenseFileError,
    LicenseType,
    TrustStore,
    check_validity,
    default_expiry,
    read_license,
)
from ia_licensing.models import Database
from ia_licensing.services import licensing
from ia_licensing.services.license_management import license_type_name
from tests.helpers.database import snapshot
from tests.helpers.license_files import HOST, KEY_ID, PRIVATE, PUBLIC, TODAY, make, signed

TRUST = TrustStore.from_public_key_files(PUBLIC)
GEN = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 3, 10, 12, 0)

EVERY_TYPE = {
    "production": "Production",
    "switchover": "Switchover",
    "e-faq-production": "e-FAQ Production",
    "media-server": "Media Server",
    "multi-site-administration": "Multi-site Administration",
    "development": "Non-ordered Development",
    "ordered-development": "Ordered Development",
    "trial": "Trial",
    "trial-system": "Trial System",
    "evaluation": "Evaluation",
    "disaster-recovery": "Disaster Recovery",
    "load-test": "Load Test",
    "training": "Training",
}


def dev(size: str | None, count: int, kind: LicenseType = LicenseType.DEVELOPMENT, **more: object):
    return make(
        license_type=kind,
        size=size,
        generated=GEN,
        expires=GEN + dt.timedelta(days=300),
        licenses=(
            LicenseCount(catalog.BASIC_STATION, count, 0),
            LicenseCount(catalog.CLIENT_ACCESS, 2, 2),
            LicenseCount("I3_LICENSE_MEDIA_SESSION_ADDON", 0, count),
        ),
        **more,
    )


def reason(lic: object) -> str:
    with pytest.raises(LicenseFileError) as info:
        check_validity(lic, host_id=HOST, product="CIC 2019 R2", now=NOW)  # type: ignore[arg-type]
    assert info.value.rule == "R26"
    return f"{info.value.reason}: {info.value}"


def test_every_server_license_type_is_known_by_its_spec_name() -> None:
    assert {t.value for t in LicenseType} == set(EVERY_TYPE)
    assert {t: license_type_name(t) for t in EVERY_TYPE} == EVERY_TYPE


def test_expiry_defaults_and_limits_per_type() -> None:
    days = {t: (default_expiry(t, GEN) - GEN).days for t in LicenseType}
    assert days[LicenseType.TRIAL] == days[LicenseType.TRIAL_SYSTEM] == 60
    assert days[LicenseType.ORDERED_DEVELOPMENT] == days[LicenseType.DEVELOPMENT] == 365
    assert days[LicenseType.MULTI_SITE_ADMINISTRATION] == 365  # "re-registration after one year"
    # Evaluation, like production, follows the file: the spec gives it no term (no invention).
    for kind in ("evaluation", "production", "e-faq-production", "media-server", "load-test"):
        assert default_expiry(LicenseType(kind), GEN) == PERPETUAL
    long = make(generated=GEN, expires=GEN + dt.timedelta(days=366))
    msa = replace(long, license_type=LicenseType.MULTI_SITE_ADMINISTRATION)
    assert reason(msa).startswith("type-rule: a multi-site-administration license lasts at most")
    trial_system = replace(long, license_type=LicenseType.TRIAL_SYSTEM)
    assert "at most 60 days" in reason(trial_system)
    for kind in ("evaluation", "training", "load-test", "media-server", "e-faq-production"):
        check_validity(
            replace(long, license_type=LicenseType(kind)),
            host_id=HOST,
            product="CIC 2019 R2",
            now=NOW,
        )


def test_development_licenses_are_small_or_large() -> None:
    check_validity(dev("small", 8), host_id=HOST, product="CIC 2019 R2", now=NOW)
    check_validity(dev("large", 30), host_id=HOST, product="CIC 2019 R2", now=NOW)
    ordered = dev("large", 30, LicenseType.ORDERED_DEVELOPMENT)
    check_validity(ordered, host_id=HOST, product="CIC 2019 R2", now=NOW)
    over = reason(dev("small", 9))
    assert over.startswith("type-rule: a small development license has at most 8 of each")
    assert "Basic Station has 9" in over
    assert "Media Session has 31" in reason(dev("large", 31, LicenseType.ORDERED_DEVELOPMENT))
    assert "must say its size" in reason(dev(None, 1))
    assert "only development licenses have a size" in reason(
        replace(make(generated=GEN), size="small")
    )


def test_the_size_is_signed_in_the_file() -> None:
    from ia_licensing.license_xml import license_to_xml
    from ia_licensing.licensefile import issue_license

    assert b"\n  <Size>large</Size>\n" in license_to_xml(dev("large", 30))
    assert b"<Size>" not in license_to_xml(make())
    data = issue_license(dev("large", 30), PRIVATE, KEY_ID)
    assert read_license(data, TRUST).license.size == "large"
    assert read_license(issue_license(make(), PRIVATE, KEY_ID), TRUST).license.size is None


def test_a_development_file_over_its_size_is_refused_at_load(db: Database) -> None:
    before = snapshot(db)
    data = signed(**vars_of(dev("small", 9, serial=20)))
    with pytest.raises(LicenseFileError, match="at most 8 of each"):
        licensing.load_license(db, data, TRUST)
    assert snapshot(db) == before
    report = licensing.load_license(db, signed(**vars_of(dev("small", 8, serial=20))), TRUST)
    assert report.applied and report.license.size == "small"


def vars_of(lic: object) -> dict[str, object]:
    return {f: getattr(lic, f) for f in lic.__dataclass_fields__}  # type: ignore[attr-defined]


def test_cli_issue_size_and_load(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "vendor.pem"
    key.write_bytes(PRIVATE)
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "acme.pub").write_bytes(PUBLIC)
    base = [
        "license", "issue", "--signing-key", str(key), "--key-id", KEY_ID, "--host-id", HOST,
        "--machine-name", "ic-test", "--product", "CIC 2019 R2", "--serial", "30",
        "--generated", (TODAY - dt.timedelta(days=1)).isoformat(),
    ]  # fmt: skip
    big = tmp_path / "big.I3Lic"
    small_over = [*base, "--type", "development", "--license", "I3_ACCESS_CLIENT=9:0"]
    assert cli.main([*small_over, "--out", str(big)]) == 0  # the vendor signs; the server judges
    assert cli.main([*small_over, "--size", "large", "--out", str(tmp_path / "l.I3Lic")]) == 0
    assert cli.main([*base, "--type", "production", "--size", "small", "--out", "x"]) == 1
    assert "--size is for development licenses" in capsys.readouterr().err
    load = ["--db", str(db_path), "--trust-store", str(trust), "license", "load"]
    assert cli.main([*load, str(big)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("refused (R26): a small development license has at most 8 of each")
    assert cli.main([*load, str(tmp_path / "l.I3Lic")]) == 0
    assert "development, serial 30" in capsys.readouterr().out
    efaq = tmp_path / "efaq.I3Lic"
    assert (
        cli.main([*base, "--serial", "31", "--type", "e-faq-production", "--out", str(efaq)]) == 0
    )
    assert cli.main([*load, str(efaq)]) == 0
    assert "License loaded: e-faq-production, serial 31, expires 2100-01-01" in (
        capsys.readouterr().out
    )
