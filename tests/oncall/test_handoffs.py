"""Handoff detection: each shift boundary whose holder changes is recorded and announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from scheduling.oncall import handoffs
from scheduling.oncall.models import Handoff
from scheduling.oncall.signals import handoff
from tests.cover.conftest import NOW, make_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    """Freeze time a week before the DST week, like the cover tests."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def heard():
    received: list[dict] = []
    handoff.connect(
        lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-handoff"
    )
    yield received
    handoff.disconnect(dispatch_uid="test-handoff")


def test_the_boundary_across_the_dst_change_is_found_once(
    frozen, team, manager, engineer, heard, django_capture_on_commit_callbacks
):
    week = make_week(team, manager, engineer)
    # Sunday 28 March 09:00 BST is 08:00 UTC: the end of the 23-hour Saturday shift.
    with django_capture_on_commit_callbacks(execute=True):
        handoffs.scan(now=datetime(2027, 3, 28, 7, 0, tzinfo=UTC))
        found = handoffs.scan(now=datetime(2027, 3, 28, 8, 1, tzinfo=UTC))
    at = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert {(h.role, h.previous_user_id, h.user_id, h.at) for h in found} == {
        ("primary", engineer.pk, None, at),
        ("secondary", week.partner.pk, None, at),
    }
    assert [(kw["role"], kw["at"]) for kw in heard][-2:] == [("primary", at), ("secondary", at)]
    heard.clear()
    # A repeated scan, or one that starts earlier again, records and announces nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert handoffs.scan(now=datetime(2027, 3, 28, 8, 2, tzinfo=UTC)) == []
    assert heard == []
    assert Handoff.objects.filter(at=at).count() == 2


def test_no_handoff_when_the_same_person_keeps_the_role(frozen, team, manager, engineer):
    week = make_week(team, manager, engineer)
    from scheduling.rotas import services as rota

    rota.assign_seat(seat=week.seat_of(28, "primary"), user=engineer, by=manager, confirm=True)
    found = handoffs.scan(now=datetime(2027, 3, 28, 8, 1, tzinfo=UTC))
    # Saturday primary is Eddie and so is Sunday's: only the secondary changes hands.
    assert [(h.role, h.user_id) for h in found if h.at.day == 28] == [("secondary", None)]


def test_the_first_scan_looks_back_one_day_not_over_all_history(frozen, team, manager, engineer):
    make_week(team, manager, engineer)
    found = handoffs.scan(now=datetime(2027, 3, 31, 12, 0, tzinfo=UTC))
    assert found and min(h.at for h in found) > datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
    assert handoffs.scan(now=datetime(2027, 3, 31, 12, 0, tzinfo=UTC) + timedelta(minutes=1)) == []
