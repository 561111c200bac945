"""One-click seat actions: assign (with a confirmation for warnings), clear, lock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.rotas import calendar, services
from scheduling.rotas.access import manager_period_or_404, manager_seat_or_404
from scheduling.rotas.forms import AssignForm


def _version(request: HttpRequest) -> int | None:
    """Return the seat version the page was built from (None from an older page)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _back(slug: str, pk: int, seat_id: int, *, changed: bool = False) -> HttpResponse:
    # changed=1: the panel says the seat changed meanwhile, above the seat as it is now.
    query = f"?seat={seat_id}" + ("&changed=1" if changed else "")
    return redirect(
        reverse("rotas:period", kwargs={"slug": slug, "pk": pk}) + query + "#seat-panel"
    )


@login_required
@require_safe
def panel(request: AuthedRequest, slug: str, pk: int, seat_id: int) -> HttpResponse:
    """Return the seat panel alone: the period page opens it here without a full page load."""
    _, period = manager_period_or_404(request.user, slug, pk)
    context = calendar.seat_panel(period, seat_id)
    if not context:
        return HttpResponse("No such seat.", status=404, content_type="text/plain")
    context.update(team=period.team, period=period)
    return render(request, "rotas/_seat_panel.html", context)


@login_required
@require_POST
def assign(request: AuthedRequest, slug: str, pk: int, seat_id: int) -> HttpResponse:
    """Put a member in the seat; confirm first when a rule would be broken."""
    membership, period, seat = manager_seat_or_404(request.user, slug, pk, seat_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a person for the seat.")
        return _back(slug, pk, seat_id)
    user_membership = (
        Membership.objects.select_related("user")
        .filter(team=membership.team, user_id=form.cleaned_data["user"])
        .first()
    )
    if user_membership is None:
        raise Http404("No such member.")
    person = user_membership.user
    try:
        services.assign_seat(
            seat=seat,
            user=person,
            by=request.user,
            confirm=form.cleaned_data["confirm"],
            expected_version=form.cleaned_data["version"],
        )
    except services.ChangedMeanwhile:
        return _back(slug, pk, seat_id, changed=True)
    except services.NeedsConfirmation as warning:
        context = {
            "team": period.team,
            "period": period,
            "seat": seat,
            "person": person,
            "warnings": warning.warnings,
            "version": form.cleaned_data["version"],
        }
        return render(request, "rotas/confirm_assign.html", context, status=409)
    messages.success(
        request, f"{person.name} is in {services.describe_seat(seat, period.team.tz)}."
    )
    return _back(slug, pk, seat_id)


@login_required
@require_POST
def clear(request: AuthedRequest, slug: str, pk: int, seat_id: int) -> HttpResponse:
    """Empty the seat."""
    _, period, seat = manager_seat_or_404(request.user, slug, pk, seat_id)
    try:
        services.clear_seat(seat=seat, by=request.user, expected_version=_version(request))
    except services.ChangedMeanwhile:
        return _back(slug, pk, seat_id, changed=True)
    messages.success(request, f"Cleared {services.describe_seat(seat, period.team.tz)}.")
    return _back(slug, pk, seat_id)


@login_required
@require_POST
def lock(request: AuthedRequest, slug: str, pk: int, seat_id: int) -> HttpResponse:
    """Lock or unlock the seat (locked seats are fixed for the engine)."""
    _, period, seat = manager_seat_or_404(request.user, slug, pk, seat_id)
    try:
        services.set_locked(
            seat=seat,
            locked=request.POST.get("locked") == "1",
            by=request.user,
            expected_version=_version(request),
        )
    except services.ChangedMeanwhile:
        return _back(slug, pk, seat_id, changed=True)
    except services.RotaError as error:
        messages.error(request, str(error))
    return _back(slug, pk, seat_id)
