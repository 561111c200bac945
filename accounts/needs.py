"""The manager's dashboard panel "Needs you": what waits for them, per team, with counts and links.

Apps add a line source, a function `(teams, now) -> list[Need]`, with `NEEDS.add(fn)` in their
AppConfig.ready(); each counts for all the teams at once, so the queries do not grow with team
size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

from accounts.dashboard import Panel
from accounts.models import Team
from rota.parts import Parts

# Some counts read tables no team stamp watches (calendar channels): refresh them this often.
FRESH_FOR = timedelta(minutes=5)


@dataclass(frozen=True)
class Need:
    """One line of "Needs you": how many of something wait in a team, and where to act."""

    team_id: int
    label: str
    count: int
    url: str
    order: int = 50
    urgent: bool = False


NeedSource = Callable[[list[Team], datetime], list["Need"]]
NEEDS: Parts[NeedSource] = Parts("needs-you lines")


def needs_for(teams: list[Team], now: datetime) -> list[dict]:
    """Return, per team, its lines from every source in NEEDS."""
    found: list[Need] = []
    for source in NEEDS:
        found += source(teams, now)
    return [
        {
            "team": team,
            "needs": sorted((n for n in found if n.team_id == team.pk), key=lambda n: n.order),
            "total": sum(n.count for n in found if n.team_id == team.pk),
        }
        for team in teams
    ]


def needs_you_panel(request: HttpRequest, memberships: list) -> Panel | None:
    """Show a manager what needs them first: urgent cover, empty seats, approvals and more."""
    teams = [m.team for m in memberships if m.is_manager]
    if not teams:
        return None
    now = timezone.now()
    return Panel(
        template="accounts/_needs_you.html",
        context={"rows": needs_for(teams, now)},
        order=5,
        until=now + FRESH_FOR,
    )
