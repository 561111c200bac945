"""The signed "Can't make it?" link: GET only shows, POST acts once, bad links change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import AuditEntry
from calendars.content import cant_make_it_url
from rota.models import UsedLink
from scheduling.cover import services as cover_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(rota, engineer) -> str:
    _period, shifts, seats = rota
    return cant_make_it_url(
        user_id=engineer.pk, seat_id=seats[0].pk, ends_at=shifts[0].ends_at
    ).split("8000", 1)[1]


def test_get_shows_a_confirmation_and_changes_nothing(client, link, engineer, manager):
    mail.outbox.clear()
    audits = AuditEntry.objects.count()
    response = client.get(link)
    assert response.status_code == 200
    assert b"Can't make this shift?" in response.content
    assert b"Yes, I can't make it" in response.content
    assert UsedLink.objects.count() == 0
    assert mail.outbox == []
    assert AuditEntry.objects.count() == audits


def test_post_hands_over_to_cover_requests(client, link, engineer, monkeypatch):
    calls = []
    monkeypatch.setattr(cover_services, "cant_make_it", lambda **kw: calls.append(kw))
    response = client.post(link, {"reason": "Wedding"})
    assert response.status_code == 302
    assert calls[0]["user"] == engineer and calls[0]["reason"] == "Wedding"
    assert b"We asked for cover" in client.get(response["Location"]).content
    # A second use is refused and asks nothing more.
    again = client.post(link, {"reason": "Wedding"})
    assert again.status_code == 410 and b"already been used" in again.content
    assert len(calls) == 1


def test_a_tampered_link_is_refused(client, link):
    token = link.split("/c/")[1].rstrip("/")
    response = client.post(f"/c/{token[:-2]}xx/", {"reason": ""})
    assert response.status_code == 400
    assert b"damaged" in response.content
    assert UsedLink.objects.count() == 0


def test_an_expired_link_is_refused(client, link):
    with time_machine.travel(datetime.now(UTC) + timedelta(days=5)):
        response = client.post(link, {"reason": ""})
    assert response.status_code == 410
    assert b"expired" in response.content
    assert UsedLink.objects.count() == 0


def test_someone_elses_link_is_refused(client_for, link, partner):
    response = client_for(partner).post(link, {"reason": ""})
    assert response.status_code == 400
    assert b"someone else" in response.content
    assert UsedLink.objects.count() == 0


def test_a_link_for_a_seat_no_longer_held_is_refused(client, link, rota, team, manager, reassign):
    from tests.factories import MembershipFactory

    reassign(rota[2][0], MembershipFactory(team=team).user, manager)
    assert client.get(link).status_code == 410
    response = client.post(link, {"reason": ""})
    assert response.status_code == 410
    assert b"no longer yours" in response.content
    assert UsedLink.objects.count() == 0


def test_post_opens_a_real_cover_request(
    client, link, rota, engineer, django_capture_on_commit_callbacks
):
    from scheduling.cover.models import CoverRequest

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"reason": "Dentist"})
    assert response.status_code == 302
    request = CoverRequest.objects.get()
    assert request.seat_id == rota[2][0].pk
    assert UsedLink.objects.count() == 1


def test_a_refusal_by_the_cover_app_undoes_the_decision(client, link, monkeypatch):
    from scheduling.rotas.errors import RotaError

    def refuse(**kwargs):
        raise RotaError("A cover request for this shift is already open.")

    monkeypatch.setattr(cover_services, "cant_make_it", refuse)
    response = client.post(link, {"reason": ""})
    assert response.status_code == 409
    assert b"already open" in response.content
    assert UsedLink.objects.count() == 0
