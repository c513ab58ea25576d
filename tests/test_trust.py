"""Issue 16, defects 1–3, 8 and 9: trust recorded per database (R36), no key in the package,
the vendor's keygen, an atomic init."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from ia_licensing import __main__ as start
from ia_licensing import catalog, cli
from ia_licensing.licensefile import LicenseCount, generate_key_pair, issue_license
from ia_licensing.models import Database, LicenseFile
from ia_licensing.services import demo, licensing, setup, stations, trust
from tests.helpers.license_files import HOST, KEY_ID, PUBLIC, make, signed

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vendor(tmp_path: Path) -> Path:
    folder = tmp_path / "vendor-trust"
    folder.mkdir()
    (folder / "acme.pub").write_bytes(PUBLIC)
    return folder


@pytest.fixture
def site(tmp_path: Path, vendor: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A production database initialised with the vendor's trust store and serial 10."""
    good = tmp_path / "good.I3Lic"
    good.write_bytes(signed())
    path = tmp_path / "site.sqlite"
    code, _, err = run(
        capsys,
        *("--db", str(path), "--trust-store", str(vendor), "init"),
        *("--host-id", HOST, "--machine-name", "ic", "--license", str(good)),
    )
    assert code == 0, err
    return path


# --- defect 1: a default install accepts forged licenses ---------------------------------


def test_a_license_signed_by_anyone_is_refused_without_a_trust_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forger_private, _ = generate_key_pair("demo-vendor-2026")  # the old demo key id
    forged = tmp_path / "forged.I3Lic"
    counts = (LicenseCount(catalog.CLIENT_ACCESS, 10_000_000, 0),)
    forged.write_bytes(issue_license(make(licenses=counts), forger_private, "demo-vendor-2026"))
    path = tmp_path / "new.sqlite"
    code, _, err = run(
        capsys,
        *("--db", str(path), "init", "--host-id", HOST, "--machine-name", "ic"),
        *("--license", str(forged)),
    )
    assert code == 1 and err.startswith("refused (R26)") and "trusted: none" in err
    assert run(capsys, "--db", str(path), "init", "--host-id", HOST, "--machine-name", "ic")[0] == 0
    code, _, err = run(capsys, "--db", str(path), "license", "load", str(forged))
    assert code == 1 and "unknown-key" not in err and "not signed by a trusted key" in err


def test_each_demo_database_trusts_only_its_own_throw_away_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for path in (a, b):
        assert run(capsys, "--db", str(path), "init", "--demo")[0] == 0
    key_a, key_b = (trust.key_ids(Database(str(p))) for p in (a, b))
    assert len(key_a) == len(key_b) == 1 and key_a != key_b
    assert key_a[0].startswith("demo-")
    # A license for demo database A's server, signed with B's key (which nobody has), or
    # with any other key, is refused by A.
    other_private, _ = generate_key_pair(key_b[0])
    data = demo.demo_license(
        demo.DEMO_HOST_ID,
        demo.DEMO_MACHINE_NAME,
        99,
        {catalog.CLIENT_ACCESS: (9_999_999, 0)},
        demo.DemoKey(key_b[0], other_private, b""),
    )
    forged = tmp_path / "forged.I3Lic"
    forged.write_bytes(data)
    code, _, err = run(capsys, "--db", str(a), "license", "load", str(forged))
    assert code == 1 and "not signed by a trusted key" in err


def test_the_demo_key_is_forgotten_and_no_private_key_is_in_the_package() -> None:
    package = ROOT / "ia_licensing"
    found = [
        p
        for p in package.rglob("*")
        if p.is_file() and b"PRIVATE KEY" in p.read_bytes() and p.suffix != ".py"
    ]
    assert found == []
    assert not (package / "resources" / "trust").exists() or not any(
        (package / "resources" / "trust").glob("*.pub")
    )


# --- defect 2: a command without --trust-store -------------------------------------------


def test_a_command_without_the_flag_keeps_the_entitlements(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(site), "allocations", "--json")
    assert code == 0 and err == ""
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows[catalog.CLIENT_ACCESS]["assignable_allowed"] == 3
    assert trust.key_ids(Database(str(site))) == [KEY_ID]


def test_the_environment_variable_names_the_trust_store(
    tmp_path: Path,
    vendor: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(trust.ENVIRONMENT, str(vendor))
    path = tmp_path / "env.sqlite"
    assert run(capsys, "--db", str(path), "init", "--host-id", HOST, "--machine-name", "ic")[0] == 0
    monkeypatch.delenv(trust.ENVIRONMENT)
    good = tmp_path / "good.I3Lic"
    good.write_bytes(signed())
    code, _, err = run(capsys, "--db", str(path), "license", "load", str(good))
    assert code == 0, err


def test_rollback_counts_only_history_entries_that_verify(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row with serial 2^63−1 that does not verify (written by hand, or signed by a key
    that is no longer trusted) cannot lock genuine files out (R36)."""
    db = Database(str(site))
    with db.write() as session:
        forged = {
            "loaded_by": "mallory",
            "serial": 2**63 - 1,
            "license_type": "production",
            "generated": make().generated,
            "expires": make().expires,
            "content": b"-----BEGIN I3LIC LICENSE-----\nnot signed\n",
            "in_force": False,
        }
        session.execute(insert(LicenseFile), [forged])
    db.close()
    newer = tmp_path / "newer.I3Lic"
    newer.write_bytes(signed(serial=11))
    code, _, err = run(capsys, "--db", str(site), "license", "load", str(newer))
    assert code == 0, err
    older = tmp_path / "older.I3Lic"
    older.write_bytes(signed(serial=9))
    code, _, err = run(capsys, "--db", str(site), "license", "load", str(older))
    assert code == 1 and err.startswith("refused (R27)")


# --- defect 3: no command opens the console with the trust store -------------------------


def test_the_console_opened_from_the_cli_keeps_the_trust_store(
    site: Path, vendor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ia_licensing import app

    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(start, "has_display", lambda: True)
    monkeypatch.setattr(start, "missing_system_libraries", lambda: [])
    monkeypatch.setattr(app, "run", lambda path, store: opened.append((path, store)) or 0)
    assert cli.main(["--trust-store", str(vendor), "--db", str(site)]) == 0
    assert opened == [(str(site), str(vendor))]


# --- defect 8: keygen --------------------------------------------------------------------


def test_keygen_never_overwrites_and_writes_the_private_key_0600(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = tmp_path / "v.pem", tmp_path / "v.pub"
    args = ("license", "keygen", "--key-id", "v-1", "--private", str(private))
    assert run(capsys, *args, "--public", str(public))[0] == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    first = private.read_bytes()
    code, _, err = run(capsys, *args, "--public", str(tmp_path / "other.pub"))
    assert code == 1 and "already exists" in err and str(private) in err
    assert private.read_bytes() == first and not (tmp_path / "other.pub").exists()


# --- defect 9: init is all or nothing ----------------------------------------------------


def test_init_demo_failing_part_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "half.sqlite"
    real = stations.add_station
    added: list[str] = []

    def crash_after_six(db: Database, name: str, *args: object, **kwargs: object) -> object:
        if len(added) == 6:
            raise KeyboardInterrupt  # as a kill would, part-way through
        added.append(name)
        return real(db, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stations, "add_station", crash_after_six)
    assert cli.main(["--db", str(path), "init", "--demo"]) == 130
    db = Database(str(path))
    assert not setup.is_initialised(db) and stations.station_count(db) == 0
    assert licensing.history(db) == [] and trust.key_ids(db) == []
    db.close()
    monkeypatch.setattr(stations, "add_station", real)
    assert cli.main(["--db", str(path), "init", "--demo"]) == 0  # and it can start again


@pytest.mark.slow
def test_init_demo_killed_at_any_moment_is_whole_or_absent(tmp_path: Path) -> None:
    """kill -9 at several moments of `init --demo`: the database is never half built."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt, delay in enumerate((0.6, 0.9, 1.2, 1.5, 1.8)):
        path = tmp_path / f"k{attempt}.sqlite"
        process = subprocess.Popen(
            [sys.executable, "-m", "ia_licensing.cli", "--db", str(path), "init", "--demo"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        if not path.exists():
            continue
        db = Database(str(path))
        if setup.is_initialised(db):
            assert stations.station_count(db) == len(demo.STATION_NAMES)
            assert len(licensing.history(db)) == 2
        else:
            assert stations.station_count(db) == 0 and licensing.history(db) == []
        db.close()


def test_a_trust_store_naming_a_recorded_key_id_with_another_key_is_refused(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    impostor = tmp_path / "impostor"
    impostor.mkdir()
    (impostor / "acme.pub").write_bytes(generate_key_pair(KEY_ID)[1])
    code, _, err = run(capsys, "--db", str(site), "--trust-store", str(impostor), "allocations")
    assert code == 1 and "names two different public keys" in err
