"""Who may see or act on cover requests and seats: every lookup goes through the team."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import Membership, User
from scheduling.cover.models import CoverRequest
from scheduling.rotas.models import Seat


def member_seat_or_404(user: User, slug: str, seat_id: int) -> tuple[Membership, Seat]:
    """Return a published seat of a team the user belongs to."""
    membership = membership_or_404(user, slug)
    seat = (
        Seat.objects.select_related("shift__period__team", "shift__team", "holder")
        .published()
        .filter(shift__team=membership.team, pk=seat_id)
        .first()
    )
    if seat is None:
        raise Http404("No such seat.")
    return membership, seat


def member_request_or_404(user: User, slug: str, pk: int) -> tuple[Membership, CoverRequest]:
    """Return a cover request of a team the user belongs to."""
    membership = membership_or_404(user, slug)
    request = (
        CoverRequest.objects.select_related(
            "team", "seat__shift", "requested_by", "opened_by", "covered_by", "covered_seat__shift"
        )
        .filter(team=membership.team, pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such cover request.")
    return membership, request


def manager_request_or_404(user: User, slug: str, pk: int) -> tuple[Membership, CoverRequest]:
    """Return a cover request of a team the user manages; 403 for engineers."""
    manager_membership_or_403(user, slug)
    return member_request_or_404(user, slug, pk)
