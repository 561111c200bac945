"""Who may manage a team's webhooks: its managers; another team's endpoint is a 404."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403
from accounts.models import Membership, User
from integrations.webhooks.models import Delivery, Endpoint


def manager_endpoint_or_404(user: User, slug: str, pk: int) -> tuple[Membership, Endpoint]:
    """Return an endpoint of a team the user manages."""
    membership = manager_membership_or_403(user, slug)
    endpoint = Endpoint.objects.select_related("team").filter(team=membership.team, pk=pk).first()
    if endpoint is None:
        raise Http404("No such webhook.")
    return membership, endpoint


def manager_delivery_or_404(user: User, slug: str, pk: int) -> tuple[Membership, Delivery]:
    """Return a delivery to an endpoint of a team the user manages."""
    membership = manager_membership_or_403(user, slug)
    delivery = (
        Delivery.objects.select_related("endpoint__team", "event")
        .filter(endpoint__team=membership.team, pk=pk)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    return membership, delivery
