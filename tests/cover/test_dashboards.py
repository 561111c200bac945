"""Dashboards by role: on call first for engineers, "Needs you" with true counts for managers."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.needs import needs_for
from scheduling.availability.models import AvailabilityDeadline, MonthConfirmation
from scheduling.cover import asking, services
from tests.factories import MembershipFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _needs(team) -> dict[str, int]:
    (row,) = needs_for([team], timezone.now())
    return {need.label.split(" (")[0]: need.count for need in row["needs"]}


def _world(week, team, n: int = 0) -> None:
    """Add n more members, each with a pending approval and a confirmed month."""
    requirement = RequirementFactory(team=team, title="On-call training", kind="approval")
    for i in range(n):
        user = MembershipFactory(team=team, user__display_name=f"Extra {i}").user
        CompletionFactory(requirement=requirement, user=user, status="pending", valid_from=None)
        MonthConfirmation.objects.create(user=user, month=date(2027, 4, 1))


def test_needs_you_counts_match_the_data(week, team, client_for):
    request = services.open_request(seat=week.seat, user=week.requester)
    asking.escalate(request, why="test", now=timezone.now())
    _world(week, team, n=2)
    AvailabilityDeadline.objects.create(team=team, month=date(2027, 4, 1), due_on=date(2027, 3, 25))
    MonthConfirmation.objects.create(user=week.alice, month=date(2027, 4, 1))
    members = team.memberships.count()  # 8 from the week, 2 extra
    counts = _needs(team)
    assert counts == {
        "urgent cover requests": 1,
        # 7 days × 2 roles, 4 of them held.
        "empty seats in the next 30 days": 10,
        "approvals waiting": 2,
        "not confirmed for April": members - 3,
        "people with no calendar channel": members,
    }
    page = client_for(week.manager).get(reverse("dashboard")).content.decode()
    assert "Needs you" in page
    for label, n in counts.items():
        assert re.search(rf'data-need="{label}[^"]*">{n}<', page), label
    # Engineers get no "Needs you"; their on-call panel comes before their teams and profile.
    page = client_for(week.requester).get(reverse("dashboard")).content.decode()
    assert "Needs you" not in page
    assert page.index("Next shift") < page.index("My teams") < page.index("My profile")


def test_needs_you_queries_do_not_grow_with_team_size(week, team):
    AvailabilityDeadline.objects.create(team=team, month=date(2027, 4, 1), due_on=date(2027, 3, 25))
    _world(week, team, n=1)
    with CaptureQueriesContext(connection) as small:
        needs_for([team], timezone.now())
    _world(week, team, n=12)
    with CaptureQueriesContext(connection) as large:
        needs_for([team], timezone.now())
    assert len(large) == len(small)


def test_the_dashboard_offers_open_shifts_to_listed_colleagues(week, client_for):
    services.open_request(seat=week.seat, user=week.requester)
    page = client_for(week.carol).get(reverse("dashboard")).content.decode()
    assert "Open shifts you could take" in page or "You are asked to cover" in page
    assert "Take this shift" in page
    page = client_for(week.fred).get(reverse("dashboard")).content.decode()
    assert "Take this shift" not in page
