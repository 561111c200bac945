"""Pay pages for managers: the month's report, its payroll CSV, locking, and the rules."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import manager_membership_or_403
from accounts.models import Team
from accounts.requests import AuthedRequest
from scheduling.pay import services
from scheduling.pay.errors import PayError
from scheduling.pay.forms import MonthForm, PolicyForm
from scheduling.pay.models import PayPolicy
from scheduling.rotas import grid_html, health


def _month(request: AuthedRequest, team: Team) -> date:
    today = timezone.localtime(timezone.now(), team.tz).date()
    default = services.previous_month(services.month_start(today))
    return MonthForm(request.GET or request.POST).month_or(default)


@login_required
@require_safe
def report(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show one month's pay per person, what payroll was sent, and the rotation's health."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    month = _month(request, team)
    pay = services.month_pay(team=team, month=month)
    start, end = services.window(team, month)
    shape = health.for_window(team=team, start=start, end=end)
    context = {
        "team": team,
        "membership": membership,
        "pay": pay,
        "month": month,
        "previous": services.previous_month(month),
        "next": services.next_month(month),
        "health": shape,
        "health_body": grid_html.health_rows(shape),
    }
    return render(request, "pay/report.html", context)


@login_required
@require_safe
def payroll_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    """Download the month's payroll CSV: one line per person and pay code."""
    membership = manager_membership_or_403(request.user, slug)
    month = _month(request, membership.team)
    pay = services.month_pay(team=membership.team, month=month)
    response = HttpResponse(services.payroll_csv(pay), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{membership.team.slug}-payroll-{month:%Y-%m}.csv"'
    )
    return response


@login_required
@require_POST
def lock(request: AuthedRequest, slug: str) -> HttpResponse:
    """Mark the month as sent to payroll."""
    membership = manager_membership_or_403(request.user, slug)
    month = _month(request, membership.team)
    try:
        services.lock_month(team=membership.team, month=month, by=request.user)
    except PayError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{month:%B %Y} is marked as sent to payroll. Later changes show as corrections"
            " in the next open month.",
        )
    return redirect(f"{reverse('pay:report', kwargs={'slug': slug})}?month={month:%Y-%m}")


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: AuthedRequest, slug: str) -> HttpResponse:
    """List the team's pay rules and add rules from a day on."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    latest = PayPolicy.objects.for_team(team).last()
    initial = {}
    if latest is not None:
        initial = {f"{r.role}_amount": r.amount for r in latest.rates.all()}
        initial |= {f"{r.role}_unit": r.unit for r in latest.rates.all()}
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                team=team,
                by=request.user,
                effective_from=form.cleaned_data["effective_from"],
                currency=form.cleaned_data["currency"],
                rates=form.rates(),
                **form.multipliers(),
            )
        except PayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Pay rules saved.")
            return redirect("pay:rules", slug=slug)
    context = {
        "team": team,
        "membership": membership,
        "policies": list(PayPolicy.objects.for_team(team).reverse()),
        "form": form,
    }
    return render(request, "pay/rules.html", context, status=400 if form.errors else 200)
