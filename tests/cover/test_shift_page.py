"""One shift page: details, partner, escalation, handover notes and the holder's actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scheduling.cover import services
from scheduling.oncall.models import HandoverNote

pytestmark = pytest.mark.django_db


def test_the_holder_sees_partner_handover_escalation_and_their_actions(week, client_for):
    HandoverNote.objects.create(shift=week.shift, author=week.requester, body="Disk on db-2 at 80%")
    page = client_for(week.requester).get(reverse("rotas:shift", args=[week.shift.pk]))
    text = page.content.decode()
    assert "You are on this shift as <strong>primary</strong>, with Pat Partner" in text
    assert reverse("cover:cant_make_it", args=["payments", week.seat.pk]) in text
    assert reverse("cover:offer_swap", args=["payments", week.seat.pk]) in text
    assert "Disk on db-2 at 80%" in text and "Escalation" in text
    assert "Take this shift" not in text


def test_a_listed_colleague_can_take_an_open_request_from_the_shift_page(week, client_for):
    services.open_request(seat=week.seat, user=week.requester)
    text = client_for(week.alice).get(reverse("rotas:shift", args=[week.shift.pk])).content.decode()
    assert "Take this shift" in text and "Can't make it" not in text
    # Fred may not take it (rest): no button for him.
    text = client_for(week.fred).get(reverse("rotas:shift", args=[week.shift.pk])).content.decode()
    assert "Take this shift" not in text


def test_my_shifts_and_the_dashboard_link_to_the_shift_page(week, client_for):
    client = client_for(week.requester)
    url = reverse("rotas:shift", args=[week.shift.pk])
    assert url in client.get(reverse("oncall:my_shifts")).content.decode()
    assert url in client.get(reverse("dashboard")).content.decode()


def test_another_teams_shift_is_404(week, outsider_client):
    assert outsider_client.get(reverse("rotas:shift", args=[week.shift.pk])).status_code == 404
