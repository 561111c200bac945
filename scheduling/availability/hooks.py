"""Let other apps show things on the month grid without this app importing them.

The rotas app registers a function in its AppConfig.ready():

    from scheduling.availability.hooks import register_shift_source
    register_shift_source(my_shifts_by_day)  # (user, first, last) -> {date: ["Primary 09:00"]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from accounts.models import User

ShiftSource = Callable[[User, date, date], dict[date, list[str]]]
_shift_sources: list[ShiftSource] = []


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
