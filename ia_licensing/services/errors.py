"""What a use case raises when it changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from ia_licensing.rules import Refusal


class ServiceError(Exception):
    """Bad input or a refused change; the transaction was rolled back."""


class Refused(ServiceError):
    """One or more rules refuse the change (all-or-nothing: nothing was written)."""

    def __init__(self, refusals: Refusal | Sequence[Refusal], *, key: str | None = None) -> None:
        self.refusals: tuple[Refusal, ...] = (
            (refusals,) if isinstance(refusals, Refusal) else tuple(refusals)
        )
        self.key = key  # the license that was short, when one was (a logon's denial, R33)
        super().__init__("; ".join(str(r) for r in self.refusals))

    @property
    def rule(self) -> str:
        return self.refusals[0].rule


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class NotInitialised(ServiceError):
    pass


class StorageError(ServiceError):
    """The database could not be read or written; nothing was changed."""


def describe_database_error(error: Exception, where: str) -> str:
    """One sentence for an administrator: what went wrong with the database at `where`
    (its file or server), and what to do about it (R30's "nothing was changed" holds:
    every change is one transaction)."""
    text = str(getattr(error, "orig", None) or error)
    first = (text.splitlines() or [""])[0]
    lowered = text.lower()
    if "locked" in lowered:
        return (
            f"The database {where} is busy: another administrator or process held it too "
            "long. Nothing was changed; try again in a moment."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return (
            f"The database {where} cannot be written: the file, its folder or the disk is "
            "read-only. Nothing was changed; make it writable (or copy it to a writable "
            "folder and give --db the copy)."
        )
    if "disk is full" in lowered or "no space left" in lowered:
        return (
            f"The disk holding the database {where} is full. Nothing was changed; free some "
            "space there and try again."
        )
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return (
            f"The database {where} is damaged ({first}). Restore it from a backup, or give "
            "--db another database."
        )
    if "unable to open database file" in lowered:
        return (
            f"The database {where} cannot be opened: its folder is missing or cannot be "
            "written (SQLite keeps its journal beside the file). Check the path given to "
            "--db and the folder's permissions."
        )
    if "disk i/o error" in lowered:
        return (
            f"The disk holding the database {where} reported an input/output error (full, "
            "removed or failing). Nothing was changed; check the disk and try again."
        )
    if "too long" in lowered or "out of range" in lowered or "invalid byte" in lowered:
        return (
            f"A value is too long or out of range for the database {where} ({first}). "
            "Nothing was changed; shorten or correct it."
        )
    return f"The database {where} could not be used ({first}). Nothing was changed."


class Cancelled(ServiceError):
    """The administrator stopped a long change; it was rolled back as a whole."""
