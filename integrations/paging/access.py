"""Who may manage a team's paging links: its managers; another team's link is a 404."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403
from accounts.models import Membership, User
from integrations.paging.models import ScheduleLink


def manager_link_or_404(user: User, slug: str, pk: int) -> tuple[Membership, ScheduleLink]:
    """Return a schedule link of a team the user manages."""
    membership = manager_membership_or_403(user, slug)
    link = ScheduleLink.objects.select_related("team").filter(team=membership.team, pk=pk).first()
    if link is None:
        raise Http404("No such paging link.")
    return membership, link
