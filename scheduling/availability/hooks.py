"""Let other apps show things on the month grid without this app importing them.

The rotas app adds a function in its AppConfig.ready():

    from scheduling.availability.hooks import SHIFT_SOURCES
    SHIFT_SOURCES.add(my_shifts_by_day)  # (user, first, last) -> {date: ["Primary 09:00"]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from accounts.models import User
from rota.parts import Parts

ShiftSource = Callable[[User, date, date], dict[date, list[str]]]
SHIFT_SOURCES: Parts[ShiftSource] = Parts("month-grid shift sources")


@dataclass(frozen=True)
class HeldSeat:
    """A published seat the person holds on a day they marked unavailable."""

    seat_id: int
    label: str  # e.g. "Sat 27 Mar 09:00 · Primary · Payments"
    asked: bool  # a cover request is already looking for someone


# The cover app registers one: (user, days) -> the seats they hold on those local days.
HeldSource = Callable[[User, list[date]], list[HeldSeat]]
HELD_SOURCES: Parts[HeldSource] = Parts("seats held on days marked unavailable")


def held_seats(*, user: User, days: list[date]) -> list[HeldSeat]:
    """Return the published seats the person holds on the days, from every registered source."""
    return [seat for source in HELD_SOURCES for seat in source(user, days)] if days else []


def shifts_for_grid(*, user: User, first: date, last: date) -> dict[date, list[str]]:
    """Return the labels of the person's shifts by day, from every registered source."""
    labels: dict[date, list[str]] = defaultdict(list)
    for source in SHIFT_SOURCES:
        for day, found in source(user, first, last).items():
            labels[day].extend(found)
    return dict(labels)
