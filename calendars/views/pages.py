"""The My calendar page, its actions, and the manager's view of who has no calendar channel."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import manager_membership_or_403
from accounts.models import Membership
from accounts.requests import AuthedRequest
from calendars import overview, services
from calendars.forms import PreferencesForm, PushForm
from calendars.models import CalendarPreferences, PushTarget, TeamFeed
from calendars.push import PushError
from scheduling.availability.models import CalendarConnection, ConnectionKind


def _feed_links(path: str) -> dict[str, str]:
    https = settings.SITE_URL + path
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _accounts(user) -> list[CalendarConnection]:
    return list(
        CalendarConnection.objects.filter(user=user, kind=ConnectionKind.CALDAV).order_by("name")
    )


def _page(
    request: AuthedRequest, *, prefs_form=None, push_form=None, status: int = 200
) -> HttpResponse:
    user = request.user
    prefs = CalendarPreferences.for_user(user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("team").order_by("team__name")
    )
    team_feeds = [
        {
            "membership": m,
            "links": _feed_links(
                reverse("calendars:team_feed", args=[TeamFeed.for_team(m.team).token])
            ),
        }
        for m in memberships
    ]
    accounts = _accounts(user)
    target = PushTarget.objects.filter(user=user).first()
    initial = (
        {
            "server_url": target.server_url,
            "username": target.username,
            "calendar_name": target.calendar_name,
        }
        if target
        else {}
    )
    context = {
        "prefs": prefs,
        "feed": _feed_links(reverse("calendars:feed", args=[prefs.feed_token])),
        "team_feeds": team_feeds,
        "prefs_form": prefs_form or PreferencesForm(instance=prefs),
        "push_form": push_form or PushForm(accounts=accounts, initial=initial),
        "target": target,
        "pending": services.status_counts(user=user),
        "upcoming": services.upcoming_entries(user=user),
        "reads_feed": prefs.reads_feed(),
        "now": timezone.now(),
    }
    return render(request, "calendars/home.html", context, status=status)


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """Show my feed links, my channels and the state of my CalDAV push."""
    return _page(request)


@login_required
@require_POST
def regenerate(request: AuthedRequest) -> HttpResponse:
    """Replace my feed address; calendars subscribed to the old one stop updating."""
    services.regenerate_feed_token(user=request.user)
    messages.success(
        request, "Your feed has a new address. Subscribe to it again; the old one no longer works."
    )
    return redirect("calendars:home")


@login_required
@require_POST
def preferences(request: AuthedRequest) -> HttpResponse:
    """Save my channel choices."""
    form = PreferencesForm(request.POST, instance=CalendarPreferences.for_user(request.user))
    if not form.is_valid():
        return _page(request, prefs_form=form, status=400)
    services.update_preferences(user=request.user, **form.cleaned_data)
    messages.success(request, "Calendar choices saved.")
    return redirect("calendars:home")


@login_required
@require_POST
def push_connect(request: AuthedRequest) -> HttpResponse:
    """Connect (or fix) the CalDAV calendar my shifts are pushed to."""
    form = PushForm(request.POST, accounts=_accounts(request.user))
    if not form.is_valid():
        return _page(request, push_form=form, status=400)
    data = form.cleaned_data
    try:
        target = services.connect_push(
            user=request.user,
            server_url=data["server_url"],
            username=data["username"],
            password=data["password"],
            calendar_name=data["calendar_name"].strip(),
        )
    except PushError as error:
        form.add_error(None, f"Could not use this calendar: {error}")
        return _page(request, push_form=form, status=400)
    messages.success(
        request, f"Your shifts are being pushed to the calendar \u201c{target.calendar_name}\u201d."
    )
    return redirect("calendars:home")


@login_required
@require_POST
def push_disconnect(request: AuthedRequest) -> HttpResponse:
    """Stop pushing my shifts over CalDAV, removing them from the calendar if asked."""
    remove = request.POST.get("remove_events") == "1"
    services.disconnect_push(user=request.user, remove_events=remove)
    messages.success(
        request,
        "Rota no longer pushes your shifts and is removing them from that calendar."
        if remove
        else "Rota no longer pushes your shifts to that calendar; the events already there stay.",
    )
    return redirect("calendars:home")


@login_required
@require_POST
def team_regenerate(request: AuthedRequest, slug: str) -> HttpResponse:
    """Replace the team feed's address (managers)."""
    membership = manager_membership_or_403(request.user, slug)
    services.regenerate_team_token(team=membership.team, by=request.user)
    messages.success(
        request, f"The {membership.team.name} feed has a new address; the old one no longer works."
    )
    return redirect("calendars:home")


@login_required
@require_GET
def team_channels(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show the team's members and how their shifts reach them; who has no channel comes first."""
    membership = manager_membership_or_403(request.user, slug)
    rows = overview.team_rows(membership.team)
    context = {
        "team": membership.team,
        "membership": membership,
        "rows": rows,
        "without": [row for row in rows if not row.channels],
    }
    return render(request, "calendars/team_channels.html", context)
