"""The cover emails: asked, reminder, escalation, covered, undone, swap offered and answered."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from rota import outbox
from scheduling.cover.ask_links import ask_url, swap_url
from scheduling.cover.models import Ask, AskState, CoverRequest, SwapOffer
from scheduling.rotas.models import Seat


def _stamp(moment) -> str:
    return f"{moment.timestamp():.0f}" if moment else "-"


def _send(messages: list[EmailMessage], *, key: str) -> int:
    """Write the emails to the outbox (one key per recipient); they are sent after commit."""
    return len(outbox.queue(((f"{key}:{m.to[0]}", m) for m in messages if m.to), kind="cover"))


def _message(*, to: User, subject: str, template: str, context: dict) -> EmailMessage:
    # Templates format dates in the active zone: make it the reader's.
    with timezone.override(to.tz):
        body = render_to_string(
            f"cover/email/{template}", {"user": to, "site": settings.SITE_URL, **context}
        )
    return EmailMessage(
        subject=f"[Rota] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to.contact_email],
    )


def partners(seat: Seat) -> list[Seat]:
    """Return the other filled seats of the seat's shift."""
    return list(
        Seat.objects.filter(shift_id=seat.shift_id, holder__isnull=False)
        .exclude(pk=seat.pk)
        .select_related("holder")
    )


def shift_url(seat: Seat) -> str:
    return settings.SITE_URL + reverse("rotas:shift", args=[seat.shift_id])


def request_url(request: CoverRequest) -> str:
    return settings.SITE_URL + reverse("cover:request", args=[request.team.slug, request.pk])


def managers(request: CoverRequest) -> list[User]:
    return [
        m.user
        for m in Membership.objects.managers().filter(team=request.team).select_related("user")
    ]


def _window(request: CoverRequest, user: User) -> dict:
    return {
        "start": request.starts_at.astimezone(user.tz),
        "end": request.ends_at.astimezone(user.tz),
    }


def send_ask(ask: Ask, *, reminder: bool = False) -> int:
    """Email one candidate the question with Agree and Decline links."""
    request = ask.request
    user = ask.candidate
    context = {
        "ask": ask,
        "request": request,
        "seat": request.seat,
        "partners": partners(request.seat),
        "reminder": reminder,
        "agree_url": ask_url(ask, "cover_agree"),
        "decline_url": ask_url(ask, "cover_decline"),
        "shift_url": shift_url(request.seat),
        "deadline": ask.wait_until.astimezone(user.tz) if ask.wait_until else None,
        **_window(request, user),
    }
    prefix = "Reminder: c" if reminder else "C"
    team, role, who = request.team.name, request.seat.role, request.requested_by.name
    subject = f"{prefix}an you cover {team} {role} for {who}?"
    key = f"cover-{'reminder' if reminder else 'ask'}:{ask.pk}"
    return _send([_message(to=user, subject=subject, template="ask.txt", context=context)], key=key)


def send_escalation(request: CoverRequest) -> int:
    """Email the managers that nobody has agreed yet, with the one-click assign page."""
    asks = list(request.asks.select_related("candidate").order_by("rank"))
    messages = [
        _message(
            to=manager,
            subject=f"Cover needed: {request.team.name} {request.seat.role} "
            f"for {request.requested_by.name}",
            template="escalation.txt",
            context={
                "request": request,
                "asks": asks,
                "declined": [a for a in asks if a.state == AskState.DECLINED],
                "url": request_url(request),
                **_window(request, manager),
            },
        )
        for manager in managers(request)
    ]
    return _send(messages, key=f"cover-escalation:{request.pk}:{_stamp(request.escalated_at)}")


def _distinct(users: Iterable[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def send_covered(request: CoverRequest) -> int:
    """Tell the requester, the new holder, the partners and the managers who covers."""
    seat = request.covered_seat or request.seat
    covered_by = request.covered_by
    if covered_by is None:
        return 0
    people = _distinct(
        [
            request.requested_by,
            request.covered_by,
            *[s.holder for s in partners(seat)],
            *managers(request),
        ]
    )
    messages = [
        _message(
            to=person,
            subject=f"Covered: {request.team.name} {request.seat.role} — "
            f"{covered_by.name} takes over",
            template="covered.txt",
            context={
                "request": request,
                "url": request_url(request),
                "shift_url": shift_url(seat),
                **_window(request, person),
            },
        )
        for person in people
    ]
    key = f"cover-covered:{request.pk}:{request.covered_by_id}:{_stamp(request.resolved_at)}"
    return _send(messages, key=key)


def send_undone(request: CoverRequest) -> int:
    """Tell the requester and the former cover that the cover was undone."""
    people = _distinct([request.requested_by, request.covered_by])
    messages = [
        _message(
            to=person,
            subject=f"Cover undone: {request.requested_by.name} holds the "
            f"{request.team.name} {request.seat.role} again",
            template="undone.txt",
            context={"request": request, "url": request_url(request), **_window(request, person)},
        )
        for person in people
    ]
    return _send(messages, key=f"cover-undone:{request.pk}:{_stamp(timezone.now())}")


def _seat_times(seat: Seat, user: User) -> dict:
    return {
        "start": seat.shift.starts_at.astimezone(user.tz),
        "end": seat.shift.ends_at.astimezone(user.tz),
        "seat": seat,
    }


def send_swap_offer(offer: SwapOffer) -> int:
    """Email the colleague the swap offer with Accept and Decline links."""
    user = offer.offered_to
    context = {
        "offer": offer,
        "mine": _seat_times(offer.to_seat, user),
        "theirs": _seat_times(offer.from_seat, user),
        "accept_url": swap_url(offer, "swap_accept"),
        "decline_url": swap_url(offer, "swap_decline"),
    }
    return _send(
        [
            _message(
                to=user,
                subject=f"{offer.offered_by.name} offers you a shift swap",
                template="swap_offer.txt",
                context=context,
            )
        ],
        key=f"swap-offer:{offer.pk}",
    )


def send_swap_answer(offer: SwapOffer) -> int:
    """Tell the offerer the answer."""
    user = offer.offered_by
    context = {
        "offer": offer,
        "mine": _seat_times(offer.from_seat, user),
        "theirs": _seat_times(offer.to_seat, user),
    }
    return _send(
        [
            _message(
                to=user,
                subject=f"Swap {offer.state}: {offer.offered_to.name}",
                template="swap_answer.txt",
                context=context,
            )
        ],
        key=f"swap-answer:{offer.pk}:{offer.state}",
    )
