"""Loading license files into a running database (R26–R28), through the command line.

Every bad input is refused with its own message naming R26 or R27, no traceback, and the
database file byte-for-byte unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete

from ia_licensing import catalog, cli
from ia_licensing.licensefile import (
    LicenseCount,
    LicenseFileError,
    LicenseType,
    ServerInfo,
    TrustStore,
    generate_key_pair,
    issue_license,
    read_license,
    sign_envelope,
)
from ia_licensing.models import Database, TrustedKey
from ia_licensing.services import allocation, compliance, licensing, users
from tests.helpers.license_files import (
    CORPUS,
    HOST,
    KEY_ID,
    PRIVATE,
    PUBLIC,
    STRANGER_PRIVATE,
    TODAY,
    make,
    signed,
    tampered,
)


@pytest.fixture
def trust_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "trust"
    folder.mkdir()
    (folder / "acme.pub").write_bytes(PUBLIC)
    return folder


@pytest.fixture
def loaded(db_path: Path, trust_dir: Path, tmp_path: Path) -> Path:
    """The template database with serial 10 loaded and two users holding Client Access."""
    good = tmp_path / "good.I3Lic"
    good.write_bytes(signed())
    assert (
        cli.main(
            ["--db", str(db_path), "--trust-store", str(trust_dir), "license", "load", str(good)]
        )
        == 0
    )
    db = Database(str(db_path))
    users.add_user(db, "u1")
    users.add_user(db, "u2")
    allocation.allocate(db, catalog.CLIENT_ACCESS, users=["u1", "u2"])
    db.close()
    return db_path


def file_state(path: Path) -> str:
    """The database's bytes, after folding the write-ahead log into the main file."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(capsys, db: Path, trust: Path, file: Path, *extra: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = cli.main(
        ["--db", str(db), "--trust-store", str(trust), "license", "load", str(file), *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err


def billion_laughs() -> bytes:
    return sign_envelope((CORPUS / "dtd--billion-laughs.xml").read_bytes(), PRIVATE, KEY_ID)


def corpus(name: str) -> bytes:
    return sign_envelope((CORPUS / name).read_bytes(), PRIVATE, KEY_ID)


BAD_INPUTS = {
    "empty": lambda: b"",
    "binary garbage": lambda: bytes(range(256)) * 40,
    "truncated": lambda: signed()[:300],
    "billion laughs": billion_laughs,
    "external entity": lambda: corpus("dtd--external-entity.xml"),
    "duplicate key": lambda: corpus("duplicate-key--client-access-twice.xml"),
    "negative count": lambda: corpus("bad-count--negative.xml"),
    "unknown element": lambda: corpus("unknown-element--extra-root-child.xml"),
    "tampered product": lambda: tampered("product"),
    "tampered serial": lambda: tampered("serial"),
    "tampered host id": lambda: tampered("host-id"),
    "tampered count": lambda: tampered("assigned-count"),
    "tampered type": lambda: tampered("type"),
    "tampered expiry": lambda: tampered("expires"),
    "untrusted key": lambda: issue_license(make(serial=11), STRANGER_PRIVATE, "stranger-1"),
    "wrong product": lambda: signed(product="CIC 2018 R1", serial=11),
    "wrong host": lambda: signed(
        server=ServerInfo("HOST-9", "elsewhere"), switchover=None, serial=11
    ),
    "expired trial": lambda: signed(
        license_type=LicenseType.TRIAL,
        serial=11,
        generated=TODAY - dt.timedelta(days=70),
        expires=TODAY - dt.timedelta(days=10),
    ),
    "not yet valid": lambda: signed(serial=11, generated=TODAY + dt.timedelta(days=3)),
    "trial longer than 60 days": lambda: signed(
        license_type=LicenseType.TRIAL, serial=11, expires=TODAY + dt.timedelta(days=80)
    ),
    "rollback": lambda: signed(serial=9),
}


def test_every_bad_input_is_refused_with_its_own_message_and_changes_nothing(
    loaded: Path, trust_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = file_state(loaded)
    messages = {}
    for name, make_bytes in BAD_INPUTS.items():
        path = tmp_path / f"{name}.I3Lic"
        path.write_bytes(make_bytes())
        code, out, err = load(capsys, loaded, trust_dir, path)
        assert code == 1, (name, out, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert err.startswith(("refused (R26): ", "refused (R27): ")), (name, err)
        messages[name] = err.split(": ", 1)[1].replace(str(path), "FILE")
        assert file_state(loaded) == before, name
    tampers = [m for n, m in messages.items() if n.startswith("tampered")]
    assert len(set(tampers)) == 1 and "altered after signing" in tampers[0]
    others = [m for n, m in messages.items() if not n.startswith("tampered")]
    assert len(set(others)) == len(others), messages
    assert messages["rollback"].startswith("license serial 9")
    assert "HOST-9" in messages["wrong host"]


def test_a_thirty_megabyte_file_is_refused_before_reading_it_all(
    loaded: Path, trust_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.I3Lic"
    with big.open("wb") as handle:
        handle.truncate(30 * 1024 * 1024)
    before = file_state(loaded)
    code, _, err = load(capsys, loaded, trust_dir, big)
    assert code == 1 and "1 MiB" in err
    assert file_state(loaded) == before
    code, _, err = load(capsys, loaded, trust_dir, tmp_path / "missing.I3Lic")
    assert code == 1 and err.startswith("refused (R26): cannot read license file")


def test_dry_run_shows_before_and_after_and_changes_nothing(
    loaded: Path, trust_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    smaller = tmp_path / "smaller.I3Lic"
    smaller.write_bytes(signed(serial=11, licenses=(LicenseCount(catalog.CLIENT_ACCESS, 1, 0),)))
    before = file_state(loaded)
    code, out, _ = load(capsys, loaded, trust_dir, smaller, "--dry-run")
    assert code == 0 and file_state(loaded) == before
    client = next(line for line in out.splitlines() if line.startswith("Client Access"))
    assert "3 → 1" in client and "2 → 0" in client
    assert "note (R6): Client Access: Assignable over-allocated by 1 — remove 1" in out
    assert "nothing changed" in out


def test_smaller_then_larger_license_notes_follow_and_nothing_is_deleted(
    loaded: Path, trust_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    smaller = tmp_path / "smaller.I3Lic"
    smaller.write_bytes(signed(serial=11, licenses=(LicenseCount(catalog.CLIENT_ACCESS, 1, 0),)))
    assert load(capsys, loaded, trust_dir, smaller)[0] == 0
    db = Database(str(loaded))
    client = next(r for r in allocation.allocations(db) if r.key == catalog.CLIENT_ACCESS)
    assert (client.assignable_allowed, client.assignable_configured) == (1, 2)
    assert client.notes == "Assignable over-allocated by 1 — remove 1"
    # no longer purchased and held by nobody: no longer listed (R1)
    assert catalog.BASIC_STATION not in {r.key for r in allocation.allocations(db)}
    larger = tmp_path / "larger.I3Lic"
    larger.write_bytes(signed(serial=12, licenses=(LicenseCount(catalog.CLIENT_ACCESS, 50, 0),)))
    assert load(capsys, loaded, trust_dir, larger)[0] == 0
    client = next(r for r in allocation.allocations(db) if r.key == catalog.CLIENT_ACCESS)
    assert (client.assignable_allowed, client.notes) == (50, "")
    history = licensing.history(db)
    assert [h.serial for h in history] == [12, 11, 10] and [h.in_force for h in history] == [
        True,
        False,
        False,
    ]
    with db.read() as session:
        from ia_licensing.models import LicenseFile

        stored = [f.content for f in session.query(LicenseFile).order_by(LicenseFile.serial)]
    assert stored[-1] == larger.read_bytes()
    db.close()


def test_the_switchover_partner_may_load_the_same_file(
    db_path: Path, trust_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = tmp_path / "pair.I3Lic"
    pair.write_bytes(
        signed(server=ServerInfo("HOST-0", "ic-a"), switchover=ServerInfo(HOST, "ic-b"))
    )
    assert load(capsys, db_path, trust_dir, pair)[0] == 0


def test_raising_an_allowed_count_in_the_database_does_not_raise_it(
    loaded: Path, trust_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(loaded)
    conn.execute("UPDATE entitlement SET assigned = 99999 WHERE key = ?", (catalog.CLIENT_ACCESS,))
    conn.execute(
        "INSERT INTO entitlement (key, assigned, pooled) VALUES ('I3_ACCESS_TRACKER', 500, 0)"
    )
    conn.commit()
    conn.close()
    code = cli.main(["--db", str(loaded), "--trust-store", str(trust_dir), "allocations", "--json"])
    out, err = capsys.readouterr()
    rows = {r["key"]: r for r in json.loads(out)}
    assert code == 0 and "rewritten" in err
    assert rows[catalog.CLIENT_ACCESS]["assignable_allowed"] == 3
    assert "I3_ACCESS_TRACKER" not in rows


def test_a_license_that_no_longer_verifies_leaves_the_entitlements_and_says_so(
    loaded: Path, tmp_path: Path
) -> None:
    """R36: a read never rewrites the entitlements to nothing. When no history entry
    verifies any more (the recorded key was removed by hand), start-up warns instead."""
    db = Database(str(loaded))
    with db.write() as session:
        session.execute(delete(TrustedKey))
    folder = tmp_path / "trust-without-acme"
    folder.mkdir()
    warnings = licensing.reverify(db, TrustStore.from_directory(folder))
    assert len(warnings) == 1 and "left as they are" in warnings[0]
    rows = {r.key: r for r in allocation.allocations(db)}
    assert rows[catalog.CLIENT_ACCESS].assignable_allowed == 3
    assert licensing.in_force(db, TrustStore()) is None
    db.close()


def test_a_clock_set_back_cannot_revive_an_expired_license(loaded: Path, trust_dir: Path) -> None:
    db = Database(str(loaded))
    lapsed = signed(
        serial=20, generated=TODAY - dt.timedelta(days=500), expires=TODAY - dt.timedelta(days=10)
    )
    clock_set_back = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    with pytest.raises(Exception, match="expired"):
        licensing.load_license(db, lapsed, TrustStore.from_directory(trust_dir), now=clock_set_back)
    db.close()


def test_r28_development_and_nearly_expired_licenses_carry_notes(
    loaded: Path, trust_dir: Path
) -> None:
    db = Database(str(loaded))
    trust = TrustStore.from_directory(trust_dir)
    development = signed(
        serial=11,
        license_type=LicenseType.DEVELOPMENT,
        size="large",  # Easyscripter's 20 fit a large development license (30 of each)
        expires=TODAY + dt.timedelta(days=9),
    )
    report = licensing.load_license(db, development, trust)
    messages = [n.message for n in report.notes if n.rule == "R28"]
    assert "not for production — interactions disconnect hourly" in messages
    assert any("expires in 9 days" in m for m in messages)
    notes = [n.message for n in compliance.notes(db) if n.rule == "R28"]
    assert notes == messages
    db.close()


def test_init_with_a_license_file(
    tmp_path: Path, trust_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.I3Lic"
    good.write_bytes(signed())
    database = tmp_path / "new.sqlite"
    base = ["--db", str(database), "--trust-store", str(trust_dir)]
    code = cli.main(
        [*base, "init", "--host-id", "HOST-9", "--machine-name", "x", "--license", str(good)]
    )
    assert code == 1 and "HOST-9" in capsys.readouterr().err
    code = cli.main([*base, "allocations"])
    assert code == 1 and "init" in capsys.readouterr().err  # nothing was initialised
    assert (
        cli.main([*base, "init", "--host-id", HOST, "--machine-name", "ic", "--license", str(good)])
        == 0
    )
    capsys.readouterr()
    assert cli.main([*base, "license", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["serial"] == 10 and shown["licenses"][catalog.CLIENT_ACCESS] == {
        "assigned": 3,
        "pooled": 2,
    }


def test_vendor_keygen_and_issue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "trust"
    trust.mkdir()
    private, public = tmp_path / "v.pem", trust / "v.pub"
    assert (
        cli.main(
            [
                "license",
                "keygen",
                "--key-id",
                "v-1",
                "--private",
                str(private),
                "--public",
                str(public),
            ]
        )
        == 0
    )
    out_file = tmp_path / "t.I3Lic"
    code = cli.main(
        [
            "license",
            "issue",
            "--signing-key",
            str(private),
            "--key-id",
            "v-1",
            "--host-id",
            "H9",
            "--machine-name",
            "ic9",
            "--switchover-host-id",
            "H10",
            "--type",
            "trial",
            "--product",
            "CIC 2019 R2",
            "--serial",
            "3",
            "--feature",
            "I3_FEATURE_SIP",
            "--license",
            "client access=5:1",  # a display name, any case, as everywhere on the CLI
            "--license",
            "MY_ADDON=0:4",
            "--out",
            str(out_file),
        ]
    )
    assert code == 0
    lic = read_license(out_file.read_bytes(), TrustStore.from_directory(trust)).license
    assert lic.license_type is LicenseType.TRIAL and lic.expires == TODAY + dt.timedelta(days=60)
    assert lic.switchover is not None and lic.switchover.host_id == "H10"
    assert lic.count("MY_ADDON") == LicenseCount("MY_ADDON", 0, 4)
    assert lic.count("I3_ACCESS_CLIENT") == LicenseCount("I3_ACCESS_CLIENT", 5, 1)
    code = cli.main(
        [
            "license",
            "issue",
            "--signing-key",
            str(private),
            "--key-id",
            "v-1",
            "--host-id",
            "H9",
            "--machine-name",
            "m",
            "--type",
            "production",
            "--product",
            "CIC 2019 R2",
            "--license",
            "BROKEN",
            "--out",
            str(out_file),
        ]
    )
    assert code == 1 and "KEY=ASSIGNED:POOLED" in capsys.readouterr().err


def test_an_older_serial_is_refused_even_when_the_license_in_force_does_not_verify(
    loaded: Path, trust_dir: Path, tmp_path: Path
) -> None:
    """Serial 10 is in force; with a trust store that cannot verify it, serial 5 from the
    same vendor must still be refused: the history remembers serial 10 (R27)."""
    other_private, other_public = generate_key_pair("rotated-2028")
    rotated = tmp_path / "rotated"
    rotated.mkdir()
    (rotated / "rotated.pub").write_bytes(other_public)
    older = issue_license(make(serial=5), other_private, "rotated-2028")
    db = Database(str(loaded))
    with pytest.raises(LicenseFileError) as refused:
        licensing.load_license(db, older, TrustStore.from_directory(rotated))
    assert (refused.value.rule, refused.value.reason) == ("R27", "rollback")
    assert str(refused.value).startswith("license serial 5 is older than serial 10")
    db.close()
