"""What the rota reads from the requirements and availability apps, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from accounts.models import Team, User
from scheduling.availability.services import (
    day_states_for_team,
    windows_and_states_for_team,
    windows_for_team,
)
from scheduling.requirements.models import Requirement
from scheduling.requirements.services import eligible_roles_for_team
from scheduling.requirements.state import Standing, load_standing


def standing(*, team: Team, users: list[User]) -> Standing:
    """Return the members' requirements and completions, loaded once for the whole page."""
    # Neither who approves a requirement nor who decided a completion shows on the rota.
    requirements = list(Requirement.objects.filter(team=team).active().order_by("title", "id"))
    return load_standing(team=team, users=users, requirements=requirements, deciders=False)


def eligible_roles(
    *, team: Team, dates: Iterable[date], standing: Standing | None = None
) -> dict[int, dict[date, frozenset[str]]]:
    """Return user id → date → roles the person may hold that day."""
    return eligible_roles_for_team(team=team, dates=list(dates), standing=standing)


def windows(
    *, team: Team, start: datetime, end: datetime, users: list[User] | None = None
) -> dict[int, Any]:
    """Return user id → PersonWindows(unavailable, preferred, avoid) in UTC."""
    return windows_for_team(team=team, start=start, end=end, users=users)


def day_states(
    *, team: Team, first: date, last: date, users: list[User] | None = None
) -> dict[int, dict[date, str]]:
    """Return user id → date → preferred/available/unavailable/busy/unknown."""
    return day_states_for_team(team=team, first=first, last=last, users=users)


def windows_and_states(
    *, team: Team, start: datetime, end: datetime, first: date, last: date, users: list[User]
) -> tuple[dict[int, Any], dict[int, dict[date, str]]]:
    """Return windows and day states from one read of the availability rows."""
    return windows_and_states_for_team(
        team=team, start=start, end=end, first=first, last=last, users=users
    )
