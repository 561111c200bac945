"""Pages for everyone: my shifts, on call now (per team and all my teams), handover notes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import membership_or_404
from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.oncall import cover_stats, services
from scheduling.oncall.access import member_shift_or_404
from scheduling.oncall.forms import HandoverForm, PreferencesForm
from scheduling.oncall.lookup import incoming_notes, on_call, on_call_for_teams, published_seats
from scheduling.oncall.models import HandoverNote
from scheduling.oncall.presenters import contacts_by_team
from scheduling.oncall.presenters import my_shifts as my_shift_rows

PAST_PER_PAGE = 10


@login_required
@require_safe
def my_shifts(request: AuthedRequest) -> HttpResponse:
    """List my current, upcoming and past shifts with partners, notes, covers and contacts."""
    now = timezone.now()
    rows, past = my_shift_rows(request.user, now)
    past_page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("past"))
    team_ids = {row.seat.shift.team_id for row in rows}
    contacts = contacts_by_team(team_ids)
    teams = {row.seat.shift.team_id: row.seat.shift.team for row in rows}
    context = {
        "rows": rows,
        "current": [row for row in rows if row.now],
        "past_page": past_page,
        "contact_groups": [
            (teams[pk], contacts.get(pk, [])) for pk in sorted(teams, key=lambda pk: teams[pk].name)
        ],
        "preferences_form": PreferencesForm(instance=services.preferences_for(request.user)),
        "is_manager": Membership.objects.managers().filter(user=request.user).exists(),
    }
    return render(request, "oncall/my_shifts.html", context)


@login_required
@require_POST
def preferences(request: AuthedRequest) -> HttpResponse:
    """Save which reminders I want."""
    form = PreferencesForm(request.POST)
    if form.is_valid():
        services.save_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, "Reminder preferences saved.")
    else:
        messages.error(request, "Your reminder preferences could not be saved.")
    return redirect("oncall:my_shifts")


@login_required
@require_safe
def now_team(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show who is on call now for the team, the next handoff and open cover requests."""
    membership = membership_or_404(request.user, slug)
    now = timezone.now()
    state = on_call(membership.team, now)
    context = {
        "team": membership.team,
        "membership": membership,
        "state": state,
        "cover_requests": cover_stats.open_requests_for_teams([membership.team.pk], now).get(
            membership.team.pk, []
        ),
    }
    return render(request, "oncall/now_team.html", context)


@login_required
@require_safe
def now_all(request: AuthedRequest) -> HttpResponse:
    """Show who is on call now in each of my teams."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("team").order_by("team__name")
    )
    now = timezone.now()
    states = on_call_for_teams([m.team for m in memberships], now, with_notes=False)
    covers = cover_stats.open_requests_for_teams([m.team_id for m in memberships], now)
    rows = [(m, states[m.team_id], covers.get(m.team_id, [])) for m in memberships]
    return render(request, "oncall/now_all.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: AuthedRequest, pk: int) -> HttpResponse:
    """Write my handover note on a shift, and read the notes handed to it."""
    membership, shift = member_shift_or_404(request.user, pk)
    mine = HandoverNote.objects.filter(shift=shift, author=request.user).first()
    form = HandoverForm(request.POST or None, initial={"body": mine.body if mine else ""})
    if request.method == "POST" and form.is_valid():
        try:
            note = services.write_handover_note(
                shift=shift, author=request.user, body=form.cleaned_data["body"]
            )
        except services.OncallError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Handover note saved." if note else "Handover note removed.")
            return redirect("oncall:handover", pk=shift.pk)
    context = {
        "team": shift.team,
        "membership": membership,
        "shift": shift,
        "seats": list(
            published_seats().filter(shift=shift).select_related("holder").order_by("role")
        ),
        "published": shift.period.version >= 1 or shift.period.state == "published",
        "form": form,
        "can_write": services.can_write_handover(shift=shift, user=request.user)
        and services.handover_open(shift),
        "notes": list(shift.handover_notes.select_related("author")),
        "incoming": incoming_notes([shift]).get(shift.pk, []),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "oncall/handover.html", context, status=status)
