"""The swap offer lists only swaps that pass every rule; the others are counted, with reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scheduling.cover import swaps
from scheduling.cover.models import SwapOffer
from scheduling.rotas.models import Seat
from tests.requirements.factories import RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol_sunday(week) -> Seat:
    # Carol holds Sunday and Tuesday: taking Eddie's Saturday next to her Sunday breaks rest.
    sunday = week.seat_of(28, "primary")
    Seat.objects.filter(pk=sunday.pk).update(holder=week.carol, proposed_holder=week.carol)
    return sunday


def test_only_swaps_that_pass_every_rule_are_offered(week, carol_sunday):
    allowed, refused = swaps.swap_choices(seat=week.seat, user=week.requester)
    friday, tuesday = week.seat_of(26, "primary"), week.seat_of(30, "primary")
    assert {s.pk for s in allowed} == {friday.pk, carol_sunday.pk}
    assert [(s.pk, " ".join(p)) for s, p in refused][0][0] == tuesday.pk
    assert "rest rule" in refused[0][1][0]
    # The list agrees with the check the offer itself makes.
    for seat in allowed:
        assert swaps.swap_problems(mine=week.seat, theirs=seat) == []
    assert swaps.swap_problems(mine=week.seat, theirs=tuesday) == refused[0][1]


def test_the_form_lists_the_good_ones_and_counts_the_others_with_reasons(
    week, carol_sunday, client_for
):
    client = client_for(week.requester)
    url = reverse("cover:offer_swap", args=["payments", week.seat.pk])
    response = client.get(url)
    choices = dict(response.context["form"].fields["to_seat"].choices)
    tuesday = week.seat_of(30, "primary")
    assert tuesday.pk not in choices and carol_sunday.pk in choices
    text = response.content.decode()
    assert "1 other shift would break a rule" in text and "rest rule" in text
    # Picking the refused one anyway is a form error, and no offer is made.
    response = client.post(url, {"to_seat": tuesday.pk})
    assert response.status_code == 400 and not SwapOffer.objects.exists()


def test_a_role_nobody_else_is_eligible_for_leaves_nothing_to_offer(week, team, client_for):
    RequirementFactory(team=team, title="Incident commander", applies_to="primary")
    allowed, refused = swaps.swap_choices(seat=week.seat, user=week.requester)
    assert allowed == [] and refused
    assert all("not eligible" in " ".join(p) for _, p in refused)
    text = client_for(week.requester).get(
        reverse("cover:offer_swap", args=["payments", week.seat.pk])
    )
    assert "without breaking a rule" in text.content.decode()
