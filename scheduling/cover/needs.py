"""The cover line of the manager's "Needs you": escalated requests nobody took yet."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.urls import reverse

from accounts.models import Team
from accounts.needs import Need
from scheduling.cover.models import CoverRequest


def urgent_cover(teams: list[Team], now: datetime) -> list[Need]:
    """Count, per team, the urgent cover requests (escalated, not over)."""
    counts = dict(
        CoverRequest.objects.urgent(now)
        .filter(team__in=teams)
        .values("team")
        .annotate(n=Count("id"))
        .values_list("team", "n")
    )
    return [
        Need(
            team_id=t.pk,
            label="urgent cover requests",
            count=counts.get(t.pk, 0),
            url=reverse("cover:team", args=[t.slug]),
            order=10,
            urgent=True,
        )
        for t in teams
    ]
