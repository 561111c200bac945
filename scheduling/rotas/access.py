"""Who may see or change periods, seats and shifts: every lookup goes through the team."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import Membership, User
from scheduling.rotas.models import RotaPeriod, RotationTemplate, Seat, Shift


def manager_period_or_404(user: User, slug: str, pk: int) -> tuple[Membership, RotaPeriod]:
    """Return a period of the team the user manages; 404 for others, 403 for engineers."""
    membership = manager_membership_or_403(user, slug)
    period = (
        RotaPeriod.objects.select_related("template", "published_by")
        .filter(team_id=membership.team_id, pk=pk)
        .first()
    )
    if period is None:
        raise Http404("No such rota period.")
    period.team = membership.team
    return membership, period


def member_period_or_404(user: User, slug: str, pk: int) -> tuple[Membership, RotaPeriod]:
    """Return a period of the user's team: any for managers, only published ones for engineers."""
    membership = membership_or_404(user, slug)
    periods = RotaPeriod.objects.select_related("template", "published_by").filter(
        team_id=membership.team_id, pk=pk
    )
    if not membership.is_manager:
        periods = periods.filter(version__gt=0)
    period = periods.first()
    if period is None:
        raise Http404("No such rota period.")
    period.team = membership.team
    return membership, period


def manager_seat_or_404(
    user: User, slug: str, pk: int, seat_id: int
) -> tuple[Membership, RotaPeriod, Seat]:
    """Return a seat of a period of the team the user manages."""
    membership, period = manager_period_or_404(user, slug, pk)
    seat = (
        Seat.objects.select_related("shift__period__team", "proposed_holder", "holder")
        .filter(shift__period=period, pk=seat_id)
        .first()
    )
    if seat is None:
        raise Http404("No such seat.")
    return membership, period, seat


def manager_template_or_404(user: User, slug: str, pk: int) -> tuple[Membership, RotationTemplate]:
    """Return a rotation template of the team the user manages."""
    membership = manager_membership_or_403(user, slug)
    template = RotationTemplate.objects.filter(team=membership.team, pk=pk).first()
    if template is None:
        raise Http404("No such template.")
    return membership, template


def member_shift_or_404(user: User, pk: int) -> tuple[Membership, Shift]:
    """Return a shift of a team the user belongs to; anyone else gets 404."""
    shift = Shift.objects.select_related("team", "period").filter(pk=pk).first()
    if shift is None:
        raise Http404("No such shift.")
    return membership_or_404(user, shift.team.slug), shift
