"""Celery tasks of the cover app: thin wrappers that take primary keys."""

from __future__ import annotations

from celery import shared_task

from scheduling.cover import asking, emails
from scheduling.cover.models import Ask, AskState, CoverRequest, SwapOffer


def _ask(ask_id: int):

    return (
        Ask.objects.select_related(
            "candidate", "request__team", "request__seat__shift", "request__requested_by"
        )
        .filter(pk=ask_id)
        .first()
    )


def _request(request_id: int):

    return (
        CoverRequest.objects.select_related(
            "team", "seat__shift", "requested_by", "covered_by", "covered_seat__shift"
        )
        .filter(pk=request_id)
        .first()
    )


@shared_task(name="cover.tasks.send_ask")
def send_ask(ask_id: int) -> None:
    """Email a candidate the question."""
    ask = _ask(ask_id)
    if ask is not None:
        emails.send_ask(ask)


@shared_task(name="cover.tasks.send_reminder")
def send_reminder(ask_id: int) -> None:
    """Remind a candidate who has not answered."""
    ask = _ask(ask_id)
    if ask is not None and ask.state == AskState.ASKED:
        emails.send_ask(ask, reminder=True)


@shared_task(name="cover.tasks.send_escalation")
def send_escalation(request_id: int) -> None:
    """Email the managers about a request nobody took."""
    request = _request(request_id)
    if request is not None:
        emails.send_escalation(request)


@shared_task(name="cover.tasks.send_covered")
def send_covered(request_id: int) -> None:
    """Tell everyone concerned who covers."""
    request = _request(request_id)
    if request is not None and request.covered_by_id:
        emails.send_covered(request)


@shared_task(name="cover.tasks.send_undone")
def send_undone(request_id: int) -> None:
    """Tell the requester and the former cover that the cover was undone."""
    request = _request(request_id)
    if request is not None:
        emails.send_undone(request)


@shared_task(name="cover.tasks.send_swap_offer")
def send_swap_offer(offer_id: int) -> None:
    """Email the colleague a swap offer."""
    offer = SwapOffer.objects.filter(pk=offer_id).first()
    if offer is not None:
        emails.send_swap_offer(offer)


@shared_task(name="cover.tasks.send_swap_answer")
def send_swap_answer(offer_id: int) -> None:
    """Tell the offerer the answer to their swap."""
    offer = SwapOffer.objects.filter(pk=offer_id).first()
    if offer is not None:
        emails.send_swap_answer(offer)


@shared_task(name="cover.tasks.sweep")
def sweep() -> dict[str, int]:
    """Time out unanswered questions, send reminders, escalate; idempotent."""
    return asking.sweep()
