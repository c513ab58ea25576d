"""The scripted stand-ins themselves (no QApplication needed: they show nothing)."""

from __future__ import annotations

from ia_licensing import catalog
from ia_licensing.dialogs.holder_picker import PickerRequest
from ia_licensing.models import Database
from ia_licensing.rules import HolderKind, Pool
from ia_licensing.services import allocation
from ia_licensing.services import license_configuration as lc
from ia_licensing.widgets.file_chooser import Chosen
from ia_licensing.widgets.prompts import SaveAnswer
from tests.helpers.console import api_of
from tests.helpers.database import add_users
from tests.helpers.fakes import LicensePrompts, ScriptedChooser, ScriptedPrompts


def test_scripted_prompts_answer_from_the_script_then_safely() -> None:
    prompts = ScriptedPrompts()
    prompts.answers = [SaveAnswer.SAVE]
    prompts.confirm_answers = [True]
    assert prompts.ask_save(None, "t", "save a?") is SaveAnswer.SAVE
    assert prompts.ask_save(None, "t", "save b?") is SaveAnswer.DISCARD  # unscripted
    assert prompts.confirm(None, "t", "sure?") is True
    assert prompts.confirm(None, "t", "sure again?") is False  # unscripted
    prompts.error(None, "t", "bad")
    prompts.information(None, "t", "done")
    prompts.about(None, "About", "text")
    assert prompts.asked == ["save a?", "save b?", "About"]
    assert prompts.confirmed == ["sure?", "sure again?"]
    assert (prompts.errors, prompts.informed) == (["bad"], ["done"])


def test_license_prompts_hand_out_files_in_turn_then_cancel() -> None:
    prompts = LicensePrompts()
    prompts.files = ["a.I3Lic", "b.csv"]
    assert prompts.open_file(None, "Load", "*.I3Lic") == "a.I3Lic"  # type: ignore[arg-type]
    assert prompts.save_file(None, "Export", "*.csv") == Chosen("b.csv")  # type: ignore[arg-type]
    assert prompts.open_file(None, "Load", "*.I3Lic") is None  # type: ignore[arg-type]


def test_scripted_chooser_picks_the_named_holders_the_picker_would_offer(db: Database) -> None:
    add_users(db, "alice", "bob", "carol")
    add_users(db, "dave", method=Pool.CONCURRENT)
    allocation.allocate(db, catalog.ACD_MEDIA_1, users=["alice"])
    request = PickerRequest(
        api_of(db),
        catalog.ACD_MEDIA_2,
        "ACD Media 2",
        HolderKind.USER,
        Pool.ASSIGNABLE,
        lc.Change(),
        0,
    )
    chooser = ScriptedChooser()
    # ALICE is refused (R11: she holds ACD Media 1), dave is not offered (Concurrent),
    # zed does not exist; names match in any case.
    chooser.next = ["ALICE", "Bob", "carol", "dave", "zed"]
    assert [e.name for e in chooser(None, request)] == ["bob", "carol"]  # type: ignore[arg-type]
    assert chooser.requests == [request]
    assert chooser.next == []  # each script is used once
    assert chooser(None, request) == []  # type: ignore[arg-type]
