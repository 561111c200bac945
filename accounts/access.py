"""Who may see or change a team: one helper per object type, used by every view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Invitation, Membership, Team, User


def membership_or_404(user: User, slug: str) -> Membership:
    """Return the user's membership of the team; a non-member gets 404, as if it did not exist."""
    if not user.is_authenticated:
        raise Http404("No such team.")
    membership = (
        Membership.objects.select_related("team", "user").filter(user=user, team__slug=slug).first()
    )
    if membership is None:
        raise Http404("No such team.")
    return membership


def manager_membership_or_403(user: User, slug: str) -> Membership:
    """Return the manager's membership; 404 for non-members, 403 for engineers."""
    membership = membership_or_404(user, slug)
    if not membership.is_manager:
        raise PermissionDenied("Only the team's managers can do this.")
    return membership


def team_member_or_404(team: Team, member_id: int) -> Membership:
    """Return a membership of this team by id, 404 for any other team's."""
    membership = Membership.objects.select_related("user").filter(team=team, pk=member_id).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def team_invitation_or_404(team: Team, invitation_id: int) -> Invitation:
    """Return an invitation of this team by id, 404 for any other team's."""
    invitation = Invitation.objects.filter(team=team, pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def is_manager_of(user: User, team: Team) -> bool:
    """Tell whether the user manages the team."""
    return Membership.objects.managers().filter(user=user, team=team).exists()
