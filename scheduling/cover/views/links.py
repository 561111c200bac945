"""Signed agree/decline pages (GET shows, POST decides) and direct swap offers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import membership_or_404
from accounts.requests import AuthedRequest
from rota.links import Link, LinkInvalid, consume, read_token
from scheduling.cover import services, swaps
from scheduling.cover.access import member_seat_or_404
from scheduling.cover.ask_links import ASK_ACTIONS, SWAP_ACTIONS
from scheduling.cover.emails import partners
from scheduling.cover.forms import SwapForm
from scheduling.cover.models import ACTIVE, Ask, AskState, SwapOffer, SwapState

STATUS = {"tampered": 400, "wrong_action": 400, "wrong_person": 403, "expired": 410, "used": 410}


def _invalid(request: HttpRequest, error: LinkInvalid) -> HttpResponse:
    return render(request, "cover/link_invalid.html", {"error": error}, status=STATUS[error.reason])


def _done(
    request: HttpRequest, *, title: str, text: str, ask: Ask | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request, "cover/link_done.html", {"title": title, "text": text, "ask": ask}, status=status
    )


def _ask_for(link: Link) -> Ask | None:
    return (
        Ask.objects.select_related(
            "candidate",
            "request__team",
            "request__seat__shift",
            "request__requested_by",
            "request__covered_by",
        )
        .filter(pk=link.object_id, candidate_id=link.user_id)
        .first()
    )


@require_http_methods(["GET", "POST"])
def ask_link(request: HttpRequest, token: str) -> HttpResponse:
    """Show the question with its shift, role, partner and dates; the POST records the answer."""
    try:
        link = read_token(token, action=ASK_ACTIONS, user=request.user)
    except LinkInvalid as error:
        return _invalid(request, error)
    ask = _ask_for(link)
    if ask is None:
        return _invalid(request, LinkInvalid("tampered"))
    if not request.user.is_authenticated:
        # Signed out: show times in the zone of the person the link was sent to.
        timezone.activate(ask.candidate.tz)
    cover = ask.request
    agreeing = link.action == "cover_agree"
    if cover.state not in ACTIVE or ask.state in (AskState.SUPERSEDED, AskState.AGREED):
        covered = cover.covered_by_id and cover.covered_by_id != ask.candidate_id
        text = (
            "Someone else already agreed to cover this shift. Thank you for offering."
            if covered
            else "This request is closed; nothing more is needed from you."
        )
        title = "Already covered, thank you" if covered else "Nothing to do"
        if ask.state == AskState.AGREED:
            title, text = "Already done", "You agreed to cover this shift; it is yours. Thank you."
        return _done(
            request,
            title=title,
            text=text,
            ask=ask,
        )
    if link.is_used():
        return _invalid(request, LinkInvalid("used"))
    if request.method == "GET":
        # GET only shows: mail scanners open links before people do.
        context = {
            "ask": ask,
            "cover": cover,
            "seat": cover.seat,
            "partners": partners(cover.seat),
            "agreeing": agreeing,
        }
        return render(request, "cover/link.html", context)
    try:
        with transaction.atomic():
            consume(link)
            if agreeing:
                services.agree(ask=ask)
            else:
                services.decline(ask=ask)
    except LinkInvalid as error:
        return _invalid(request, error)
    except services.AlreadyCovered:
        return _done(
            request,
            title="Already covered, thank you",
            text="Someone else agreed first. Thank you for offering.",
            ask=ask,
        )
    except services.CoverError as error:
        return _done(request, title="Nothing changed", text=str(error), ask=ask, status=409)
    if agreeing:
        return _done(
            request,
            title="Thank you — the shift is yours",
            text="Your calendar is being updated and everyone concerned is told.",
            ask=ask,
        )
    return _done(request, title="Thanks for answering", text="We are asking someone else.", ask=ask)


@require_http_methods(["GET", "POST"])
def swap_link(request: HttpRequest, token: str) -> HttpResponse:
    """Show a swap offer; the POST accepts or declines it."""
    try:
        link = read_token(token, action=SWAP_ACTIONS, user=request.user)
    except LinkInvalid as error:
        return _invalid(request, error)
    offer = (
        SwapOffer.objects.select_related(
            "team", "from_seat__shift", "to_seat__shift", "offered_by", "offered_to"
        )
        .filter(pk=link.object_id, offered_to_id=link.user_id)
        .first()
    )
    if offer is None:
        return _invalid(request, LinkInvalid("tampered"))
    if not request.user.is_authenticated:
        timezone.activate(offer.offered_to.tz)
    if offer.state != SwapState.OPEN:
        return _done(
            request,
            title="Nothing to do",
            text=f"This offer is {offer.get_state_display().lower()}.",
        )
    if link.is_used():
        return _invalid(request, LinkInvalid("used"))
    accepting = link.action == "swap_accept"
    if request.method == "GET":
        return render(request, "cover/swap_link.html", {"offer": offer, "accepting": accepting})
    try:
        with transaction.atomic():
            consume(link)
            swaps.answer_swap(offer=offer, accept=accepting, by=offer.offered_to)
    except LinkInvalid as error:
        return _invalid(request, error)
    except services.CoverError as error:
        return _done(request, title="Nothing changed", text=str(error), status=409)
    if accepting:
        return _done(
            request,
            title="Swapped",
            text="Both shifts changed hands; your calendars are being updated.",
        )
    return _done(request, title="Declined", text=f"We told {offer.offered_by.name}.")


@login_required
def offer_swap(request: AuthedRequest, slug: str, seat_id: int) -> HttpResponse:
    """Offer my seat in exchange for one of a colleague's."""
    membership, seat = member_seat_or_404(request.user, slug, seat_id)
    if seat.holder_id != request.user.pk:
        raise PermissionDenied("You can only offer a seat you hold.")
    candidates, refused = swaps.swap_choices(seat=seat, user=request.user)
    form = SwapForm(request.POST or None, seats=candidates, tz=request.user.tz)
    if request.method == "POST" and form.is_valid():
        target = next((s for s in candidates if s.pk == form.cleaned_data["to_seat"]), None)
        try:
            if target is None:
                raise services.CoverError("Pick one of the listed shifts.")
            offer = swaps.offer_swap(
                from_seat=seat, to_seat=target, by=request.user, note=form.cleaned_data["note"]
            )
        except services.CoverError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Offer sent to {offer.offered_to.name}.")
            return redirect("cover:team", slug)
    context = {
        "team": membership.team,
        "membership": membership,
        "seat": seat,
        "form": form,
        "candidates": candidates,
        "refused": refused,
    }
    return render(request, "cover/swap_new.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_swap(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """The offerer withdraws an open swap offer."""
    membership = membership_or_404(request.user, slug)
    offer = SwapOffer.objects.filter(team=membership.team, pk=pk).first()
    if offer is None:
        raise Http404("No such offer.")
    try:
        swaps.withdraw_swap(offer=offer, by=request.user)
    except services.CoverError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Offer withdrawn.")
    return redirect("cover:team", slug)
