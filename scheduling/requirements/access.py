"""Who may see or change requirements and completions: one helper per object type."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Membership, Team, User
from scheduling.requirements.models import Completion, Requirement
from scheduling.requirements.services import may_decide


def requirement_or_404(team: Team, requirement_id: int) -> Requirement:
    """Return an active requirement of this team, 404 for any other team's."""
    requirement = (
        Requirement.objects.for_team(team).select_related("team").filter(pk=requirement_id).first()
    )
    if requirement is None:
        raise Http404("No such requirement.")
    return requirement


def completion_or_404(team: Team, completion_id: int) -> Completion:
    """Return a completion of one of this team's requirements, 404 otherwise."""
    completion = (
        Completion.objects.select_related("requirement__team", "requirement__approver", "user")
        .filter(requirement__team=team, pk=completion_id)
        .first()
    )
    if completion is None:
        raise Http404("No such request.")
    return completion


def evidence_or_404(membership: Membership, completion_id: int) -> Completion:
    """Return a completion whose uploaded file the member may see: its owner or a manager."""
    completion = completion_or_404(membership.team, completion_id)
    allowed = completion.user_id == membership.user_id or membership.is_manager
    if not allowed or not completion.evidence_file:
        raise Http404("No such file.")
    return completion


def decidable_or_403(membership: Membership, completion_id: int) -> Completion:
    """Return a pending request the member may decide; 403 for engineers and own requests."""
    completion = completion_or_404(membership.team, completion_id)
    user: User = membership.user
    if completion.user_id == user.pk:
        raise PermissionDenied(
            "Nobody may approve or reject their own request; another manager must."
        )
    if not may_decide(user=user, completion=completion, is_manager=membership.is_manager):
        raise PermissionDenied(
            "Only the team's managers or the named approver can decide requests."
        )
    return completion
