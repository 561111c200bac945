"""The on-call API and dashboard panel are kept until a shift starts or ends, or data changes."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from scheduling.rotas.models import Seat
from tests.oncall.factories import make_shift, utc

URL = "/api/teams/payments/oncall"
NOW = '<span class="badge ok">On call now</span>'


@pytest.fixture
def dst_rota(period, engineer, partner):
    """Daily 09:00 London shifts around the spring change: Saturday's lasts 23 hours."""
    make_shift(period, utc(2026, 3, 28, 9), utc(2026, 3, 29, 8), primary=engineer)
    return make_shift(period, utc(2026, 3, 29, 8), utc(2026, 3, 30, 8), primary=partner)


def primary(client: Client, token: str) -> str:
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.json()["oncall"]["primary"][0]["name"]


def test_api_answer_changes_at_the_handoff_after_the_clock_change(client, token, dst_rota):
    with time_machine.travel(utc(2026, 3, 29, 7, 59), tick=False):  # 08:59 BST
        assert primary(client, token) == "Eddie Engineer"
        assert primary(client, token) == "Eddie Engineer"
    with time_machine.travel(utc(2026, 3, 29, 8, 0), tick=False):  # 09:00 BST
        assert primary(client, token) == "Pat Partner"


def test_api_answer_changes_at_once_when_the_seat_changes_hands(client, token, dst_rota, engineer):
    with time_machine.travel(utc(2026, 3, 29, 12), tick=False):
        assert primary(client, token) == "Pat Partner"
        seat = Seat.objects.get(shift=dst_rota, role="primary")
        seat.holder = seat.proposed_holder = engineer
        seat.save()
        assert primary(client, token) == "Eddie Engineer"
        response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.json()["at"] == "2026-03-29T12:00:00Z"


def test_dashboard_says_on_call_now_when_the_shift_starts(client_for, partner, dst_rota):
    client = client_for(partner)
    with time_machine.travel(utc(2026, 3, 29, 7, 59), tick=False):
        page = client.get("/").content.decode()
        assert "Next shift today" in page and NOW not in page
    with time_machine.travel(utc(2026, 3, 29, 8, 0), tick=False):
        assert NOW in client.get("/").content.decode()
