"""The command-line contract (DESIGN.md): output, --json, exit codes 0/1/2, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ia_licensing.services.report import ALLOCATION_COLUMNS
from tests.helpers.cli import run

JSON_KEYS = {
    "key",
    "name",
    "assignable_allowed",
    "assignable_configured",
    "concurrent_allowed",
    "concurrent_configured",
    "concurrent_in_use",
    "notes",
}


def test_allocations_prints_the_seven_columns(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", demo, "allocations")
    assert code == 0
    header = out.splitlines()[0]
    positions = [header.index(title) for title, _ in ALLOCATION_COLUMNS]
    assert positions == sorted(positions)
    basic = next(line for line in out.splitlines() if line.startswith("Basic Station"))
    assert basic.split()[2:5] == ["170", "52", "0"]


def test_allocations_json_has_the_contract_keys(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", demo, "allocations", "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert all(set(r) == JSON_KEYS for r in rows)
    basic = next(r for r in rows if r["key"] == "I3_LICENSE_BASIC_STATION")
    assert (basic["name"], basic["assignable_configured"]) == ("Basic Station", 52)
    status = next(r for r in rows if r["name"].endswith("System Status"))
    [note] = status["notes"]  # shaped as `notes --json` shows a note (docs/decisions.md)
    assert (note["rule"], note["message"]) == ("R6", "Assignable over-allocated by 2 — remove 2")


def test_refusal_exits_1_with_one_line_naming_the_rule(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", demo, "allocate", "basic station", "--user", "operator")
    assert code == 1 and out == ""
    assert err == "refused (R7): Basic Station can only be allocated to stations\n"


def test_invalid_input_exits_1_without_traceback(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (
        ["station", "add", "STATION1"],
        ["allocate", "no such license!", "--user", "user1"],
        ["user", "set", "ghost", "--client-access"],
        ["workgroup", "add", "W", "--types", "fax"],
        ["station", "set", "station2", "--machine-name", "STATION1"],
    ):
        code, _, err = run(capsys, "--db", demo, *args)
        assert code == 1, args
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_an_uninitialised_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite"
    code, _, err = run(capsys, "--db", str(path), "allocations")
    assert code == 1 and "no database at" in err and "init" in err
    assert not path.exists()  # a read never creates a file (issue 16, defect 10)
    path.touch()  # an empty file is a new database: migrated, not initialised
    code, _, err = run(capsys, "--db", str(path), "allocations")
    assert code == 1 and "ia-licensing init" in err


def test_init_twice_needs_force(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", demo, "init", "--host-id", "H", "--machine-name", "M")
    assert code == 1 and "--force" in err
    code, _, _ = run(
        capsys, "--db", demo, "init", "--host-id", "H", "--machine-name", "M", "--force"
    )
    assert code == 0
    _, out, _ = run(capsys, "--db", demo, "station", "list", "--json")
    assert json.loads(out) == []


def test_station_and_user_flags(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            capsys,
            "--db",
            demo,
            "station",
            "add",
            "lab1",
            "--type",
            "remote",
            "--machine-name",
            "LAB-PC",
        )[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "--db",
        demo,
        "station",
        "set",
        "lab1",
        "--basic-station",
        "--client-access",
        "--acd",
        "media2",
        "--ipa",
        "group",
        "--add-license",
        "Interaction Recorder Access",
    )
    assert code == 0 and "lab1: Basic Station: not allocated → allocated" in out.splitlines()
    code, out, _ = run(capsys, "--db", demo, "station", "list", "--json")
    lab = next(s for s in json.loads(out) if s["name"] == "lab1")
    assert lab["type"] == "remote" and lab["licensed_machine_name"] == "LAB-PC"
    assert set(lab["licenses"]) == {
        "I3_LICENSE_BASIC_STATION",
        "I3_ACCESS_CLIENT",
        "I3_ACCESS_ACD_MEDIA_2",
        "I3_ACCESS_IPA_USER_ACD",
        "I3_ACCESS_RECORDER",
    }
    code, out, _ = run(capsys, "--db", demo, "station", "set", "lab1", "--no-basic-station")
    assert "note (R9): lab1: the station cannot activate" in out
    code, _, err = run(capsys, "--db", demo, "station", "set", "lab1", "--ipa", "monitor")
    assert code == 1 and err.startswith("refused (R12)")
    code, _, err = run(capsys, "--db", demo, "station", "set", "lab1", "--analytics", "core")
    assert code == 1 and err.startswith("refused (R13)")

    assert run(capsys, "--db", demo, "user", "add", "zed", "--method", "concurrent")[0] == 0
    code, _, _ = run(
        capsys,
        "--db",
        demo,
        "user",
        "set",
        "zed",
        "--client-access",
        "--ipa",
        "monitor",
        "--acd",
        "media1",
    )
    assert code == 0
    code, _, err = run(capsys, "--db", demo, "user", "set", "zed", "--analytics", "enterprise")
    assert code == 1 and err.startswith("refused (R2)")  # Enterprise has no Concurrent licenses
    code, _, err = run(
        capsys, "--db", demo, "user", "set", "zed", "--method", "assignable", "--analytics", "core"
    )
    assert code == 0, err
    _, out, _ = run(capsys, "--db", demo, "user", "list", "--json")
    zed = next(u for u in json.loads(out) if u["name"] == "zed")
    assert zed["method"] == "assignable"
    assert set(zed["licenses"]) == {
        "I3_ACCESS_CLIENT",
        "I3_ACCESS_IPA_MONITOR",
        "I3_ACCESS_ACD_MEDIA_1",
        "I3_ACCESS_ANALYTICS_CORE",
    }
    assert run(capsys, "--db", demo, "user", "delete", "zed")[0] == 0
    assert run(capsys, "--db", demo, "station", "delete", "lab1")[0] == 0


def test_allocate_deallocate_and_notes(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "--db",
        demo,
        "allocate",
        "i3_access_feedback",
        "--user",
        "user1",
        "--station",
        "station1",
        "--user",
        "user1",
    )
    assert code == 0 and out.strip() == "Interaction Feedback Access: allocated to 2, unchanged 0"
    code, out, _ = run(
        capsys,
        "--db",
        demo,
        "deallocate",
        "Interaction Feedback Access",
        "--user",
        "user1",
        "--user",
        "user2",
    )
    assert out.strip() == "Interaction Feedback Access: removed from 1, unchanged 1"
    code, out, _ = run(capsys, "--db", demo, "notes", "--json")
    notes = json.loads(out)
    assert {"rule", "subject", "message", "since"} == set(notes[0])
    assert {(n["rule"], n["subject"]) for n in notes} >= {("R18", "user44")}


def test_workgroups(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(capsys, "--db", demo, "workgroup", "add", "Email Desk", "--types", "email,generic")[0]
        == 0
    )
    code, out, _ = run(capsys, "--db", demo, "workgroup", "member", "add", "Email Desk", "user41")
    assert code == 0
    assert "note (R18): user41: ACD Media 1 allows 1 interaction type" in out
    _, out, _ = run(capsys, "--db", demo, "workgroup", "list", "--json")
    desk = next(w for w in json.loads(out) if w["name"] == "Email Desk")
    assert desk == {
        "name": "Email Desk",
        "types": ["email", "generic"],
        "members": ["user41"],
        "licenses": [],
    }


def test_audit_lists_changes(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", demo, "user", "add", "auditor")
    code, out, _ = run(capsys, "--db", demo, "audit", "--limit", "1", "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert (entry["action"], entry["subject"]) == ("user add", "auditor")
    assert set(entry) == {"at", "os_user", "action", "subject", "before", "after"}


def test_environment_variable_chooses_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("IA_LICENSING_DB", str(path))
    assert run(capsys, "init", "--host-id", "H1", "--machine-name", "ic1")[0] == 0
    assert path.exists()


def test_usage_errors_exit_2_and_no_traceback(tmp_path: Path) -> None:
    for args in (["bogus"], ["station", "set"], ["station", "add", "x", "--type", "toaster"]):
        done = subprocess.run(
            [sys.executable, "-m", "ia_licensing.cli", "--db", str(tmp_path / "x.sqlite"), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_an_unopenable_database_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "--db", str(blocker / "db.sqlite"), "allocations")
    assert code == 1 and err.startswith("error:") and "Traceback" not in err
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    code, _, err = run(capsys, "--db", str(garbage), "allocations")
    assert code == 1 and err.startswith("error:")
