"""What a use case raises when it changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

from ia_licensing.rules import Refusal


class ServiceError(Exception):
    """Bad input or a refused change; the transaction was rolled back."""


class Refused(ServiceError):
    """One or more rules refuse the change (all-or-nothing: nothing was written)."""

    def __init__(self, refusals: Refusal | Sequence[Refusal]) -> None:
        self.refusals: tuple[Refusal, ...] = (
            (refusals,) if isinstance(refusals, Refusal) else tuple(refusals)
        )
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


class Cancelled(ServiceError):
    """The administrator stopped a long change; it was rolled back as a whole."""
