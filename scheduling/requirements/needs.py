"""The requirements line of the manager's "Needs you": approvals waiting for a decision."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.urls import reverse

from accounts.models import Team
from accounts.needs import Need
from scheduling.requirements.models import Completion


def approvals_waiting(teams: list[Team], now: datetime) -> list[Need]:
    """Count, per team, the pending requests and evidence waiting for a decision."""
    counts = dict(
        Completion.objects.pending()
        .filter(requirement__team__in=teams, requirement__archived_at__isnull=True)
        .values("requirement__team")
        .annotate(n=Count("id"))
        .values_list("requirement__team", "n")
    )
    return [
        Need(
            team_id=t.pk,
            label="approvals waiting",
            count=counts.get(t.pk, 0),
            url=reverse("requirements:team", args=[t.slug]),
            order=30,
        )
        for t in teams
    ]
