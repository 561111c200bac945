"""A shift's page for its team, and my upcoming shifts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.requests import AuthedRequest
from scheduling.rotas.access import member_shift_or_404


@login_required
@require_safe
def shift(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show the shift: who holds each role, handover notes, escalation and my actions."""
    membership, shift = member_shift_or_404(request.user, pk)
    published = shift.period.version > 0
    seats = list(shift.seats.select_related("holder", "proposed_holder").order_by("role"))
    context = {
        "team": shift.team,
        "membership": membership,
        "shift": shift,
        "seats": seats,
        "published": published,
        "my_seats": [s for s in seats if published and s.holder_id == request.user.pk],
        "partners": [
            s for s in seats if published and s.holder_id and s.holder_id != request.user.pk
        ],
        "contacts": list(shift.team.escalation_contacts.all()),
    }
    return render(request, "rotas/shift.html", context)
