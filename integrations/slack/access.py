"""Who may manage a team's Slack app: its managers; another team's call is a 404."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403
from accounts.models import User
from integrations.slack.models import Call, Installation


def manager_installation_or_404(user: User, slug: str) -> Installation:
    """Return the Slack installation of a team the user manages."""
    membership = manager_membership_or_403(user, slug)
    installation = Installation.objects.filter(team=membership.team).select_related("team").first()
    if installation is None:
        raise Http404("Slack is not connected.")
    return installation


def manager_call_or_404(user: User, slug: str, pk: int) -> Call:
    """Return a call of the Slack installation of a team the user manages."""
    installation = manager_installation_or_404(user, slug)
    call = (
        Call.objects.filter(installation=installation, pk=pk).select_related("installation").first()
    )
    if call is None:
        raise Http404("No such delivery.")
    return call
