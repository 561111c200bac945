"""The availability line of the manager's "Needs you": who has not confirmed before the deadline."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from accounts.models import Membership, Team
from accounts.needs import Need
from scheduling.availability.models import AvailabilityDeadline, MonthConfirmation


def not_confirmed(teams: list[Team], now: datetime) -> list[Need]:
    """Count, per team, the members who have not said "I'm done" for the next deadline's month."""
    deadlines: dict[int, AvailabilityDeadline] = {}
    for row in AvailabilityDeadline.objects.filter(team__in=teams, due_on__gte=now.date()).order_by(
        "due_on"
    ):
        deadlines.setdefault(row.team_id, row)
    members: dict[int, set[int]] = {}
    for team_id, user_id in Membership.objects.filter(team_id__in=deadlines).values_list(
        "team_id", "user_id"
    ):
        members.setdefault(team_id, set()).add(user_id)
    confirmed = set(
        MonthConfirmation.objects.filter(
            month__in={d.month for d in deadlines.values()},
            user_id__in=set().union(*members.values()) if members else set(),
        ).values_list("user_id", "month")
    )
    needs = []
    for team in teams:
        deadline = deadlines.get(team.pk)
        if deadline is None:
            continue
        missing = [u for u in members.get(team.pk, ()) if (u, deadline.month) not in confirmed]
        needs.append(
            Need(
                team_id=team.pk,
                label=f"not confirmed for {deadline.month:%B} (due {deadline.due_on:%a %-d %b})",
                count=len(missing),
                url=reverse("availability:team", args=[team.slug]),
                order=40,
            )
        )
    return needs
