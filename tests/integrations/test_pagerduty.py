"""PagerDuty follows the rota: exactly the documented calls, against the contract server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.paging import services, tasks
from integrations.paging.models import Override, OverrideState, Provider
from scheduling.cover import services as cover
from scheduling.rotas import problem
from scheduling.rotas import services as rota
from scheduling.rotas.models import RotaPeriod, Seat
from tests.cover.conftest import make_week
from tests.integrations.contract_pagerduty import API_KEY, user_id

pytestmark = pytest.mark.django_db
OVERRIDES = "/schedules/PSCHED1/overrides"


def _connect(team, manager, capture):
    with capture(execute=True):
        return services.connect(
            team=team,
            provider=Provider.PAGERDUTY,
            role="primary",
            schedule_id="PSCHED1",
            api_key=API_KEY,
            by=manager,
        )


def _remote(server) -> dict[tuple[str, str], str]:
    """Return (start, end) → user id of the overrides the server holds."""
    return {(o["start"], o["end"]): o["user"]["id"] for o in server.overrides.values()}


def test_publish_reassign_and_cover_make_exactly_the_documented_calls(
    clock, team, manager, engineer, pagerduty_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _connect(team, manager, capture)
    assert pagerduty_server.calls == []
    with capture(execute=True):
        week = make_week(team, manager, engineer)
    # Three filled primary seats: a user look-up by email and an override each.
    assert sorted(pagerduty_server.lines()) == ["GET /users"] * 3 + [f"POST {OVERRIDES}"] * 3
    for call in pagerduty_server.calls:
        assert call.headers["authorization"] == f"Token token={API_KEY}"
        assert "application/vnd.pagerduty+json;version=2" in call.headers["accept"]
    post = next(c for c in pagerduty_server.calls if c.method == "POST").json
    assert set(post) == {"overrides"} and post["overrides"][0]["user"]["type"] == "user_reference"
    saturday = (week.shift.starts_at.isoformat(), week.shift.ends_at.isoformat())
    assert _remote(pagerduty_server)[saturday] == user_id(engineer.email)
    assert saturday == ("2027-03-27T09:00:00+00:00", "2027-03-28T08:00:00+00:00")  # 23 h: DST

    # A reassigned seat: its override is deleted and replaced (overrides cannot be edited).
    pagerduty_server.reset()
    tuesday = week.seat_of(30, "primary")
    old = Override.objects.get(seat_key=tuesday.pk).remote_id
    with capture(execute=True):
        rota.assign_seat(seat=tuesday, user=week.bob, by=manager, confirm=True)
    assert pagerduty_server.lines() == [
        f"DELETE {OVERRIDES}/{old}",
        "GET /users",
        f"POST {OVERRIDES}",
    ]
    assert pagerduty_server.calls[1].query["query"] == [week.bob.email]

    # A cover: the same replacement for the covered seat; opening the request calls nothing.
    pagerduty_server.reset()
    with capture(execute=True):
        request = cover.open_request(seat=week.seat, user=week.requester)
    assert pagerduty_server.calls == []
    with capture(execute=True):
        cover.assign(request=request, user=week.alice, by=manager)
    assert [line.split(" ")[0] for line in pagerduty_server.lines()] == ["DELETE", "GET", "POST"]
    assert _remote(pagerduty_server)[saturday] == user_id(week.alice.email)

    # An unchanged re-publish, and the sweep: no call at all.
    pagerduty_server.reset()
    with capture(execute=True):
        assert rota.publish(period=week.period, by=manager, confirm_unfilled=True) is None
    tasks.sweep()
    assert pagerduty_server.calls == []
    assert len(pagerduty_server.overrides) == 3
    assert set(Override.objects.values_list("state", flat=True)) == {OverrideState.SYNCED}


def test_pagerduty_down_leaves_overrides_pending_on_the_page_then_sends_them_once(
    clock,
    team,
    manager,
    engineer,
    pagerduty_server,
    manager_client,
    django_capture_on_commit_callbacks,
):
    _connect(team, manager, django_capture_on_commit_callbacks)
    pagerduty_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    assert Override.objects.filter(state=OverrideState.PENDING).count() == 3
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    assert "3 paging overrides waiting to reach the paging tool" in page
    assert "PagerDuty answered 503" in page

    pagerduty_server.down = False
    clock.shift(timedelta(minutes=2))
    tasks.sweep()
    tasks.sweep()
    assert len(pagerduty_server.overrides) == 3
    assert [line for line in pagerduty_server.lines() if line.startswith("POST")] == [
        f"POST {OVERRIDES}"
    ] * 3
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    assert "waiting to reach the paging tool" not in page


def test_a_429_waits_for_retry_after(
    clock, team, manager, engineer, pagerduty_server, django_capture_on_commit_callbacks
):
    _connect(team, manager, django_capture_on_commit_callbacks)
    pagerduty_server.rate_limited = 1
    pagerduty_server.retry_after = 600
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    # The first call was limited: nothing else was tried, everything waits 10 minutes.
    assert len(pagerduty_server.calls) == 1
    limited = Override.objects.exclude(last_error="").get()
    assert "429" in limited.last_error
    assert limited.next_attempt_at >= datetime(2027, 3, 20, 10, 10, tzinfo=UTC)
    clock.shift(timedelta(minutes=11))
    tasks.sweep()
    assert len(pagerduty_server.overrides) == 3


def test_an_unknown_person_is_an_error_that_waits(
    clock, team, manager, engineer, pagerduty_server, django_capture_on_commit_callbacks
):
    engineer.email = "eddie@elsewhere.test"
    engineer.save()
    _connect(team, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    stuck = Override.objects.get(email="eddie@elsewhere.test")
    assert stuck.state == OverrideState.PENDING
    assert "No PagerDuty user has the email address eddie@elsewhere.test" in stuck.last_error
    assert len(pagerduty_server.overrides) == 2


def test_history_from_pagerduty_counts_as_past_shifts(
    clock, team, manager, engineer, pagerduty_server, django_capture_on_commit_callbacks
):
    start = datetime(2027, 1, 4, 9, tzinfo=UTC)
    for day in range(5):
        a = start + timedelta(days=day)
        pagerduty_server.oncalls.append(
            {
                "schedule": {"id": "PSCHED1"},
                "user": {"id": user_id(engineer.email), "email": engineer.email},
                "start": a.isoformat(),
                "end": (a + timedelta(days=1)).isoformat(),
                "escalation_level": 1,
            }
        )
    result = services.import_pagerduty_history(
        team=team, role="primary", schedule_id="PSCHED1", api_key=API_KEY, days=120, by=manager
    )
    assert result.imported == 5
    # Two-item pages: the client followed `more` through three pages of the first 90-day
    # window (the most /oncalls answers per query), then asked for the remaining 30 days.
    assert [c.query["offset"][0] for c in pagerduty_server.calls] == ["0", "2", "4", "0"]
    assert pagerduty_server.calls[0].query["since"] == ["2026-11-20T10:00:00+00:00"]
    assert pagerduty_server.calls[3].query["until"] == ["2027-03-20T10:00:00+00:00"]
    again = services.import_pagerduty_history(
        team=team, role="primary", schedule_id="PSCHED1", api_key=API_KEY, days=120, by=manager
    )
    assert again.imported == 0 and again.skipped_existing == 5
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(team, manager, engineer)
    people = {p.id: p.past_shifts for p in problem.build(week.period).problem.people}
    assert people[problem.person_id(engineer.pk)] == 5
    imported = RotaPeriod.objects.exclude(pk=week.period.pk).get()
    assert Seat.objects.filter(shift__period=imported).count() == 5
