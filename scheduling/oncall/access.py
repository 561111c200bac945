"""Who may see on-call pages, write handover notes and manage API tokens."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import Membership, User
from scheduling.oncall.models import TeamApiToken
from scheduling.rotas.models import Shift


def member_shift_or_404(user: User, pk: int) -> tuple[Membership, Shift]:
    """Return a shift of a team the user belongs to; anyone else gets 404."""
    shift = Shift.objects.select_related("team", "period").filter(pk=pk).first()
    if shift is None:
        raise Http404("No such shift.")
    return membership_or_404(user, shift.team.slug), shift


def manager_token_or_404(user: User, slug: str, pk: int) -> tuple[Membership, TeamApiToken]:
    """Return an API token of the team the user manages; 404 for other teams', 403 for engineers."""
    membership = manager_membership_or_403(user, slug)
    token = TeamApiToken.objects.select_related("team").filter(team=membership.team, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return membership, token
