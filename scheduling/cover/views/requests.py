"""Cover pages: "can't make it", a request with its candidates and history, the team list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import AuditEntry, Membership
from accounts.requests import AuthedRequest
from rota.nexturl import local_next
from scheduling.cover import held, services, taking
from scheduling.cover.access import (
    manager_request_or_404,
    member_request_or_404,
    member_seat_or_404,
)
from scheduling.cover.emails import partners
from scheduling.cover.forms import AssignForm, CantMakeItForm, CoverSettingsForm, TakeForm
from scheduling.cover.models import CoverRequest, CoverSettings, State
from scheduling.rotas.models import Seat


@login_required
def cant_make_it(request: AuthedRequest, slug: str, seat_id: int) -> HttpResponse:
    """Say you cannot make (part of) a seat; a manager can say it for the holder."""
    membership, seat = member_seat_or_404(request.user, slug, seat_id)
    on_behalf = seat.holder_id != request.user.pk
    if on_behalf and not membership.is_manager:
        raise PermissionDenied("Only the holder or a manager can ask for cover for this seat.")
    holder = seat.holder
    if holder is None:
        raise Http404("Nobody holds this seat.")
    form = CantMakeItForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            cover = services.open_request(
                seat=seat,
                user=holder,
                reason=form.cleaned_data["reason"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                opened_by=request.user if on_behalf else None,
            )
        except services.CoverError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Recorded. Rota is asking your colleagues; "
                "you will get an email when someone agrees.",
            )
            return redirect("cover:request", slug, cover.pk)
    if not form.is_bound:
        form.initial.update(starts_at=seat.shift.starts_at, ends_at=seat.shift.ends_at)
    context = {
        "team": membership.team,
        "membership": membership,
        "seat": seat,
        "shift": seat.shift,
        "partners": partners(seat),
        "form": form,
        "on_behalf": on_behalf,
        "existing": CoverRequest.objects.active().filter(seat=seat).first(),
    }
    return render(request, "cover/cant_make_it.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def request_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Show a request: the seat, its state, the ranked candidates (managers) and its history."""
    membership, cover = member_request_or_404(request.user, slug, pk)
    asks = list(cover.asks.select_related("candidate").order_by("rank"))
    history = AuditEntry.objects.filter(
        target_type="cover.coverrequest", target_id=str(cover.pk)
    ).select_related("actor")
    context = {
        "team": membership.team,
        "membership": membership,
        "cover": cover,
        "shift": cover.seat.shift,
        "asks": asks,
        "my_ask": next((a for a in asks if a.candidate_id == request.user.pk), None),
        "history": list(history.order_by("at", "id")),
        "can_withdraw": cover.is_active
        and (cover.requested_by_id == request.user.pk or membership.is_manager),
        "can_undo": membership.is_manager
        and cover.state == State.COVERED
        and cover.starts_at > timezone.now(),
        "can_assign": membership.is_manager and cover.is_active,
        "can_take": taking.could_take(request=cover, user=request.user),
        "members": [
            m.user
            for m in Membership.objects.filter(team=membership.team)
            .exclude(user=cover.requested_by)
            .select_related("user")
        ],
    }
    return render(request, "cover/request.html", context)


@login_required
@require_POST
def withdraw(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """The requester (or a manager) withdraws an open request."""
    _, cover = member_request_or_404(request.user, slug, pk)
    try:
        services.withdraw(request=cover, by=request.user)
    except services.CoverError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Request withdrawn; you keep the shift.")
    return redirect("cover:request", slug, pk)


@login_required
@require_POST
def undo(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A manager undoes a completed cover before the shift starts."""
    _, cover = manager_request_or_404(request.user, slug, pk)
    try:
        services.undo(request=cover, by=request.user)
    except services.CoverError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Undone: {cover.requested_by.name} holds the shift again.")
    return redirect("cover:request", slug, pk)


@login_required
@require_POST
def assign(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A manager assigns someone to an open or escalated request in one click."""
    membership, cover = manager_request_or_404(request.user, slug, pk)
    form = AssignForm(request.POST)
    person = None
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(e) for e in form.non_field_errors()) or "Pick a member of this team.",
        )
        return redirect("cover:request", slug, pk)
    if form.is_valid():
        found = (
            Membership.objects.filter(team=membership.team, user_id=form.cleaned_data["user"])
            .select_related("user")
            .first()
        )
        person = found.user if found else None
    if person is None:
        messages.error(request, "Pick a member of this team.")
        return redirect("cover:request", slug, pk)
    try:
        if form.cleaned_data["starts_at"]:
            taking.take(
                request=cover,
                user=person,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        else:
            services.assign(request=cover, user=person, by=request.user)
    except services.CoverError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{person.name} now covers the shift; everyone is told.")
    return redirect("cover:request", slug, pk)


@login_required
@require_POST
def take(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """A colleague takes an open request, or a part of it, without a manager."""
    _, cover = member_request_or_404(request.user, slug, pk)
    form = TakeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.non_field_errors()) or "Check the times."
        )
        return redirect("cover:request", slug, pk)
    try:
        taking.take(
            request=cover,
            user=request.user,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
        )
    except services.CoverError as error:
        messages.error(request, str(error))
        return redirect("cover:request", slug, pk)
    messages.success(
        request, "The shift is yours. Your calendar and your colleague's are being updated."
    )
    return redirect(_next_or(request, reverse("rotas:shift", args=[cover.seat.shift_id])))


def _next_or(request: HttpRequest, default: str) -> str:
    """Return the local page the form came from (?next=), else the default."""
    return local_next(request, default, value=request.POST.get("next", ""))


@login_required
@require_safe
def team_requests(request: AuthedRequest, slug: str) -> HttpResponse:
    """List the team's cover requests: active first, then the recent ones."""
    membership = membership_or_404(request.user, slug)
    base = CoverRequest.objects.for_team(membership.team).select_related(
        "seat__shift", "requested_by", "covered_by"
    )
    context = {
        "team": membership.team,
        "membership": membership,
        "active": list(base.active().order_by("starts_at")),
        "recent": list(
            base.exclude(state__in=(State.OPEN, State.ESCALATED)).order_by("-created_at")[:30]
        ),
        "settings": CoverSettings.for_team(membership.team),
        "my_seats": list(
            Seat.objects.published()
            .filter(
                shift__team=membership.team,
                shift__ends_at__gt=timezone.now(),
                holder=request.user,
            )
            .select_related("shift")
            .order_by("shift__starts_at")[:20]
        ),
    }
    return render(request, "cover/team.html", context)


@login_required
def cover_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    """A manager chooses how the team looks for cover."""
    membership = manager_membership_or_403(request.user, slug)
    instance = CoverSettings.for_team(membership.team)
    form = CoverSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.update_settings(settings=instance, values=form.cleaned_data, by=request.user)
        messages.success(request, "Cover settings saved.")
        return redirect("cover:team", slug)
    return render(
        request,
        "cover/settings.html",
        {"team": membership.team, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def ask_for_seats(request: AuthedRequest) -> HttpResponse:
    """Ask for cover for the seats I hold on days I just marked unavailable, in one step."""
    ids = [int(v) for v in request.POST.getlist("seats") if v.isdigit()][:50]
    opened, refused = held.ask_for_cover(
        user=request.user, seat_ids=ids, reason=request.POST.get("reason", "")[:300]
    )
    if opened:
        messages.success(
            request,
            f"Asking colleagues to cover {len(opened)} shift{'s' if len(opened) != 1 else ''}; "
            "you will get an email when someone agrees.",
        )
    for text in refused:
        messages.error(request, text)
    if not opened and not refused:
        messages.error(request, "Pick at least one of your shifts.")
    return redirect(_next_or(request, reverse("oncall:my_shifts")))
