"""The period calendar at month scale: empty seats in the grid, the seat panel as a part."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scheduling.rotas import services
from scheduling.rotas.models import Seat

pytestmark = pytest.mark.django_db


def _no_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _panel_url(period, seat) -> str:
    return reverse("rotas:seat_panel", args=[period.team.slug, period.pk, seat.pk])


def test_the_panel_part_is_the_same_panel_the_page_shows(period, manager_client):
    seat = Seat.objects.filter(shift__period=period).order_by("pk").first()
    part = manager_client.get(_panel_url(period, seat))
    assert part.status_code == 200
    html = part.content.decode()
    assert html.lstrip().startswith('<section class="card seat-panel" id="seat-panel">')
    assert "<html" not in html and "Candidates" in html
    page = manager_client.get(
        reverse("rotas:period", args=["payments", period.pk]) + f"?seat={seat.pk}"
    ).content.decode()
    # Without JavaScript the link opens the same panel, in the drawer, with a page load.
    drawer = page.split('id="seat-drawer"', 1)[1]
    assert drawer.split(">", 1)[0].endswith('panel/"')  # not hidden
    assert _no_tokens(html.strip()) in _no_tokens(drawer)


def test_the_panel_part_checks_access(period, engineer_client, outsider_client, manager_client):
    seat = Seat.objects.filter(shift__period=period).first()
    assert engineer_client.get(_panel_url(period, seat)).status_code == 403
    assert outsider_client.get(_panel_url(period, seat)).status_code == 404
    missing = reverse("rotas:seat_panel", args=["payments", period.pk, 999999])
    assert manager_client.get(missing).status_code == 404


def test_empty_seats_have_their_own_row_in_the_grid(period, manager, manager_client):
    seats = list(Seat.objects.filter(shift__period=period).order_by("pk"))
    services.assign_seat(seat=seats[0], user=manager, by=manager, confirm=True)
    page = manager_client.get(reverse("rotas:period", args=["payments", period.pk]))
    html = page.content.decode()
    row = re.search(r'<tr class="empty-row">(.*?)</tr>', html, re.S).group(1)
    assert f'<span class="badge bad">{len(seats) - 1}</span>' in row
    assert f'data-seat="{seats[1].pk}"' in row and f'data-seat="{seats[0].pk}"' not in row


def test_the_grid_fits_a_month_of_days(period, manager_client):
    html = manager_client.get(reverse("rotas:period", args=["payments", period.pk])).content
    assert b'<main class="wide">' in html  # the page is as wide as the screen
