"""Stand-ins for the console's prompts, file chooser and Add… picker (they need PySide6)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ia_licensing.dialogs.holder_picker import PickerRequest
from ia_licensing.dialogs.prompts import Prompts, SaveAnswer
from ia_licensing.services import license_configuration as lc


class ScriptedPrompts(Prompts):
    """Answers the console's questions from a script and records what was asked."""

    def __init__(self) -> None:
        self.answers: list[SaveAnswer] = []
        self.confirm_answers: list[bool] = []
        self.confirmed: list[str] = []
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.informed: list[str] = []

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.confirmed.append(text)
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def ask_save(self, parent: QWidget | None, title: str, text: str) -> SaveAnswer:
        self.asked.append(text)
        # Unscripted (e.g. pytest-qt closing a dialog left with pending edits): discard.
        # Never raise here: an exception in a Qt virtual such as reject() crashes PySide.
        return self.answers.pop(0) if self.answers else SaveAnswer.DISCARD

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(text)

    def information(self, parent: QWidget | None, title: str, text: str) -> None:
        self.informed.append(text)

    def about(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(title)


class LicensePrompts(ScriptedPrompts):
    """The scripted prompts, and the console's file chooser: it hands out `files` in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        return self.files.pop(0) if self.files else None

    save_file = open_file


class ScriptedChooser:
    """Stands in for the Add… picker: picks the named holders the picker would offer."""

    def __init__(self) -> None:
        self.next: list[str] = []
        self.requests: list[PickerRequest] = []

    def __call__(self, parent: QWidget, request: PickerRequest) -> list[lc.Eligible]:
        self.requests.append(request)
        offered = lc.eligible(
            request.db,
            request.key,
            request.kind,
            request.pool,
            pending=request.pending,
            pending_configured=request.pending_configured,
        )
        wanted = {n.casefold() for n in self.next}
        self.next = []
        # Like the real picker: a greyed-out (refused) holder cannot be chosen.
        return [e for e in offered if e.name.casefold() in wanted and e.refusal is None]
