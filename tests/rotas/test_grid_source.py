"""Published shifts appear on the person's availability month grid, in their own zone."""

from datetime import date

import pytest

from scheduling.availability.hooks import shifts_for_grid
from scheduling.rotas import services
from scheduling.rotas.models import Seat
from tests.rotas.conftest import FIRST, LAST

pytestmark = pytest.mark.django_db


def _publish(period, manager, holder):
    Seat.objects.filter(shift__period=period).update(proposed_holder=holder)
    services.publish(period=period, by=manager, confirm_unfilled=True)


def test_drafts_stay_off_the_grid(period, engineer):
    Seat.objects.filter(shift__period=period).update(proposed_holder=engineer)
    assert shifts_for_grid(user=engineer, first=FIRST, last=LAST) == {}


def test_published_shifts_are_labelled_by_local_day_across_dst(period, manager, engineer):
    _publish(period, manager, engineer)
    labels = shifts_for_grid(user=engineer, first=FIRST, last=LAST)
    assert sorted(labels) == [date(2027, 3, d) for d in range(24, 31)]
    # The 09:00 handoff stays 09:00 local on both sides of the change to BST (28 March).
    assert all(any(text.endswith("09:00") for text in found) for found in labels.values())
    assert any(text.startswith("Primary · Payments") for text in labels[date(2027, 3, 28)])


def test_shifts_show_in_the_viewers_zone(period, manager, engineer):
    engineer.timezone = "America/New_York"
    engineer.save()
    _publish(period, manager, engineer)
    labels = shifts_for_grid(user=engineer, first=FIRST, last=LAST)
    # 09:00 London is 05:00 in New York until the US is on DST too (it already is from 14 March).
    assert any(text.endswith("05:00") for text in labels[date(2027, 3, 24)])
    assert any(text.endswith("04:00") for text in labels[date(2027, 3, 28)])


def test_month_page_shows_my_shift(period, manager, engineer, engineer_client):
    _publish(period, manager, engineer)
    page = engineer_client.get("/availability/?start=2027-03")
    assert (
        "Primary · Payments" in page.content.decode()
        or "Secondary · Payments" in page.content.decode()
    )
