"""Issue 17, the command line: a well-behaved Unix tool (version, help, pipes, JSON times,
tables that fit, edits that say what changed, key names that suggest instead of guessing)."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from ia_licensing import cli
from ia_licensing.cli import table
from tests.helpers.cli import run


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"ia-licensing {version('ia-licensing')}\n"


@pytest.mark.parametrize(
    ("group", "actions"),
    [
        ("station", ("add", "set", "delete", "list")),
        ("user", ("add", "set", "delete", "list")),
        ("workgroup", ("add", "set", "delete", "member", "list")),
        ("license", ("load", "show", "history", "keygen", "issue")),
    ],
)
def test_group_help_lists_every_action(
    group: str, actions: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([group, "--help"])
    listed = {
        line.split()[0]
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("    ") and line.split()
    }
    assert listed >= set(actions)


def test_a_closed_pipe_ends_quietly(demo: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "ia_licensing.cli", "--db", demo, "audit", "--limit", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.close()  # `| head` gone before the first line is written
        err = reader.stderr.read().decode()
        assert reader.wait(timeout=60) == 0, err
    assert err == ""


def _has_offset(text: str) -> bool:
    return dt.datetime.fromisoformat(text).utcoffset() is not None


def test_every_json_timestamp_is_iso_8601_with_its_offset(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", demo, "logon", "user41", "--station", "station41")[0] == 0
    _, out, _ = run(capsys, "--db", demo, "sessions", "--json")
    [session] = json.loads(out)
    _, out, _ = run(capsys, "--db", demo, "audit", "--limit", "1", "--json")
    [entry] = json.loads(out)
    _, out, _ = run(capsys, "--db", demo, "license", "history", "--json")
    loaded = json.loads(out)[0]["loaded_at"]
    _, out, _ = run(capsys, "--db", demo, "notes", "--json")
    since = json.loads(out)[0]["since"]
    stamps = [session["since"], entry["at"], loaded, since]
    assert all("T" in s and _has_offset(s) for s in stamps), stamps
    assert len({len(s) for s in stamps}) == 1  # one format, to the second


def test_notes_and_allocation_notes_have_one_shape(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "--db", demo, "notes", "--json")
    notes = json.loads(out)
    assert all(set(n) == {"rule", "subject", "message", "since"} for n in notes)
    _, out, _ = run(capsys, "--db", demo, "allocations", "--json")
    rows = json.loads(out)
    status = next(r for r in rows if r["name"].endswith("System Status"))
    [note] = status["notes"]
    assert note in notes
    assert note["message"] == "Assignable over-allocated by 2 — remove 2"
    assert all(r["notes"] == [] for r in rows if r is not status)


def test_notes_table_says_since_when(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--db", demo, "notes")
    assert out.splitlines()[0].split() == ["Rule", "Subject", "Message", "Since"]


def test_table_numbers_are_right_aligned() -> None:
    lines = table.render(("Name", "Allowed", "Change"), [("a", 5, "12 → 10"), ("bb", 170, "3")])
    assert lines == [
        "Name  Allowed   Change",
        "a           5  12 → 10",
        "bb        170        3",
    ]


def test_a_table_fits_the_width_given_by_truncating_the_widest_text_column() -> None:
    rows = [("station1", "x" * 80, 170, "short")]
    lines = table.render(("Name", "Licenses", "Allowed", "Notes"), rows, width=60)
    assert max(len(line) for line in lines) <= 60
    assert lines[1].split()[1].endswith("…") and lines[1].split()[2:] == ["170", "short"]
    assert table.render(("Name", "Licenses"), rows[:1][:2] and [rows[0][:2]], width=None)[1] == (
        "station1  " + "x" * 80
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_only_a_terminal_truncates(
    demo: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    _, piped, _ = run(capsys, "--db", demo, "user", "list")
    assert max(len(line) for line in piped.splitlines()) > 60 and "…" not in piped
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert cli.main(["--db", demo, "user", "list"]) == 0
    lines = terminal.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60 and "…" in terminal.getvalue()
    assert lines[1].startswith("operator ")


def test_a_table_that_cannot_fit_is_left_whole() -> None:
    headers = ("Name", "Assignable Configured", "Concurrent Configured", "Concurrent In Use")
    lines = table.render(headers, [("Client Access", 170, 50, 0)], width=40)
    assert lines == table.render(headers, [("Client Access", 170, 50, 0)])


def test_station_set_says_what_changed(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", demo, "station", "set", "station1", "--acd", "media3", "--ipa", "group"
    )
    assert code == 0
    assert out.splitlines() == [
        "station1: ACD Media 3: not allocated → allocated",
        "station1: IPA Group Routed Work Items: not allocated → allocated",
    ]
    _, out, _ = run(
        capsys, "--db", demo, "station", "set", "station1", "--disabled", "--machine-name", "PC-1"
    )
    assert out.splitlines() == [
        "station1: Enabled: Yes → No",
        "station1: Licensed Machine Name: station1 → PC-1",
    ]
    _, out, _ = run(capsys, "--db", demo, "station", "set", "station1", "--disabled")
    assert out == "station1: nothing changed\n"


def test_user_set_says_what_changed(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "--db",
        demo,
        "user",
        "set",
        "user41",
        "--method",
        "assignable",
        "--remove-license",
        "EASYSRIPTER_EDITOR",
    )
    assert code == 0, err
    assert out.splitlines() == [
        "user41: License allocation method: Concurrent → Assignable",
        "user41: Arbitrary: EASYSRIPTER_EDITOR: allocated → not allocated",
    ]


def test_adding_and_removing_one_key_at_once_is_refused(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for flags in (
        ["--add-license", "Client Access", "--remove-license", "i3_access_client"],
        ["--client-access", "--remove-license", "Client Access"],
    ):
        code, out, err = run(capsys, "--db", demo, "user", "set", "user1", *flags)
        assert (code, out) == (1, ""), flags
        assert err == "error: Client Access is both added and removed: give one or the other\n"


def test_a_misspelt_key_suggests_the_closest_one(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--db", demo, "station", "set", "station1", "--add-license", "Clint Access"
    )
    assert code == 1
    assert err == "error: unknown license 'Clint Access': did you mean Client Access?\n"
    code, _, err = run(
        capsys, "--db", demo, "allocate", "Interaction Fedback Access", "--user", "user1"
    )
    assert code == 1 and "did you mean Interaction Feedback Access?" in err
    _, out, _ = run(capsys, "--db", demo, "station", "list", "--json")
    assert all(not any("CLINT" in k for k in s["licenses"]) for s in json.loads(out))


def test_an_arbitrary_key_is_still_possible(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The demo license carries EASYSRIPTER_EDITOR, a key the catalogue has never heard of (R29).
    code, out, err = run(capsys, "--db", demo, "allocate", "EASYSRIPTER_EDITOR", "--user", "user41")
    assert code == 0, err
    assert out.startswith("Arbitrary: EASYSRIPTER_EDITOR: allocated to")
    # An exact I3_* name or an explicit "Arbitrary:" name is taken as written; R2 then decides.
    for name in ("I3_ACCESS_CLINT", "Arbitrary: CLINT_ACCESS"):
        code, _, err = run(capsys, "--db", demo, "allocate", name, "--user", "user1")
        assert code == 1 and err.startswith("refused (R2)"), (name, err)


def test_init_demo_writes_sample_files_beside_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.sqlite")
    code, out, _ = run(capsys, "--db", db, "init", "--demo")
    assert code == 0
    assert (tmp_path / "new.I3Lic").is_file() and (tmp_path / "staff.csv").is_file()
    assert "new.I3Lic" in out and "staff.csv" in out
    code, out, err = run(
        capsys, "--db", db, "license", "load", str(tmp_path / "new.I3Lic"), "--dry-run"
    )
    assert code == 0, err
    assert "Dry run" in out and "10 → 12" in out  # System Status back to 12 assigned
    code, out, err = run(
        capsys, "--db", db, "import", "users", str(tmp_path / "staff.csv"), "--dry-run"
    )
    assert code == 0, err
    assert out.startswith("dry run: all 3 users can be imported")


def test_init_demo_keeps_sample_files_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "staff.csv").write_text("mine\n")
    assert run(capsys, "--db", str(tmp_path / "d.sqlite"), "init", "--demo")[0] == 0
    assert (tmp_path / "staff.csv").read_text() == "mine\n"
    assert (tmp_path / "new.I3Lic").is_file()


def test_set_names_the_right_and_the_acd_types_it_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(tmp_path / "demo.sqlite")]
    assert cli.main([*base, "init", "--demo"]) == 0
    capsys.readouterr()
    assert cli.main([*base, "user", "set", "user42", "--acd-types", "chat"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("user42: ACD interaction types: ")
    assert cli.main([*base, "user", "set", "user3", "--no-remote-login"]) == 0
    assert capsys.readouterr().out == "user3: Remote Login: Yes → No\n"
