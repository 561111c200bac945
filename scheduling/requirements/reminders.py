"""A manager reminds a member to meet or renew a requirement (the "why not" panel's fix)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts import audit
from accounts.models import Team, User
from scheduling.requirements.models import Requirement
from scheduling.requirements.notify import _send
from scheduling.requirements.state import load_standing


def remind(*, requirement: Requirement, user: User, by: User) -> None:
    """Email the person what the requirement needs and where to do it, and audit the reminder."""
    team: Team = requirement.team
    standing = load_standing(team=team, users=[user], requirements=[requirement])
    cell = standing.cells(user.pk)[0]
    _send(
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
