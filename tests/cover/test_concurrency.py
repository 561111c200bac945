"""Two candidates agree at the same moment on PostgreSQL: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from scheduling.cover import services
from scheduling.cover.ask_links import ask_url
from scheduling.cover.models import CoverRequest, State
from scheduling.rotas.models import Seat, SeatChange
from tests.cover.factories import CoverSettingsFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_agrees_at_once_one_wins_the_other_sees_the_covered_page(postgres, week):
    CoverSettingsFactory(team=week.period.team, mode="broadcast", broadcast_k=2)
    request = services.open_request(seat=week.seat, user=week.requester)
    asks = list(request.asks.filter(state="asked").order_by("rank"))
    assert [a.candidate for a in asks] == [week.alice, week.bob]
    urls = [ask_url(a, "cover_agree", absolute=False) for a in asks]
    barrier = threading.Barrier(2)
    pages: dict[int, str] = {}

    def click(i: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=10)
            pages[i] = client.post(urls[i]).content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    won = [i for i, text in pages.items() if "the shift is yours" in text]
    lost = [i for i, text in pages.items() if "Already covered, thank you" in text]
    assert len(won) == 1 and len(lost) == 1, pages
    winner = asks[won[0]].candidate
    request.refresh_from_db()
    assert (request.state, request.covered_by) == (State.COVERED, winner)
    assert Seat.objects.get(pk=week.seat.pk).holder == winner
    # Exactly one holder change for the seat, and one covered request.
    assert SeatChange.objects.filter(seat=week.seat, reason="cover").count() == 1
    assert CoverRequest.objects.filter(state=State.COVERED).count() == 1


def test_the_claim_itself_is_a_conditional_update(postgres, week):
    request = services.open_request(seat=week.seat, user=week.requester)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(user) -> None:
        try:
            barrier.wait(timeout=10)
            services.assign(
                request=CoverRequest.objects.get(pk=request.pk), user=user, by=week.manager
            )
            results.append("won")
        except services.AlreadyCovered:
            results.append("covered")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in (week.alice, week.bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["covered", "won"]
    assert SeatChange.objects.filter(seat=week.seat, reason="cover").count() == 1


def test_a_decline_and_an_agree_at_the_same_moment_do_not_deadlock(postgres, week):
    CoverSettingsFactory(team=week.period.team, mode="broadcast", broadcast_k=2)
    request = services.open_request(seat=week.seat, user=week.requester)
    alice, bob = request.asks.filter(state="asked").order_by("rank")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(action, ask) -> None:
        try:
            barrier.wait(timeout=10)
            action(ask=ask)
        except services.AskClosed:
            pass  # the agree superseded the question first: a clean, expected refusal
        except BaseException as error:  # noqa: BLE001 (reported by the assert below)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(services.decline, alice)),
        threading.Thread(target=run, args=(services.agree, bob)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert Seat.objects.get(pk=week.seat.pk).holder == week.bob
