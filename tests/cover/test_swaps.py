"""Direct swaps: offer my seat for a colleague's; they accept through the signed link or decline."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from scheduling.cover import swaps
from scheduling.cover.errors import CoverError
from scheduling.cover.models import SwapOffer, SwapState
from scheduling.rotas.models import RotaVersion, Seat, SeatChange
from tests.requirements.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def _links(message) -> dict[str, str]:
    found = dict(re.findall(r"^(Accept|Decline):\s+(\S+)$", message.body, re.M))
    return {k.lower(): v.replace("http://127.0.0.1:8000", "") for k, v in found.items()}


def test_an_accepted_swap_moves_both_seats_in_one_version(
    week, client_for, django_capture_on_commit_callbacks
):
    tuesday = week.seat_of(30, "primary")  # Carol's
    client = client_for(week.requester)
    assert (
        "Carol Cole"
        in client.get(reverse("cover:offer_swap", args=["payments", week.seat.pk])).content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cover:offer_swap", args=["payments", week.seat.pk]),
            {"to_seat": tuesday.pk, "note": "wedding"},
        )
    assert response.status_code == 302
    offer = SwapOffer.objects.get()
    assert offer.offered_to == week.carol and [m.to for m in mail.outbox] == [[week.carol.email]]
    links = _links(mail.outbox[0])
    before = (Seat.objects.get(pk=week.seat.pk).holder_id, SeatChange.objects.count())
    assert Client().get(links["accept"]).status_code == 200
    assert (Seat.objects.get(pk=week.seat.pk).holder_id, SeatChange.objects.count()) == before
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(links["accept"])
    assert "Swapped" in response.content.decode()
    assert Seat.objects.get(pk=week.seat.pk).holder == week.carol
    assert Seat.objects.get(pk=tuesday.pk).holder == week.requester
    assert RotaVersion.objects.filter(period=week.period).count() == 2
    assert SeatChange.objects.filter(version=2).count() == 2
    assert any(
        m.to == [week.requester.email] and "accepted" in m.subject.lower() for m in mail.outbox
    )
    assert Client().post(links["decline"]).status_code in (200, 410)
    assert SwapOffer.objects.get().state == SwapState.ACCEPTED


def test_a_declined_swap_changes_no_seat(week):
    offer = swaps.offer_swap(
        from_seat=week.seat, to_seat=week.seat_of(30, "primary"), by=week.requester
    )
    swaps.answer_swap(offer=offer, accept=False, by=week.carol)
    assert Seat.objects.get(pk=week.seat.pk).holder == week.requester
    with pytest.raises(CoverError):
        swaps.answer_swap(offer=offer, accept=True, by=week.carol)


def test_only_the_holder_offers_and_only_the_colleague_answers(week, client_for):
    tuesday = week.seat_of(30, "primary")
    with pytest.raises(CoverError):
        swaps.offer_swap(from_seat=week.seat, to_seat=tuesday, by=week.alice)
    assert (
        client_for(week.alice)
        .get(reverse("cover:offer_swap", args=["payments", week.seat.pk]))
        .status_code
        == 403
    )
    offer = swaps.offer_swap(from_seat=week.seat, to_seat=tuesday, by=week.requester)
    with pytest.raises(CoverError):
        swaps.answer_swap(offer=offer, accept=True, by=week.alice)
    swaps.withdraw_swap(offer=offer, by=week.requester)
    with pytest.raises(CoverError):
        swaps.answer_swap(offer=offer, accept=True, by=week.carol)


def test_a_swap_that_leaves_too_little_rest_is_refused(week):
    # Carol also holds Sunday: taking Eddie's Saturday 24-hour shift leaves her no rest.
    sunday = week.seat_of(28, "primary")
    Seat.objects.filter(pk=sunday.pk).update(holder=week.carol, proposed_holder=week.carol)
    with pytest.raises(CoverError, match="rest rule"):
        swaps.offer_swap(
            from_seat=week.seat, to_seat=week.seat_of(30, "primary"), by=week.requester
        )
    assert not SwapOffer.objects.exists()


def test_giving_away_the_neighbouring_shift_is_no_rest_problem(week):
    # Eddie holds Saturday; taking Fred's Friday is fine because Fred gets Saturday in return.
    offer = swaps.offer_swap(
        from_seat=week.seat, to_seat=week.seat_of(26, "primary"), by=week.requester
    )
    swaps.answer_swap(offer=offer, accept=True, by=week.fred)
    assert Seat.objects.get(pk=week.seat.pk).holder == week.fred


def test_an_accept_is_refused_if_the_rota_changed_to_break_a_rule(week, team):
    offer = swaps.offer_swap(
        from_seat=week.seat, to_seat=week.seat_of(30, "primary"), by=week.requester
    )
    # After the offer, primaries need a certificate Carol does not have.
    RequirementFactory(team=team, title="Incident commander", applies_to="primary")
    with pytest.raises(CoverError, match="not eligible for the primary role"):
        swaps.answer_swap(offer=offer, accept=True, by=week.carol)
    assert SwapOffer.objects.get().state == SwapState.OPEN
    assert Seat.objects.get(pk=week.seat.pk).holder == week.requester
