"""Let other apps show things on the month grid without this app importing them.

The rotas app adds a function in its AppConfig.ready():

    from scheduling.availability.hooks import SHIFT_SOURCES
    SHIFT_SOURCES.add(my_shifts_by_day)  # (user, first, last) -> {date: ["Primary 09:00"]}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from accounts.models import User
from rota.parts import Parts

ShiftSource = Callable[[User, date, date], dict[date, list[str]]]
SHIFT_SOURCES: Parts[ShiftSource] = Parts("month-grid shift sources")


def shifts_for_grid(*, user: User, first: date, last: date) -> dict[date, list[str]]:
    """Return the labels of the person's shifts by day, from every registered source."""
    labels: dict[date, list[str]] = defaultdict(list)
    for source in SHIFT_SOURCES:
        for day, found in source(user, first, last).items():
            labels[day].extend(found)
    return dict(labels)
