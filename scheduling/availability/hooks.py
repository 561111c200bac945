"""Let other apps show things on the month grid without this app importing them.

The rotas app registers a function in its AppConfig.ready():

    from scheduling.availability.hooks import register_shift_source
    register_shift_source(my_shifts_by_day)  # (user, first, last) -> {date: ["Primary 09:00"]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from accounts.models import User

ShiftSource = Callable[[User, date, date], dict[date, list[str]]]
_shift_sources: list[ShiftSource] = []


@dataclass(frozen=True)
class HeldSeat:
    """A published seat the person holds on a day they marked unavailable."""

    seat_id: int
    label: str  # e.g. "Sat 27 Mar 09:00 · Primary · Payments"
    asked: bool  # a cover request is already looking for someone


# The cover app registers one: (user, days) -> the seats they hold on those local days.
HeldSource = Callable[[User, list[date]], list[HeldSeat]]
_held_sources: list[HeldSource] = []


def register_held_source(source: HeldSource) -> None:
    """Add a function returning the published seats a person holds on given days."""
    if source not in _held_sources:
        _held_sources.append(source)


def held_seats(*, user: User, days: list[date]) -> list[HeldSeat]:
    """Return the published seats the person holds on the days, from every registered source."""
    return [seat for source in _held_sources for seat in source(user, days)] if days else []


def register_shift_source(source: ShiftSource) -> None:
    """Add a function returning a person's shift labels by local day."""
    if source not in _shift_sources:
        _shift_sources.append(source)


def shifts_for_grid(*, user: User, first: date, last: date) -> dict[date, list[str]]:
    """Return the labels of the person's shifts by day, from every registered source."""
    labels: dict[date, list[str]] = defaultdict(list)
    for source in _shift_sources:
        for day, found in source(user, first, last).items():
            labels[day].extend(found)
    return dict(labels)
