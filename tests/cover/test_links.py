"""Signed agree/decline links: GET shows, POST decides once; bad links change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from rota.models import UsedLink
from scheduling.cover import services
from scheduling.cover.ask_links import ask_url
from scheduling.cover.models import AskState, CoverRequest, State
from scheduling.rotas.models import Seat, SeatChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(week) -> CoverRequest:
    return services.open_request(seat=week.seat, user=week.requester)


@pytest.fixture
def ask(request_):
    return request_.asks.get(rank=1)


def _state(week, request_):
    request_.refresh_from_db()
    return (
        request_.state,
        Seat.objects.get(pk=week.seat.pk).holder_id,
        SeatChange.objects.count(),
        UsedLink.objects.count(),
        sorted(request_.asks.values_list("state", flat=True)),
    )


def test_get_shows_the_shift_and_changes_nothing(week, request_, ask):
    before = _state(week, request_)
    for action in ("cover_agree", "cover_decline"):
        response = Client().get(ask_url(ask, action, absolute=False))
        assert response.status_code == 200
        text = response.content.decode()
        assert (
            "Eddie Engineer" in text
            and "Pat Partner" in text
            and "Primary" in text
            and "Sat 27 Mar 2027" in text
        )
    assert _state(week, request_) == before


def test_post_agree_without_signing_in_covers_the_shift(week, request_, ask):
    response = Client().post(ask_url(ask, "cover_agree", absolute=False))
    assert response.status_code == 200 and "the shift is yours" in response.content.decode()
    assert Seat.objects.get(pk=week.seat.pk).holder == week.alice
    assert UsedLink.objects.filter(decision=f"ask:{ask.pk}").exists()


def test_post_decline_asks_the_next_and_the_sibling_agree_link_is_then_used(week, request_, ask):
    Client().post(ask_url(ask, "cover_decline", absolute=False))
    ask.refresh_from_db()
    assert ask.state == AskState.DECLINED
    assert request_.asks.get(rank=2).state == AskState.ASKED
    before = _state(week, request_)
    response = Client().post(ask_url(ask, "cover_agree", absolute=False))
    assert response.status_code == 410 and "already been used" in response.content.decode()
    assert _state(week, request_) == before


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(week, request_, ask):
    before = _state(week, request_)
    url = ask_url(ask, "cover_agree", absolute=False)
    tampered = url[:-3] + ("x" if url[-3] != "x" else "y") + url[-2:]
    for method in ("get", "post"):
        response = getattr(Client(), method)(tampered)
        assert response.status_code == 400 and "damaged" in response.content.decode()
    assert _state(week, request_) == before


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(week, request_, ask):
    url = ask_url(ask, "cover_agree", absolute=False)
    before = _state(week, request_)
    with time_machine.travel(week.shift.starts_at + timedelta(minutes=1), tick=False):
        response = Client().post(url)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert _state(week, request_) == before


def test_a_link_used_in_someone_elses_session_is_refused(week, request_, ask, client_for):
    before = _state(week, request_)
    response = client_for(week.bob).post(ask_url(ask, "cover_agree", absolute=False))
    assert response.status_code == 403 and "sent to someone else" in response.content.decode()
    assert _state(week, request_) == before


def test_a_reused_link_is_refused(week, request_, ask):
    url = ask_url(ask, "cover_agree", absolute=False)
    Client().post(url)
    before = _state(week, request_)
    response = Client().post(url)
    assert "You agreed to cover this shift" in response.content.decode()
    assert _state(week, request_) == before


def test_a_late_agree_sees_already_covered_thank_you(
    week, request_, ask, django_capture_on_commit_callbacks
):
    services.decline(ask=ask)  # Bob is asked next
    bob = request_.asks.get(rank=2)
    url = ask_url(bob, "cover_agree", absolute=False)
    services.assign(request=request_, user=week.carol, by=week.manager)
    before = _state(week, request_)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        assert response.status_code == 200
        assert "Already covered, thank you" in response.content.decode()
    assert _state(week, request_) == before
    assert request_.state == State.COVERED and request_.covered_by == week.carol
