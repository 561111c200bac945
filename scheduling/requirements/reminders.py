"""A manager reminds a member to meet or renew a requirement (the "why not" panel's fix)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import Membership, Team, User
from scheduling.requirements.models import Completion, Requirement
from scheduling.requirements.notify import _claim, _renewed, _send
from scheduling.requirements.state import load_standing, team_today


def remind(*, requirement: Requirement, user: User, by: User) -> None:
    """Email the person what the requirement needs and where to do it, and audit the reminder."""
    team: Team = requirement.team
    standing = load_standing(team=team, users=[user], requirements=[requirement])
    cell = standing.cells(user.pk)[0]
    _send(
        # Each press of Remind is one email; a retried job with the same moment is not a second.
        key=f"requirement-reminder:{requirement.pk}:{user.pk}:{timezone.now():%Y%m%dT%H%M%S}",
        subject=f"{team.name}: please {'renew' if cell.completion else 'complete'}"
        f" {requirement.title}",
        template="requirements/email/reminder.txt",
        context={
            "user": user,
            "by": by,
            "team": team,
            "requirement": requirement,
            "cell": cell,
            "link": settings.SITE_URL + reverse("requirements:team", args=[team.slug]),
        },
        recipients=[user.contact_email],
    )
    audit.record(
        action="requirements.reminded",
        summary=f"{by.name} reminded {user.name} about {requirement.title}",
        actor=by,
        team=team,
        target=requirement,
        user=user.pk,
    )


def remind_lapsing(*, team: Team, first: date, last: date) -> int:
    """Warn each member whose requirement lapses inside [first, last], the dates being planned.

    The warning is claimed on the completion (the same claim as the 14-day warning), so each
    lapse is announced once, whichever comes first; returns how many were sent.
    """
    members = Membership.objects.filter(team=team).values_list("user_id", flat=True)
    rows = list(
        Completion.objects.accepted()
        .current()
        .filter(
            requirement__team=team,
            requirement__archived_at__isnull=True,
            user_id__in=list(members),
            valid_until__isnull=False,
        )
        .select_related("requirement", "user")
    )
    by_person: dict[tuple[int, int], list[Completion]] = defaultdict(list)
    for row in rows:
        by_person[(row.user_id, row.requirement_id)].append(row)
    today = team_today(team)
    sent = 0
    for row in rows:
        # valid_until is the first day it no longer counts: met until the day before.
        if not (first < row.valid_until <= last) or row.valid_until <= today:
            continue
        if _renewed(row, by_person[(row.user_id, row.requirement_id)]):
            continue
        if not _claim(row, "expiry_warned_at"):
            continue
        _send(
            key=f"requirement-expiring:{row.pk}:{row.valid_until}",
            subject=f"{row.requirement.title} expires on {row.valid_until:%-d %b}, inside the"
            " rota being planned",
            template="requirements/email/expiring.txt",
            context={
                "completion": row,
                "requirement": row.requirement,
                "team": team,
                "days": (row.valid_until - today).days,
                "link": settings.SITE_URL + reverse("dashboard"),
            },
            recipients=[row.user.contact_email],
        )
        sent += 1
    return sent
