"""Stand-ins for the console's prompts, file chooser and Add… picker (they need PySide6),
and a fake of the console seam (ConsoleApi) that counts every read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from ia_licensing.console_api import Changes
from ia_licensing.dialogs.holder_picker import Choice, PickerRequest
from ia_licensing.widgets.file_chooser import Chosen
from ia_licensing.widgets.prompts import Prompts, SaveAnswer


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
        self.about_text = text


class LicensePrompts(ScriptedPrompts):
    """The scripted prompts, and the console's file chooser: it hands out `files` in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def open_file(self, parent: QWidget, title: str, file_filter: str) -> str | None:
        return self.files.pop(0) if self.files else None

    def save_file(
        self, parent: QWidget, title: str, file_filter: str, suggested: str = ""
    ) -> Chosen | None:
        path = self.open_file(parent, title, file_filter)
        return None if path is None else Chosen(path)


class ScriptedChooser:
    """Stands in for the Add… picker: picks the named holders the picker would offer."""

    def __init__(self) -> None:
        self.next: list[str] = []
        self.requests: list[PickerRequest] = []

    def __call__(self, parent: QWidget, request: PickerRequest) -> list[Choice]:
        self.requests.append(request)
        offered = request.offered()
        wanted = {n.casefold() for n in self.next}
        self.next = []
        # Like the real picker: a greyed-out (refused) holder cannot be chosen.
        return [e for e in offered if e.name.casefold() in wanted and e.refusal is None]


@dataclass
class FakeConsoleApi:
    """Stands in for ConsoleApi where a screen reads stations or users and the feed."""

    stations: dict[str, object] = field(default_factory=dict)
    pending: list[Changes] = field(default_factory=list)
    reads: list[frozenset[str] | None] = field(default_factory=list)
    newest: int = 0

    def newest_change(self) -> int:
        return self.newest

    def changes_since(self, seen: int) -> Changes:
        if not self.pending:
            return Changes.nothing(seen)
        change = self.pending.pop(0)
        self.newest = change.newest
        return change

    def station_rows(self, names: Iterable[str] | None = None) -> list[object]:
        wanted = None if names is None else frozenset(names)
        self.reads.append(wanted)
        return [row for name, row in self.stations.items() if wanted is None or name in wanted]
