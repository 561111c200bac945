"""Overrides without a manager: a listed colleague takes an open request, whole or a part."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import AuditEntry
from scheduling.cover import services, taking
from scheduling.cover.errors import CoverError
from scheduling.cover.models import CoverRequest, State
from scheduling.rotas.models import Seat, SeatChange

pytestmark = pytest.mark.django_db


def _open(week) -> CoverRequest:
    return services.open_request(seat=week.seat, user=week.requester, reason="dentist")


def test_a_listed_colleague_takes_the_whole_shift_from_the_request_page(week, client_for):
    request = _open(week)
    assert list(CoverRequest.objects.takeable_by(week.alice)) == [request]
    client = client_for(week.alice)
    page = client.get(reverse("cover:request", args=["payments", request.pk])).content.decode()
    assert "Take this shift" in page and "Take part of it" in page
    response = client.post(reverse("cover:take", args=["payments", request.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("rotas:shift", args=[week.shift.pk])
    request.refresh_from_db()
    assert (request.state, request.covered_by) == (State.COVERED, week.alice)
    assert Seat.objects.get(pk=week.seat.pk).holder == week.alice
    assert SeatChange.objects.filter(seat=week.seat, reason="cover").count() == 1
    entry = AuditEntry.objects.get(action="cover.covered")
    assert entry.summary.startswith("Alice Able took the shift")
    # Taken: nobody else can take it, and it is no longer offered.
    assert not CoverRequest.objects.takeable_by(week.bob).exists()
    with pytest.raises(services.AlreadyCovered):
        taking.take(request=request, user=week.bob, by=week.bob)


def test_a_colleague_rota_did_not_list_cannot_take_it(week, client_for):
    request = _open(week)
    # Fred holds Friday: too little rest before Saturday, so Rota did not rank him.
    assert not request.asks.filter(candidate=week.fred).exists()
    assert not CoverRequest.objects.takeable_by(week.fred).exists()
    page = client_for(week.fred).get(reverse("cover:request", args=["payments", request.pk]))
    assert "Take this shift" not in page.content.decode()
    response = client_for(week.fred).post(
        reverse("cover:take", args=["payments", request.pk]), follow=True
    )
    assert "Rota did not list you" in response.content.decode()
    assert Seat.objects.get(pk=week.seat.pk).holder == week.requester
    with pytest.raises(CoverError):
        taking.take(request=request, user=week.requester, by=week.requester)


def test_taking_part_splits_the_seat_and_the_rest_stays_open(week, client_for):
    request = _open(week)
    # Saturday 27 March 2027 12:00–16:00 GMT (London), inside the 23-hour DST shift.
    response = client_for(week.alice).post(
        reverse("cover:take", args=["payments", request.pk]),
        {"starts_at": "2027-03-27T12:00", "ends_at": "2027-03-27T16:00"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.COVERED and request.is_partial
    assert (request.starts_at, request.ends_at) == (
        datetime(2027, 3, 27, 12, tzinfo=UTC),
        datetime(2027, 3, 27, 16, tzinfo=UTC),
    )
    assert request.covered_seat.holder == week.alice
    rest = list(CoverRequest.objects.active().order_by("starts_at"))
    assert [(r.starts_at, r.ends_at) for r in rest] == [
        (week.shift.starts_at, datetime(2027, 3, 27, 12, tzinfo=UTC)),
        (datetime(2027, 3, 27, 16, tzinfo=UTC), datetime(2027, 3, 28, 8, tzinfo=UTC)),
    ]
    assert all(r.requested_by == week.requester and r.reason == "dentist" for r in rest)
    assert all(r.seat.holder == week.requester for r in rest)
    # The rest reuses the first request's unavailability instead of writing it twice.
    assert all(r.unavailable_entries == [] for r in rest)


def test_a_part_outside_the_request_is_refused(week, client_for):
    request = _open(week)
    response = client_for(week.alice).post(
        reverse("cover:take", args=["payments", request.pk]),
        {"starts_at": "2027-03-27T06:00", "ends_at": "2027-03-27T10:00"},
        follow=True,
    )
    assert "must lie inside" in response.content.decode()
    assert CoverRequest.objects.get(pk=request.pk).state == State.OPEN


def test_the_manager_puts_someone_on_part_of_a_request(week, client_for):
    request = _open(week)
    response = client_for(week.manager).post(
        reverse("cover:assign", args=["payments", request.pk]),
        {"user": week.carol.pk, "starts_at": "2027-03-27T09:00", "ends_at": "2027-03-27T13:00"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.covered_by == week.carol and request.covered_seat.holder == week.carol
    assert request.covered_seat.shift.ends_at == datetime(2027, 3, 27, 13, tzinfo=UTC)
    assert CoverRequest.objects.active().count() == 1
    # An engineer cannot put someone else in the shift.
    with pytest.raises(CoverError):
        taking.take(request=CoverRequest.objects.active().get(), user=week.bob, by=week.alice)


def test_take_is_404_for_another_team_and_post_only(week, outsider_client, client_for):
    request = _open(week)
    url = reverse("cover:take", args=["payments", request.pk])
    assert outsider_client.post(url).status_code == 404
    assert client_for(week.alice).get(url).status_code == 405


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_take_at_once_on_postgres_one_holds_it(postgres, week, client_for):
    request = _open(week)
    clients = [client_for(week.alice), client_for(week.bob)]
    url = reverse("cover:take", args=["payments", request.pk])
    barrier = threading.Barrier(2)
    pages: dict[int, str] = {}

    def click(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            pages[i] = clients[i].post(url, follow=True).content.decode()
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    won = [i for i, text in pages.items() if "The shift is yours" in text]
    lost = [i for i, text in pages.items() if "already covered" in text]
    assert len(won) == 1 and len(lost) == 1, pages
    winner = (week.alice, week.bob)[won[0]]
    assert Seat.objects.get(pk=week.seat.pk).holder == winner
    assert SeatChange.objects.filter(seat=week.seat, reason="cover").count() == 1
    assert CoverRequest.objects.get(pk=request.pk).covered_by == winner


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_take_different_parts_at_once_one_wins(postgres, week):
    request = _open(week)
    barrier = threading.Barrier(2)
    results: list[str] = []
    parts = {
        week.alice: (datetime(2027, 3, 27, 9, tzinfo=UTC), datetime(2027, 3, 27, 13, tzinfo=UTC)),
        week.bob: (datetime(2027, 3, 27, 12, tzinfo=UTC), datetime(2027, 3, 27, 18, tzinfo=UTC)),
    }

    def run(user) -> None:
        try:
            barrier.wait(timeout=10)
            a, b = parts[user]
            taking.take(
                request=CoverRequest.objects.get(pk=request.pk),
                user=user,
                by=user,
                starts_at=a,
                ends_at=b,
            )
            results.append("won")
        except services.AlreadyCovered:
            results.append("covered")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in parts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["covered", "won"]
    assert CoverRequest.objects.filter(state=State.COVERED).count() == 1
    assert SeatChange.objects.filter(reason="cover").exclude(old_holder=None).count() >= 1
