"""Optimistic concurrency: the second of two edits of one seat is told it changed meanwhile."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from scheduling.rotas import services
from scheduling.rotas.models import Seat


def _seat(period) -> Seat:
    return Seat.objects.filter(shift__period=period).order_by("pk").first()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_of_one_seat_one_wins_one_is_told(postgres, period, crew, manager):
    seat = _seat(period)
    seen = seat.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(person) -> None:
        try:
            barrier.wait(timeout=10)
            services.assign_seat(
                seat=Seat.objects.select_related("shift__period__team").get(pk=seat.pk),
                user=person,
                by=manager,
                confirm=True,
                expected_version=seen,
            )
            outcomes.append("ok")
        except services.ChangedMeanwhile:
            outcomes.append("changed meanwhile")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(p,)) for p in (crew[1], crew[2])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["changed meanwhile", "ok"]
    seat.refresh_from_db()
    assert seat.version == seen + 1
    assert seat.proposed_holder_id in (crew[1].pk, crew[2].pk)


def test_an_edit_from_an_older_page_is_refused_and_shows_the_current_holder(
    period, crew, manager_client, team
):
    seat = _seat(period)
    url = reverse("rotas:assign", args=[team.slug, period.pk, seat.pk])
    stale = seat.version
    first = manager_client.post(url, {"user": crew[1].pk, "confirm": "1", "version": stale})
    assert first.status_code == 302
    response = manager_client.post(
        url, {"user": crew[2].pk, "confirm": "1", "version": stale}, follow=True
    )
    assert response.status_code == 200
    assert b"changed this seat meanwhile, so your change was not made" in response.content
    seat.refresh_from_db()
    assert seat.proposed_holder_id == crew[1].pk
    assert f'name="version" value="{seat.version}"'.encode() in response.content
    for name, data in (("clear", {}), ("lock", {"locked": "0"})):
        url = reverse(f"rotas:{name}", args=[team.slug, period.pk, seat.pk])
        response = manager_client.post(url, {**data, "version": stale}, follow=True)
        assert b"changed this seat meanwhile, so your change was not made" in response.content
    seat.refresh_from_db()
    assert seat.proposed_holder_id == crew[1].pk and seat.locked
