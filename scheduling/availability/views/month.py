"""The engineer's month grid: mark days, time ranges, busy-block overrides, "I'm done"."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthedRequest
from rota import bounds
from scheduling.availability import hooks, services
from scheduling.availability.access import own_block_or_404, own_time_range_or_404
from scheduling.availability.forms import (
    MARK_CHOICES,
    MarkDaysForm,
    MonthForm,
    TimeRangeForm,
    format_seen,
)
from scheduling.availability.grid import month_grid
from scheduling.availability.models import CalendarConnection, Kind

MONTHS_SHOWN = 3


def _start_month(request: AuthedRequest) -> date:
    """Return the first month to show: ?start=YYYY-MM, else this month in the person's zone."""
    this_month = services.first_of_month(services.today_for(request.user))
    try:
        return bounds.parse_month(request.GET.get("start", request.POST.get("start", "")))
    except ValueError:
        return this_month


def _month_url(start: date) -> str:
    return f"{reverse('availability:month')}?start={start:%Y-%m}"


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _grid_context(request: AuthedRequest, start: date, form: MarkDaysForm | None = None) -> dict:
    grid = month_grid(user=request.user, start=start, count=MONTHS_SHOWN)
    return {
        "grid": grid,
        "start": start,
        "previous": services.add_months(start, -1),
        "next": services.add_months(start, 1),
        "form": form or MarkDaysForm(),
        "seen": format_seen(grid.marks),
        "range_form": TimeRangeForm(),
        "kinds": Kind.choices,
        "connections": list(CalendarConnection.objects.filter(user=request.user)),
        "today": services.today_for(request.user),
    }


def _held_days(request: HttpRequest) -> list[date]:
    """Return the days of ?held= (just marked unavailable), ignoring what cannot be read."""
    days = []
    for text in request.GET.get("held", "").split(",")[:62]:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            continue
    return days


def _held_context(request: AuthedRequest, days: list[date], start: date) -> dict:
    return {
        "held": hooks.held_seats(user=request.user, days=days),
        "back_url": _month_url(start),
    }


def _after_unavailable(start: date, days: list[date], user) -> str:
    """Return the month URL, naming the days when the person holds a shift on one of them."""
    url = _month_url(start)
    if hooks.held_seats(user=user, days=days):
        url += "&held=" + ",".join(d.isoformat() for d in sorted(set(days))[:62])
    return url


@login_required
@require_GET
def month(request: AuthedRequest) -> HttpResponse:
    """Show the coming months, one cell per day, with my marks, busy times and shifts."""
    start = _start_month(request)
    context = _grid_context(request, start)
    context.update(_held_context(request, _held_days(request), start))
    return render(request, "availability/month.html", context)


def _marks_payload(request: AuthedRequest, start: date) -> dict:
    grid = month_grid(user=request.user, start=start, count=MONTHS_SHOWN)
    return {
        "marks": {day.isoformat(): kind for day, kind in grid.marks.items()},
        "seen": format_seen(grid.marks),
    }


@login_required
@require_POST
def mark(request: AuthedRequest) -> HttpResponse:
    """Mark the picked days; a day changed elsewhere since the page loaded is a conflict."""
    start = _start_month(request)
    form = MarkDaysForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "message": message, **_marks_payload(request, start)}, status=400
            )
        return render(
            request, "availability/month.html", _grid_context(request, start, form), status=400
        )
    try:
        count = services.mark_days(
            user=request.user,
            days=form.cleaned_data["all_days"],
            kind=form.cleaned_data["mark"],
            note=form.cleaned_data["note"],
            seen=form.cleaned_data["seen"],
        )
    except services.Conflict as error:
        if _wants_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "conflict": True,
                    "message": str(error),
                    **_marks_payload(request, start),
                },
                status=409,
            )
        messages.error(request, str(error))
        return redirect(_month_url(start))
    except services.AvailabilityError as error:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "message": str(error), **_marks_payload(request, start)}, status=400
            )
        messages.error(request, str(error))
        return redirect(_month_url(start))
    label = dict(MARK_CHOICES)[form.cleaned_data["kind"]].lower()
    message = f"Saved: {count} day{'s' if count != 1 else ''} {label}."
    days = form.cleaned_data["all_days"] if form.cleaned_data["mark"] == "unavailable" else []
    if _wants_json(request):
        held = render_to_string(
            "availability/_held.html", _held_context(request, days, start), request=request
        )
        return JsonResponse(
            {"ok": True, "message": message, "held_html": held, **_marks_payload(request, start)}
        )
    messages.success(request, message)
    return redirect(_after_unavailable(start, days, request.user))


@login_required
@require_POST
def add_range(request: AuthedRequest) -> HttpResponse:
    """Mark part of a day."""
    start = _start_month(request)
    form = TimeRangeForm(request.POST)
    if not form.is_valid():
        context = _grid_context(request, start)
        context["range_form"] = form
        return render(request, "availability/month.html", context, status=400)
    try:
        entry = services.add_time_range(user=request.user, **form.cleaned_data)
    except services.AvailabilityError as error:
        context = _grid_context(request, start)
        form.add_error(None, str(error))
        context["range_form"] = form
        return render(request, "availability/month.html", context, status=400)
    messages.success(request, f"Saved: {entry.day:%a %-d %b}{entry.range_label} {entry.kind}.")
    days = [entry.day] if entry.kind == "unavailable" else []
    return redirect(_after_unavailable(start, days, request.user))


@login_required
@require_POST
def delete_range(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """Remove a part-of-day entry."""
    entry = own_time_range_or_404(request.user, entry_id)
    services.delete_time_range(entry=entry, by=request.user)
    messages.success(request, "Removed.")
    return redirect(_month_url(_start_month(request)))


@login_required
@require_POST
def override_block(request: AuthedRequest, block_id: int) -> HttpResponse:
    """Say "I can still be on call" for a busy time from my calendar, or take it back."""
    block = own_block_or_404(request.user, block_id)
    overridden = request.POST.get("overridden") == "1"
    services.set_block_override(block=block, overridden=overridden, by=request.user)
    messages.success(
        request,
        "Noted: you can still be on call then." if overridden else "That busy time counts again.",
    )
    return redirect(_month_url(_start_month(request)))


@login_required
@require_POST
def confirm(request: AuthedRequest) -> HttpResponse:
    """Record "I'm done for <month>" (or reopen it)."""
    reopen = "reopen_month" in request.POST
    form = MonthForm({"month": request.POST.get("reopen_month" if reopen else "month", "")})
    if not form.is_valid():
        messages.error(request, "That month could not be read; reload the page.")
        return redirect("availability:month")
    chosen = form.cleaned_data["month"]
    if reopen:
        services.reopen_month(user=request.user, month=chosen)
        messages.success(request, f"{chosen:%B %Y} is open again.")
    else:
        services.confirm_month(user=request.user, month=chosen)
        messages.success(request, f"Thanks: your availability for {chosen:%B %Y} is confirmed.")
    return redirect(_month_url(_start_month(request)))
