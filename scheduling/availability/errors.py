"""What can go wrong with availability and calendar imports, in words people read."""

from __future__ import annotations

from datetime import date


class AvailabilityError(Exception):
    """An availability change that the rules do not allow."""


class Conflict(AvailabilityError):
    """Some days changed since the person loaded the page; nothing was saved."""

    def __init__(self, days: list[date], current: dict[date, str]) -> None:
        self.days = days
        self.current = current
        listed = ", ".join(f"{day:%a %-d %b}" for day in days[:5])
        more = f" and {len(days) - 5} more" if len(days) > 5 else ""
        super().__init__(
            f"{listed}{more} changed in another window since you loaded this page; "
            "nothing was saved. The grid now shows the latest marks: check them and save again."
        )


class CalendarFetchError(AvailabilityError):
    """A calendar could not be reached or read; the message is meant for its owner."""


class CalendarDataError(ValueError):
    """The data is not a readable iCalendar file."""
