"""Work verified slash commands and button presses after Slack got its answer."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from integrations.slack import linking, messages, notify, outbox
from integrations.slack.errors import SlackFailure
from integrations.slack.models import Inbound, Installation
from scheduling.cover import services as cover
from scheduling.cover import swaps
from scheduling.cover.models import Ask, SwapOffer
from scheduling.oncall.lookup import on_call

log = logging.getLogger(__name__)

# Slack's response_url works for 30 minutes; after that a press is answered by nobody.
GIVE_UP_AFTER = timedelta(minutes=30)


def handle(*, inbound_id: int, now: datetime | None = None) -> bool:
    """Handle one command or press once; False when another worker did (or it was too late)."""
    now = now or timezone.now()
    with transaction.atomic():
        inbound = (
            Inbound.objects.select_for_update(skip_locked=True)
            .filter(pk=inbound_id, handled_at__isnull=True)
            .first()
        )
        if inbound is None:
            return False
        if inbound.received_at < now - GIVE_UP_AFTER:
            Inbound.objects.filter(pk=inbound.pk).update(handled_at=now, note="Too late to answer.")
            return False
        note = _command(inbound) if inbound.kind == Inbound.Kind.COMMAND else _action(inbound)
        Inbound.objects.filter(pk=inbound.pk).update(handled_at=now, note=note[:200])
    return True


def _installations(workspace_id: str) -> list[Installation]:
    return list(Installation.objects.filter(workspace_id=workspace_id).select_related("team"))


def _respond(installation: Installation, inbound: Inbound, body: dict[str, Any]) -> None:
    outbox.enqueue(
        installation=installation,
        key=f"inbound:{inbound.pk}",
        method="response_url",
        url=str(inbound.payload.get("response_url", "")),
        args=body,
    )


def _ephemeral(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "replace_original": False, "text": text}


def _person(installations: list[Installation], slack_user_id: str) -> User | None:
    try:
        return linking.person_for(installation=installations[0], slack_user_id=slack_user_id)
    except SlackFailure:
        raise  # retryable: the transaction rolls back and the sweep tries again


def _command(inbound: Inbound) -> str:
    installations = _installations(inbound.workspace_id)
    if not installations:
        return "No team of this workspace uses Rota."
    person = _person(installations, inbound.slack_user_id)
    if person is None:
        _respond(
            installations[0],
            inbound,
            _ephemeral(
                "I can't find a Rota account with the email of your Slack profile. "
                "Ask your manager to invite that address."
            ),
        )
        return "Unknown person."
    teams = {i.team_id: i for i in installations}
    mine = list(
        Membership.objects.filter(user=person, team_id__in=teams)
        .select_related("team")
        .order_by("team__name")
    )
    wanted = str(inbound.payload.get("text", "")).strip().lower()
    if wanted:
        mine = [m for m in mine if wanted in (m.team.slug.lower(), m.team.name.lower())]
    if not mine:
        text = (
            f"You are not a member of a team called “{wanted}” in this workspace."
            if wanted
            else "You are not a member of any team that uses Rota in this workspace."
        )
        _respond(installations[0], inbound, _ephemeral(text))
        return "No team."
    now = timezone.now()
    answers = [
        messages.oncall_answer(on_call(m.team, now, with_notes=False), person.tz) for m in mine[:5]
    ]
    text = "\n\n".join(a["text"] for a in answers)
    body = {
        "response_type": "ephemeral",
        "text": text,
        "blocks": [b for a in answers for b in a["blocks"]],
    }
    _respond(teams[mine[0].team_id], inbound, body)
    return f"Answered for {', '.join(m.team.slug for m in mine[:5])}."


def _action(inbound: Inbound) -> str:
    actions = inbound.payload.get("actions") or [{}]
    action_id = str(actions[0].get("action_id", ""))
    value = str(actions[0].get("value", ""))
    if not value.isdigit():
        return "Unknown button."
    if action_id in ("cover_agree", "cover_decline"):
        return _ask_pressed(inbound, int(value), agree=action_id == "cover_agree")
    if action_id in ("swap_accept", "swap_decline"):
        return _swap_pressed(inbound, int(value), accept=action_id == "swap_accept")
    return "Unknown button."


def _installation_for(inbound: Inbound, team_id: int) -> Installation | None:
    return Installation.objects.filter(team_id=team_id, workspace_id=inbound.workspace_id).first()


def _ask_pressed(inbound: Inbound, ask_id: int, *, agree: bool) -> str:
    ask = Ask.objects.select_related("candidate", "request__team").filter(pk=ask_id).first()
    if ask is None:
        return "No such question in this workspace."
    installation = _installation_for(inbound, ask.request.team_id)
    if installation is None:
        return "No such question in this workspace."
    person = _person([installation], inbound.slack_user_id)
    if person is None or person.pk != ask.candidate_id:
        _respond(installation, inbound, _ephemeral("This question was sent to someone else."))
        return "Pressed by someone else."
    try:
        with transaction.atomic():
            if agree:
                cover.agree(ask=ask)
            else:
                cover.decline(ask=ask)
    except cover.AlreadyCovered:
        text, note = "Someone else agreed first. Thank you for offering.", "Already covered."
    except cover.CoverError as error:
        text, note = f"Nothing changed: {error}", str(error)
    else:
        if agree:
            text, note = (
                "Thank you — the shift is yours. Your calendar is being updated.",
                "Agreed.",
            )
        else:
            text, note = "Thanks for answering — we are asking someone else.", "Declined."
    # The press answers its own message; the other questions' DMs are updated by chat.update.
    # If a winner's update of this DM is already queued, the presser is still answered.
    for key in (f"ask:{ask.pk}:closed", f"press:{inbound.pk}"):
        if outbox.enqueue(
            installation=installation,
            key=key,
            method="response_url",
            url=str(inbound.payload.get("response_url", "")),
            args={"replace_original": True, **messages.closed(text)},
        ):
            break
    ask.request.refresh_from_db()
    if not ask.request.is_active:
        notify.request_closed(request_id=ask.request_id)
    return note


def _swap_pressed(inbound: Inbound, offer_id: int, *, accept: bool) -> str:
    offer = SwapOffer.objects.select_related("team", "offered_by").filter(pk=offer_id).first()
    if offer is None:
        return "No such offer in this workspace."
    installation = _installation_for(inbound, offer.team_id)
    if installation is None:
        return "No such offer in this workspace."
    person = _person([installation], inbound.slack_user_id)
    if person is None or person.pk != offer.offered_to_id:
        _respond(installation, inbound, _ephemeral("This offer was made to someone else."))
        return "Pressed by someone else."
    try:
        with transaction.atomic():
            swaps.answer_swap(offer=offer, accept=accept, by=person)
    except cover.CoverError as error:
        text, note = f"Nothing changed: {error}", str(error)
    else:
        text = "Swapped: both shifts changed hands." if accept else "Declined; we told them."
        text = text.replace("them", offer.offered_by.name)
        note = "Accepted." if accept else "Declined."
    outbox.enqueue(
        installation=installation,
        key=f"swap:{offer.pk}:closed",
        method="response_url",
        url=str(inbound.payload.get("response_url", "")),
        args={"replace_original": True, **messages.closed(text)},
    )
    return note
