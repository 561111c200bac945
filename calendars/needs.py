"""The calendars line of the manager's "Needs you": members whose shifts reach no calendar."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from accounts.models import Team
from accounts.needs import Need
from calendars.overview import team_rows


def without_channel(teams: list[Team], now: datetime) -> list[Need]:
    """Count, per team, the members with no calendar channel (a few queries per team)."""
    return [
        Need(
            team_id=team.pk,
            label="people with no calendar channel",
            count=sum(1 for row in team_rows(team) if not row.channels),
            url=reverse("calendars:team_channels", args=[team.slug]),
            order=50,
        )
        for team in teams
    ]
