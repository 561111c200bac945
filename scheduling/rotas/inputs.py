"""What the rota reads from the requirements and availability apps, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from accounts.models import Team
from scheduling.availability.services import day_states_for_team, windows_for_team
from scheduling.requirements.services import eligible_roles_for_team


def eligible_roles(*, team: Team, dates: Iterable[date]) -> dict[int, dict[date, frozenset[str]]]:
    """Return user id → date → roles the person may hold that day."""
    return eligible_roles_for_team(team=team, dates=list(dates))


def windows(*, team: Team, start: datetime, end: datetime) -> dict[int, Any]:
    """Return user id → PersonWindows(unavailable, preferred, avoid) in UTC."""
    return windows_for_team(team=team, start=start, end=end)


def day_states(*, team: Team, first: date, last: date) -> dict[int, dict[date, str]]:
    """Return user id → date → preferred/available/unavailable/busy/unknown."""
    return day_states_for_team(team=team, first=first, last=last)
