"""Domain exceptions of the rota app."""

from __future__ import annotations


class RotaError(Exception):
    """A rota action that the rules do not allow."""


class WrongState(RotaError):
    pass


class PeriodOverlap(RotaError):
    pass


class NotAMember(RotaError):
    pass


class NeedsConfirmation(RotaError):
    """The action breaks a soft rule; repeat it with confirm=True to go ahead."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__("; ".join(warnings))
        self.warnings = warnings


class UnfilledSeats(RotaError):
    """Publishing would leave seats empty; repeat with confirm_unfilled=True to go ahead."""

    def __init__(self, seats: list[str]) -> None:
        shown = ", ".join(seats[:8]) + (f" and {len(seats) - 8} more" if len(seats) > 8 else "")
        super().__init__(
            f"{len(seats)} seat{'s' if len(seats) != 1 else ''} would be left empty: {shown}."
        )
        self.seats = seats


class ChangedMeanwhile(RotaError):
    """Someone else edited the seat since the page was shown; nothing was changed."""
