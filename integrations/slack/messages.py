"""The text and Block Kit of what Rota says in Slack, in the reader's time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from accounts.models import Team, User
from scheduling.cover.models import Ask, CoverRequest, SwapOffer
from scheduling.oncall.lookup import OnCall
from scheduling.rotas.models import Seat
from scheduling.rotas.services.periods import describe_seat

Blocks = list[dict[str, Any]]


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _buttons(block_id: str, yes: tuple[str, str], no: tuple[str, str], value: str) -> dict:
    return {
        "type": "actions",
        "block_id": block_id,
        "elements": [
            {
                "type": "button",
                "action_id": yes[0],
                "text": {"type": "plain_text", "text": yes[1]},
                "style": "primary",
                "value": value,
            },
            {
                "type": "button",
                "action_id": no[0],
                "text": {"type": "plain_text", "text": no[1]},
                "value": value,
            },
        ],
    }


def _names(seats: list[Seat]) -> str:
    return ", ".join(h.name for s in seats if (h := s.holder) is not None) or "nobody"


def _partner_names(partners: list[Seat]) -> str:
    return ", ".join(f"{h.name} ({s.role})" for s in partners if (h := s.holder) is not None)


def ask_message(ask: Ask) -> dict[str, Any]:
    """Return the DM asking a candidate to cover, with Agree / Decline buttons."""
    request = ask.request
    tz = ask.candidate.tz
    seat = request.seat
    text = (
        f"*{request.requested_by.name}* can't make *{describe_seat(seat, tz)}* "
        f"in {request.team.name}"
    )
    if request.is_partial:
        text += f" (only {_when(request.starts_at, tz)}–{_when(request.ends_at, tz)})"
    text += ". Can you cover it?"
    if request.reason:
        text += f"\n> {request.reason}"
    partners = [s for s in seat.shift.seats.all() if s.pk != seat.pk and s.holder_id]
    if partners:
        text += "\nWith " + _partner_names(partners) + "."
    fallback = f"Can you cover {describe_seat(seat, tz)} for {request.requested_by.name}?"
    blocks = [
        _section(text),
        _buttons(
            "cover_ask",
            ("cover_agree", "Agree"),
            ("cover_decline", "Decline"),
            str(ask.pk),
        ),
    ]
    return {"text": fallback, "blocks": blocks}


def swap_message(offer: SwapOffer) -> dict[str, Any]:
    """Return the DM offering a swap, with Agree / Decline buttons."""
    tz = offer.offered_to.tz
    text = (
        f"*{offer.offered_by.name}* offers you *{describe_seat(offer.from_seat, tz)}* "
        f"in exchange for your *{describe_seat(offer.to_seat, tz)}* ({offer.team.name})."
    )
    if offer.note:
        text += f"\n> {offer.note}"
    blocks = [
        _section(text),
        _buttons("swap", ("swap_accept", "Agree"), ("swap_decline", "Decline"), str(offer.pk)),
    ]
    return {"text": f"Swap offer from {offer.offered_by.name}", "blocks": blocks}


def closed(text: str) -> dict[str, Any]:
    """Return a message that replaces the buttons once the question is settled."""
    return {"text": text, "blocks": [_section(text)]}


def ask_closed(ask: Ask, request: CoverRequest) -> dict[str, Any]:
    """Return what an ask's DM says once the request is decided, from the candidate's side."""
    tz = ask.candidate.tz
    what = describe_seat(request.seat, tz)
    if request.covered_by_id == ask.candidate_id:
        return closed(f"Thank you — *{what}* is yours. Your calendar is being updated.")
    if request.covered_by is not None:
        return closed(f"{request.covered_by.name} is covering *{what}*. Thank you for offering.")
    return closed(f"The cover request for *{what}* is closed; nothing more is needed.")


def requester_told(request: CoverRequest, covered_by: User) -> dict[str, Any]:
    """Return the DM telling the requester that covered_by covers their shift."""
    tz = request.requested_by.tz
    return closed(f"{covered_by.name} is covering *{describe_seat(request.seat, tz)}* for you.")


def handoff_message(*, team: Team, role: str, user: User, seat: Seat) -> dict[str, Any]:
    """Return the DM telling the incoming holder that their shift has started."""
    tz = user.tz
    partners = [s for s in seat.shift.seats.all() if s.pk != seat.pk and s.holder_id]
    text = f"You are now *{role}* on call for *{team.name}* until {_when(seat.shift.ends_at, tz)}."
    if partners:
        text += " With " + _partner_names(partners) + "."
    url = settings.SITE_URL + reverse("oncall:now", args=[team.slug])
    text += f"\n<{url}|Handover notes and who to escalate to>"
    return {"text": f"Your {role} shift for {team.name} has started", "blocks": [_section(text)]}


def oncall_answer(state: OnCall, tz: ZoneInfo) -> dict[str, Any]:
    """Return the ephemeral answer to /oncall: now, next, partner and escalation."""
    team = state.team
    lines = [f"*On call for {team.name}* ({_when(state.at, tz)})"]
    if state.seats:
        for role, seats in state.by_role:
            until = min(s.shift.ends_at for s in seats)
            lines.append(f"• {role.capitalize()}: *{_names(seats)}* until {_when(until, tz)}")
    else:
        lines.append("• Nobody is on call right now.")
    if state.next_seats:
        lines.append(f"*Next* (from {_when(state.next_seats[0].shift.starts_at, tz)})")
        for role, seats in state.next_by_role:
            lines.append(f"• {role.capitalize()}: {_names(seats)}")
    if state.contacts:
        lines.append("*Escalation*")
        for position, contact in enumerate(state.contacts, start=1):
            reach = " · ".join(x for x in (contact.phone, contact.email) if x)
            role = f" ({contact.role})" if contact.role else ""
            lines.append(f"{position}. {contact.name}{role}" + (f" — {reach}" if reach else ""))
    text = "\n".join(lines)
    return {"response_type": "ephemeral", "text": text, "blocks": [_section(text)]}
