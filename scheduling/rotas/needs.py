"""The rota line of the manager's "Needs you": published seats nobody holds soon."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Min
from django.urls import reverse

from accounts.models import Team
from accounts.needs import Need
from scheduling.rotas.models import Seat

HORIZON = timedelta(days=30)


def empty_seats(teams: list[Team], now: datetime) -> list[Need]:
    """Count, per team, the empty published seats starting in the next 30 days."""
    rows = {
        row["shift__team"]: row
        for row in Seat.objects.published()
        .filter(
            shift__team__in=teams,
            holder__isnull=True,
            shift__ends_at__gt=now,
            shift__starts_at__lt=now + HORIZON,
        )
        .values("shift__team")
        .annotate(n=Count("id"), period=Min("shift__period"))
    }
    needs = []
    for team in teams:
        row = rows.get(team.pk)
        url = (
            reverse("rotas:period", args=[team.slug, row["period"]])
            if row
            else reverse("rotas:periods", args=[team.slug])
        )
        needs.append(
            Need(
                team_id=team.pk,
                label="empty seats in the next 30 days",
                count=row["n"] if row else 0,
                url=url,
                order=20,
                urgent=True,
            )
        )
    return needs
