"""The dashboard panel "Ready for on-call"."""

from __future__ import annotations

from accounts.dashboard import Panel
from accounts.fragments import earliest, next_midnight
from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.requirements.forms import EvidenceForm
from scheduling.requirements.presenters import approval_queue, person_status


def ready_panel(request: AuthedRequest, memberships: list[Membership]) -> Panel | None:
    """List, per team, the requirements with their state and the way to meet each."""
    if not memberships:
        return None
    statuses = [person_status(membership, request.user) for membership in memberships]
    for status in statuses:
        # Managers and named approvers see how many requests wait for them.
        status.waiting = len(
            approval_queue(
                team=status.team, user=request.user, is_manager=status.membership.is_manager
            )
        )
    return Panel(
        template="requirements/_ready_panel.html",
        context={
            "statuses": statuses,
            "evidence_form": EvidenceForm(),
            "next": request.get_full_path(),
        },
        order=20,
        until=earliest(*(next_midnight(m.team.tz) for m in memberships)),
    )
