"""My calendar connections: add an ICS address or CalDAV account, pick a calendar, sync, remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.requests import AuthedRequest
from scheduling.availability import connections as service
from scheduling.availability.access import own_connection_or_404
from scheduling.availability.forms import CaldavConnectionForm, IcsConnectionForm, PickCalendarForm
from scheduling.availability.models import CalendarConnection


def _page(
    request: AuthedRequest, *, ics_form=None, caldav_form=None, status: int = 200
) -> HttpResponse:
    context = {
        "connections": list(CalendarConnection.objects.filter(user=request.user)),
        "ics_form": ics_form or IcsConnectionForm(),
        "caldav_form": caldav_form or CaldavConnectionForm(),
    }
    return render(request, "availability/connections.html", context, status=status)


@login_required
@require_GET
def connections(request: AuthedRequest) -> HttpResponse:
    """List my calendar connections with their sync state, and forms to add one."""
    return _page(request)


@login_required
@require_POST
def add_ics(request: AuthedRequest) -> HttpResponse:
    """Connect a calendar by its .ics address."""
    form = IcsConnectionForm(request.POST)
    if form.is_valid():
        try:
            connection = service.add_ics_connection(user=request.user, **form.cleaned_data)
        except service.CalendarFetchError as error:
            form.add_error("url", str(error))
        else:
            messages.success(
                request, f"{connection.name} is connected; its busy times are being imported."
            )
            return redirect("availability:connections")
    return _page(request, ics_form=form, status=400)


@login_required
@require_POST
def add_caldav(request: AuthedRequest) -> HttpResponse:
    """Connect a CalDAV account, then pick which calendar to read."""
    form = CaldavConnectionForm(request.POST)
    if form.is_valid():
        try:
            connection, _calendars = service.add_caldav_connection(
                user=request.user, **form.cleaned_data
            )
        except service.CalendarFetchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Connected. Now pick the calendar Rota should read.")
            return redirect("availability:pick_calendar", connection_id=connection.pk)
    return _page(request, caldav_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def pick_calendar(request: AuthedRequest, connection_id: int) -> HttpResponse:
    """Pick one calendar of a CalDAV account."""
    connection = own_connection_or_404(request.user, connection_id)
    try:
        calendars = service.calendars_of(connection)
    except service.CalendarFetchError as error:
        messages.error(request, str(error))
        return redirect("availability:connections")
    form = PickCalendarForm(
        request.POST or None, calendars=calendars, initial={"calendar_url": connection.calendar_url}
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.pick_calendar(
                connection=connection,
                calendar_url=form.cleaned_data["calendar_url"],
                by=request.user,
            )
        except service.CalendarFetchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Rota reads {connection.calendar_name} from now on.")
            return redirect("availability:connections")
    return render(
        request, "availability/pick_calendar.html", {"connection": connection, "form": form}
    )


@login_required
@require_POST
def sync_now(request: AuthedRequest, connection_id: int) -> HttpResponse:
    """Re-import a calendar now."""
    connection = own_connection_or_404(request.user, connection_id)
    if connection.needs_calendar:
        messages.error(request, "Pick a calendar first.")
        return redirect("availability:pick_calendar", connection_id=connection.pk)
    service.request_sync(connection=connection)
    messages.success(request, f"{connection.name} is being imported; reload in a moment.")
    return redirect("availability:connections")


@login_required
@require_POST
def remove(request: AuthedRequest, connection_id: int) -> HttpResponse:
    """Disconnect a calendar."""
    connection = own_connection_or_404(request.user, connection_id)
    service.remove_connection(connection=connection, by=request.user)
    messages.success(request, f"{connection.name} is disconnected and its busy times are gone.")
    return redirect("availability:connections")
