"""Ranked timeouts, one reminder, escalation at the deadline and close to the shift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from scheduling.cover import asking, services
from scheduling.cover.models import AskState, CoverRequest, State
from scheduling.cover.tasks import sweep
from tests.cover.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(week, django_capture_on_commit_callbacks) -> CoverRequest:
    with django_capture_on_commit_callbacks(execute=True):
        return services.open_request(seat=week.seat, user=week.requester)


def _sweep_at(clock, moment, capture):
    clock.move_to(moment)
    mail.outbox.clear()
    with capture(execute=True):
        return sweep.delay().get()


def test_ranked_waits_four_hours_reminds_once_at_half_then_asks_the_next(
    week, request_, clock, django_capture_on_commit_callbacks
):
    first = request_.asks.get(rank=1)
    assert first.wait_until == NOW + timedelta(hours=4)
    assert _sweep_at(clock, NOW + timedelta(hours=1), django_capture_on_commit_callbacks) == {
        "expired": 0,
        "reminded": 0,
        "escalated": 0,
    }
    assert mail.outbox == []
    assert (
        _sweep_at(clock, NOW + timedelta(hours=2), django_capture_on_commit_callbacks)["reminded"]
        == 1
    )
    assert [m.to for m in mail.outbox] == [[week.alice.email]] and "Reminder" in mail.outbox[
        0
    ].subject
    # Idempotent: a second sweep at the same moment sends nothing more.
    assert (
        _sweep_at(clock, NOW + timedelta(hours=2, minutes=5), django_capture_on_commit_callbacks)[
            "reminded"
        ]
        == 0
    )
    result = _sweep_at(clock, NOW + timedelta(hours=4), django_capture_on_commit_callbacks)
    assert result["expired"] == 1
    first.refresh_from_db()
    second = request_.asks.get(rank=2)
    assert first.state == AskState.EXPIRED and second.state == AskState.ASKED
    assert [m.to for m in mail.outbox] == [[week.bob.email]]
    assert (
        _sweep_at(clock, NOW + timedelta(hours=4, minutes=5), django_capture_on_commit_callbacks)[
            "expired"
        ]
        == 0
    )


def test_the_wait_is_shorter_close_to_the_shift():
    settings = type(
        "S", (), {"wait_hours": 4, "urgent_within_hours": 12, "escalate_hours_before": 24}
    )()
    request = CoverRequest(starts_at=datetime(2027, 3, 27, 9, 0, tzinfo=UTC))
    assert asking.wait_for(request, settings, datetime(2027, 3, 20, 9, 0, tzinfo=UTC)) == timedelta(
        hours=4
    )
    assert asking.wait_for(request, settings, datetime(2027, 3, 27, 1, 0, tzinfo=UTC)) == timedelta(
        hours=2
    )
    assert asking.wait_for(
        request, settings, datetime(2027, 3, 27, 8, 50, tzinfo=UTC)
    ) == timedelta(minutes=15)


def test_nobody_agreeing_by_the_deadline_escalates_once(
    week, request_, clock, django_capture_on_commit_callbacks
):
    deadline = week.shift.starts_at - timedelta(hours=24)
    assert request_.escalate_at == deadline
    result = _sweep_at(clock, deadline - timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert result["escalated"] == 0
    result = _sweep_at(clock, deadline, django_capture_on_commit_callbacks)
    assert result["escalated"] == 1
    assert [m.to for m in mail.outbox if "Cover needed" in m.subject] == [[week.manager.email]]
    assert (
        _sweep_at(clock, deadline + timedelta(minutes=5), django_capture_on_commit_callbacks)[
            "escalated"
        ]
        == 0
    )
    request_.refresh_from_db()
    assert request_.state == State.ESCALATED
    # Escalated requests still take an agree.
    asked = request_.asks.filter(state=AskState.ASKED).first()
    services.agree(ask=asked)
    request_.refresh_from_db()
    assert request_.state == State.COVERED


def test_a_request_within_twelve_hours_of_the_shift_goes_to_the_manager_at_once(
    week, django_capture_on_commit_callbacks
):
    with time_machine.travel(week.shift.starts_at - timedelta(hours=6), tick=False):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = services.open_request(seat=week.seat, user=week.requester)
    assert request.state == State.ESCALATED
    subjects = [m.subject for m in mail.outbox]
    assert any("Cover needed" in s for s in subjects) and any(
        "Can you cover" in s for s in subjects
    )
    # Six hours before the shift: a quarter of it (1.5 h) is the wait.
    assert request.asks.get(rank=1).wait_until == week.shift.starts_at - timedelta(
        hours=4, minutes=30
    )
