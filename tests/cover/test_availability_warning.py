"""Marking unavailable over a published seat says so and offers "Ask for cover" in one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scheduling.cover.models import CoverRequest, State

pytestmark = pytest.mark.django_db


def _mark(client, days, kind: str = "unavailable", seen: str = "", **headers):
    return client.post(
        reverse("availability:mark"),
        {"days": days, "kind": kind, "start": "2027-03", "seen": seen},
        **headers,
    )


def test_marking_a_shift_day_unavailable_warns_and_asks_for_cover_in_one_step(week, client_for):
    client = client_for(week.requester)
    response = _mark(client, "2027-03-27")
    assert response.status_code == 302 and "held=2027-03-27" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "You hold 1 published shift on that day." in page
    assert "Sat 27 Mar 09:00 · Primary · Payments" in page
    assert f'name="seats" value="{week.seat.pk}"' in page
    response = client.post(
        reverse("cover:ask_for_seats"),
        {"seats": [week.seat.pk], "reason": "ill", "next": "/availability/?start=2027-03"},
    )
    assert response.status_code == 302 and response["Location"] == "/availability/?start=2027-03"
    request = CoverRequest.objects.get()
    assert (request.seat, request.state, request.reason) == (week.seat, State.OPEN, "ill")
    # Asked already: the warning says so instead of offering it twice.
    page = client.get(reverse("availability:month") + "?start=2027-03&held=2027-03-27")
    assert "already looking for cover" in page.content.decode()


def test_the_json_save_returns_the_warning_to_show_in_place(week, client_for):
    client = client_for(week.requester)
    data = _mark(client, ["2027-03-26", "2027-03-27"], HTTP_ACCEPT="application/json").json()
    assert data["ok"] and "Ask for cover" in data["held_html"]
    assert "Sat 27 Mar" in data["held_html"]
    # A day without a shift, or a shift day marked available, warns about nothing.
    data = _mark(client, "2027-03-25", seen=data["seen"], HTTP_ACCEPT="application/json").json()
    assert data["ok"] and data["held_html"].strip() == ""
    data = _mark(
        client, "2027-03-27", kind="available", seen=data["seen"], HTTP_ACCEPT="application/json"
    ).json()
    assert data["ok"] and data["held_html"].strip() == ""
    assert "held=" not in _mark(client, "2027-03-29")["Location"]


def test_only_my_own_seats_can_be_asked_for(week, client_for):
    response = client_for(week.alice).post(
        reverse("cover:ask_for_seats"), {"seats": [week.seat.pk]}, follow=True
    )
    assert "Pick at least one of your shifts" in response.content.decode()
    assert not CoverRequest.objects.exists()
    assert client_for(week.alice).get(reverse("cover:ask_for_seats")).status_code == 405
