"""The manager's view of a team's availability: people × days, settings and the deadline."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import manager_membership_or_403
from accounts.models import Membership
from accounts.requests import AuthedRequest
from rota import bounds
from scheduling.availability import services
from scheduling.availability.forms import DeadlineForm, TeamSettingsForm
from scheduling.availability.models import AvailabilityDeadline, MonthConfirmation

STATE_LABELS = {
    "preferred": ("P", "preferred"),
    "available": ("A", "available"),
    "unavailable": ("U", "unavailable"),
    "busy": ("B", "busy (calendar)"),
    "unknown": ("?", "not marked"),
}


def _month(request: HttpRequest) -> date | None:
    """Return the first day of ?month=YYYY-MM, or None."""
    try:
        return bounds.parse_month(request.GET.get("month", ""))
    except ValueError:
        return None


@login_required
@require_GET
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show the team's availability for a month, people × days."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    this_month = services.first_of_month(services.today_for(request.user))
    month = _month(request) or services.add_months(this_month, 1)
    last = services.add_months(month, 1) - timedelta(days=1)
    days = [month + timedelta(days=n) for n in range(last.day)]
    states = services.day_states_for_team(team=team, first=month, last=last)
    members = list(
        Membership.objects.filter(team=team).select_related("user").order_by("user__display_name")
    )
    confirmed = set(
        MonthConfirmation.objects.filter(month=month, user__memberships__team=team).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        {
            "user": m.user,
            "confirmed": m.user_id in confirmed,
            "cells": [
                (day, *STATE_LABELS[states[m.user_id][day]], states[m.user_id][day]) for day in days
            ],
        }
        for m in members
    ]
    deadline = AvailabilityDeadline.objects.filter(team=team, month=month).first()
    current = services.settings_for(team)
    context = {
        "team": team,
        "membership": membership,
        "month": month,
        "previous": services.add_months(month, -1),
        "next": services.add_months(month, 1),
        "days": days,
        "rows": rows,
        "confirmed_count": len([row for row in rows if row["confirmed"]]),
        "deadline": deadline,
        "deadline_form": DeadlineForm(
            initial={
                "month": f"{month:%Y-%m}",
                "due_on": deadline.due_on if deadline else month - timedelta(days=10),
            }
        ),
        "settings_form": TeamSettingsForm(initial={"unmarked_means": current.unmarked_means}),
        "legend": [(code, label, state) for state, (code, label) in STATE_LABELS.items()],
    }
    return render(request, "availability/team.html", context)


def _team_url(slug: str, month: date | None = None) -> str:
    url = reverse("availability:team", args=[slug])
    return f"{url}?month={month:%Y-%m}" if month else url


@login_required
@require_POST
def team_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    """Decide what an unmarked day means for the team."""
    membership = manager_membership_or_403(request.user, slug)
    form = TeamSettingsForm(request.POST)
    if form.is_valid():
        services.update_settings(
            team=membership.team,
            unmarked_means=form.cleaned_data["unmarked_means"],
            by=request.user,
        )
        messages.success(request, "Availability settings saved.")
    else:
        messages.error(request, "Pick what an unmarked day means.")
    return redirect(_team_url(slug, _month(request)))


@login_required
@require_POST
def set_deadline(request: AuthedRequest, slug: str) -> HttpResponse:
    """Set "availability for <month> due by <date>"."""
    membership = manager_membership_or_403(request.user, slug)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
        return redirect(_team_url(slug))
    month = form.cleaned_data["month"]
    try:
        services.set_deadline(
            team=membership.team, month=month, due_on=form.cleaned_data["due_on"], by=request.user
        )
    except services.AvailabilityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Availability for {month:%B %Y} is due by {form.cleaned_data['due_on']:%-d %B %Y}.",
        )
    return redirect(_team_url(slug, month))
