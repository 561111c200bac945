"""Recommend several teams at once: a manager of several teams plans them together."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.rotas import services
from scheduling.rotas.models import PeriodState, RotaPeriod, Seat

OPEN = (PeriodState.COLLECTING, PeriodState.RECOMMENDED)


def _next_periods(user) -> list[RotaPeriod]:
    """Return, for each team the user manages, its first period collecting or recommended."""
    teams = Membership.objects.managers().filter(user=user).values_list("team_id", flat=True)
    periods = (
        RotaPeriod.objects.filter(team_id__in=list(teams), state__in=OPEN)
        .select_related("team")
        .order_by("team__name", "starts_on")
    )
    first: dict[int, RotaPeriod] = {}
    for period in periods:
        first.setdefault(period.team_id, period)
    return list(first.values())


@login_required
@require_http_methods(["GET", "POST"])
def recommend_several(request: AuthedRequest) -> HttpResponse:
    """List the managed teams' next periods; recommend the chosen ones in one run."""
    periods = _next_periods(request.user)
    if request.method == "POST":
        chosen = set(request.POST.getlist("period"))
        picked = [p for p in periods if str(p.pk) in chosen]
        if not picked:
            messages.error(request, "Choose at least one team's period to recommend.")
            return redirect("rotas:recommend_several")
        services.recommend_periods(periods=picked, by=request.user)
        messages.success(
            request,
            f"Recommending {', '.join(p.team.name for p in picked)} in turn: a person in"
            " several of them is never proposed twice at once.",
        )
        return redirect("rotas:recommend_several")
    rows = []
    for period in periods:
        seats = Seat.objects.filter(shift__period=period)
        rows.append(
            {
                "period": period,
                "filled": seats.filter(proposed_holder__isnull=False).count(),
                "total": seats.count(),
                "recommendation": period.recommendations.first(),
            }
        )
    return render(request, "rotas/recommend_several.html", {"rows": rows})
