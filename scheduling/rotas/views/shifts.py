"""A shift's page for its team, and my upcoming shifts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scheduling.rotas.access import member_shift_or_404
from scheduling.rotas.models import PeriodState, Seat


@login_required
def shift(request: HttpRequest, pk: int) -> HttpResponse:
    """Show who holds each role, their on-call phones and the escalation contacts."""
    membership, shift = member_shift_or_404(request.user, pk)
    published = shift.period.version > 0
    seats = list(shift.seats.select_related("holder", "proposed_holder").order_by("role"))
    context = {
        "team": shift.team,
        "membership": membership,
        "shift": shift,
        "seats": seats,
        "published": published,
        "contacts": list(shift.team.escalation_contacts.all()),
    }
    return render(request, "rotas/shift.html", context)


@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    """List my upcoming published seats with role, times in my zone and partners."""
    mine = list(
        Seat.objects.filter(
            holder=request.user, shift__ends_at__gt=_now(), shift__period__version__gt=0
        )
        .select_related("shift__team")
        .order_by("shift__starts_at")[:100]
    )
    partners: dict[int, list[Seat]] = {}
    for seat in (
        Seat.objects.filter(shift__in=[s.shift_id for s in mine], holder__isnull=False)
        .exclude(holder=request.user)
        .select_related("holder")
    ):
        partners.setdefault(seat.shift_id, []).append(seat)
    rows = [{"seat": s, "partners": partners.get(s.shift_id, [])} for s in mine]
    return render(request, "rotas/my_shifts.html", {"rows": rows, "States": PeriodState})


def _now():
    from django.utils import timezone

    return timezone.now()
