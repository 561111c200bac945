"""Periods list, creation, the period calendar and period-level actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.requests import AuthedRequest
from rota import bounds
from scheduling.rotas import calendar, emails, progress, services
from scheduling.rotas.access import manager_period_or_404, member_period_or_404
from scheduling.rotas.forms import PeriodForm, PublishForm
from scheduling.rotas.models import PeriodState, Recommendation, RotaPeriod, RotationTemplate
from scheduling.rotas.services.periods import next_period_dates
from scheduling.rotas.views.published import published_period


@login_required
@require_http_methods(["GET", "POST"])
def periods(request: AuthedRequest, slug: str) -> HttpResponse:
    """List the team's rota periods and create a new one; engineers see the published ones."""
    membership = membership_or_404(request.user, slug)
    team = membership.team
    if request.method == "POST" or not membership.is_manager:
        if request.method == "POST":
            manager_membership_or_403(request.user, slug)
        elif not membership.is_manager:
            published = RotaPeriod.objects.for_team(team).filter(version__gt=0)
            return render(
                request,
                "rotas/periods.html",
                {"team": team, "membership": membership, "periods": published},
            )
    first, last = next_period_dates(team)
    form = PeriodForm(
        request.POST or None, team=team, initial={"starts_on": first, "ends_on": last}
    )
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(
                team=team,
                template=form.cleaned_data["template"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except services.PeriodOverlap as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Period created. Open it for availability when you are ready."
            )
            return redirect("rotas:period", slug=slug, pk=period.pk)
    context = {
        "team": team,
        "membership": membership,
        "periods": RotaPeriod.objects.for_team(team).select_related("template", "published_by"),
        "templates": RotationTemplate.objects.filter(team=team),
        "form": form,
    }
    return render(request, "rotas/periods.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def period(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Show the period calendar to managers; members see the published rota read-only."""
    membership, period = member_period_or_404(request.user, slug, pk)
    if not membership.is_manager:
        return published_period(request, membership, period)
    sections = calendar.cached_sections(period)
    context = {
        "team": period.team,
        "membership": membership,
        "period": period,
        "sections": sections,
        "recommendation": sections["recommendation"],
        "publish_form": PublishForm(),
        "pending": sections["pending"],
        "announcing": progress.announcing(period_id=period.pk),
        "States": PeriodState,
        "waiting_emails": emails.waiting_summaries(period),
    }
    seat_id = bounds.query_int(request, "seat")
    if seat_id is not None:
        # The open seat is marked by the page (a style rule), not in the cached sections.
        context.update(calendar.seat_panel(period, seat_id))
    return render(request, "rotas/period.html", context)


@login_required
@require_POST
def open_collecting(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Start collecting availability for a draft period."""
    _, period = manager_period_or_404(request.user, slug, pk)
    try:
        services.open_collecting(period=period, by=request.user)
    except services.RotaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The period is open: the team can enter their availability.")
    return redirect("rotas:period", slug=slug, pk=pk)


@login_required
@require_POST
def recommend(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Queue the engine for this period."""
    _, period = manager_period_or_404(request.user, slug, pk)
    try:
        services.request_recommendation(period=period, by=request.user)
    except services.RotaError as error:
        messages.error(request, str(error))
    return redirect("rotas:period", slug=slug, pk=pk)


@login_required
@require_safe
def recommendation_status(request: AuthedRequest, slug: str, pk: int) -> JsonResponse:
    """Return what the period is waiting for (the engine, the announcement) for the progress."""
    _, period = manager_period_or_404(request.user, slug, pk)
    latest: Recommendation | None = period.recommendations.first()
    announcing = progress.announcing(period_id=period.pk)
    body: dict = {
        "status": "none" if latest is None else latest.status,
        "announcing": announcing is not None,
        "url": reverse("rotas:period", kwargs={"slug": slug, "pk": pk}),
    }
    if latest is not None:
        body.update(finished=latest.finished, error=latest.error)
    body["busy"] = body["announcing"] or (latest is not None and not latest.finished)
    return JsonResponse(body)


@login_required
@require_POST
def accept(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Lock every recommended seat (accept the recommendation as a whole)."""
    _, period = manager_period_or_404(request.user, slug, pk)
    count = services.accept_recommendation(period=period, by=request.user)
    messages.success(
        request,
        f"Accepted {count} seat{'s' if count != 1 else ''}:"
        " they stay as they are when you recommend again.",
    )
    return redirect("rotas:period", slug=slug, pk=pk)


@login_required
@require_POST
def publish(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Publish the period; empty seats need an explicit confirmation that names them."""
    _, period = manager_period_or_404(request.user, slug, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = services.publish(
            period=period,
            by=request.user,
            confirm_unfilled=form.cleaned_data.get("confirm_unfilled", False),
            note=form.cleaned_data.get("note", ""),
        )
    except services.UnfilledSeats as error:
        return render(
            request,
            "rotas/confirm_publish.html",
            {"team": period.team, "period": period, "error": error, "seats": error.seats},
            status=409,
        )
    except services.RotaError as error:
        messages.error(request, str(error))
    else:
        if version is None:
            messages.info(request, "Nothing changed since the last version: nothing was published.")
        else:
            messages.success(request, f"Published version {version.number}.")
    return redirect("rotas:period", slug=slug, pk=pk)
