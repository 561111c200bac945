"""The period calendar is rebuilt when its team changes or the team's day turns, not otherwise."""

from __future__ import annotations

import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from scheduling.rotas import services
from scheduling.rotas.models import Seat
from tests.oncall.factories import utc


def _url(period) -> str:
    return f"/teams/{period.team.slug}/rota/{period.pk}/"


def _holder_shown(page: bytes, seat: Seat, name: str) -> bool:
    return f'data-seat="{seat.pk}">{name}'.encode() in page


def test_a_change_through_a_service_shows_at_once_and_an_unchanged_page_is_not_rebuilt(
    period, manager, manager_client, engineer
):
    first = manager_client.get(_url(period))
    seat = Seat.objects.filter(shift__period=period).first()
    assert not _holder_shown(first.content, seat, engineer.name)
    with CaptureQueriesContext(connection) as cached:
        manager_client.get(_url(period))
    with CaptureQueriesContext(connection) as built:
        services.assign_seat(seat=seat, user=engineer, by=manager, confirm=True)
        page = manager_client.get(_url(period))
    assert _holder_shown(page.content, seat, engineer.name)
    assert len(cached.captured_queries) <= 8 < len(built.captured_queries)


def test_the_page_is_rebuilt_when_the_teams_day_turns_after_the_clock_change(
    period, manager, client_for, engineer
):
    seat = Seat.objects.filter(shift__period=period).first()
    # Monday 29 March 2027 starts at 23:00 UTC on Sunday in London (BST since Sunday 01:00 UTC).
    with time_machine.travel(utc(2027, 3, 28, 22, 30), tick=False):
        manager_client = client_for(manager)  # signed in then, so the session is still valid
        manager_client.get(_url(period))
    # A write behind the services' back (no stamp renewed) stays unseen until the day turns.
    Seat.objects.filter(pk=seat.pk).update(proposed_holder=engineer)
    with time_machine.travel(utc(2027, 3, 28, 22, 59), tick=False):
        assert not _holder_shown(manager_client.get(_url(period)).content, seat, engineer.name)
    with time_machine.travel(utc(2027, 3, 28, 23, 0), tick=False):
        assert _holder_shown(manager_client.get(_url(period)).content, seat, engineer.name)


def _open_seat_rule(page: str) -> str:
    match = re.search(r'<style id="open-seat-style">(.*?)</style>', page, re.S)
    return match.group(1) if match else ""


def test_the_open_seat_is_marked_in_the_grid_and_the_table(
    period, manager, manager_client, engineer
):
    seat, other = Seat.objects.filter(shift__period=period)[:2]
    services.assign_seat(seat=seat, user=engineer, by=manager, confirm=True)
    manager_client.get(_url(period))  # fills the cache without a selection
    page = manager_client.get(_url(period) + f"?seat={seat.pk}").content.decode()
    # The page's own style rule outlines the open seat's chip in the grid and its cell in the
    # table; the cached grid and table are the same whichever seat is open.
    rule = _open_seat_rule(page)
    assert f'.rota-grid a.chip[data-seat="{seat.pk}"]' in rule and "outline" in rule
    assert f'.rota-shifts .seat-cell:has(> a[data-seat="{seat.pk}"])' in rule
    tree = html.fromstring(page)
    assert tree.xpath(
        f'//table[@class="rota-grid"]//a[contains(@class, "chip")][@data-seat="{seat.pk}"]'
    )
    cell = f'//table[@class="rota-shifts"]//td[@class="seat-cell"]/a[@data-seat="{seat.pk}"]'
    assert tree.xpath(cell)
    assert f'data-seat="{other.pk}"' not in rule
    assert 'aria-current="true"' not in page  # no link edited into the cached parts
    assert not _open_seat_rule(manager_client.get(_url(period)).content.decode())
