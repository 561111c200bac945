"""Opsgenie follows the rota through its schedule override API, against the contract server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from integrations.paging import services, tasks
from integrations.paging.models import Override, OverrideState, Provider
from scheduling.cover import services as cover
from scheduling.rotas import services as rota
from tests.cover.conftest import make_week
from tests.integrations.contract_opsgenie import API_KEY

pytestmark = pytest.mark.django_db
OVERRIDES = "/v2/schedules/ops-sched-1/overrides"


def _connect(team, manager, capture):
    with capture(execute=True):
        return services.connect(
            team=team,
            provider=Provider.OPSGENIE,
            role="primary",
            schedule_id="ops-sched-1",
            api_key=API_KEY,
            by=manager,
        )


def test_publish_reassign_and_cover_make_exactly_the_documented_calls(
    clock, team, manager, engineer, opsgenie_server, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _connect(team, manager, capture)
    with capture(execute=True):
        week = make_week(team, manager, engineer)
    # Opsgenie user names are email addresses: one POST per filled primary seat, nothing else.
    assert opsgenie_server.lines() == [f"POST {OVERRIDES}"] * 3
    for call in opsgenie_server.calls:
        assert call.headers["authorization"] == f"GenieKey {API_KEY}"
        assert call.query["scheduleIdentifierType"] == ["id"]
    saturday = opsgenie_server.overrides[f"rota-seat-{week.seat.pk}"]
    assert saturday["user"] == {"type": "user", "username": engineer.email}
    assert (saturday["startDate"], saturday["endDate"]) == (
        "2027-03-27T09:00:00Z",
        "2027-03-28T08:00:00Z",  # 23 hours: the clocks go forward that night
    )

    # A reassigned seat: one PUT replaces its override.
    opsgenie_server.reset()
    tuesday = week.seat_of(30, "primary")
    with capture(execute=True):
        rota.assign_seat(seat=tuesday, user=week.bob, by=manager, confirm=True)
    assert opsgenie_server.lines() == [f"PUT {OVERRIDES}/rota-seat-{tuesday.pk}"]
    assert opsgenie_server.calls[0].json["user"]["username"] == week.bob.email

    # A cover: opening calls nothing, the covered seat's override is replaced.
    opsgenie_server.reset()
    with capture(execute=True):
        request = cover.open_request(seat=week.seat, user=week.requester)
    assert opsgenie_server.calls == []
    with capture(execute=True):
        cover.assign(request=request, user=week.alice, by=manager)
    assert opsgenie_server.lines() == [f"PUT {OVERRIDES}/rota-seat-{week.seat.pk}"]
    assert opsgenie_server.overrides[f"rota-seat-{week.seat.pk}"]["user"]["username"] == (
        week.alice.email
    )

    # An unchanged re-publish and the sweep: no call.
    opsgenie_server.reset()
    with capture(execute=True):
        assert rota.publish(period=week.period, by=manager, confirm_unfilled=True) is None
    tasks.sweep()
    assert opsgenie_server.calls == []

    # An emptied seat: its override is deleted.
    with capture(execute=True):
        rota.clear_seat(seat=tuesday, by=manager)
    assert opsgenie_server.lines() == [f"DELETE {OVERRIDES}/rota-seat-{tuesday.pk}"]
    assert len(opsgenie_server.overrides) == 2


def test_opsgenie_down_then_delivered_once(
    clock,
    team,
    manager,
    engineer,
    opsgenie_server,
    manager_client,
    django_capture_on_commit_callbacks,
):
    _connect(team, manager, django_capture_on_commit_callbacks)
    opsgenie_server.down = True
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    assert Override.objects.filter(state=OverrideState.PENDING).count() == 3
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    assert "3 paging overrides waiting" in page and "Opsgenie answered 503" in page
    opsgenie_server.down = False
    opsgenie_server.reset()
    clock.shift(timedelta(minutes=2))
    tasks.sweep()
    tasks.sweep()
    assert opsgenie_server.lines() == [f"POST {OVERRIDES}"] * 3
    assert len(opsgenie_server.overrides) == 3


def test_a_lost_save_after_create_is_replaced_not_duplicated(
    clock, team, manager, engineer, opsgenie_server, django_capture_on_commit_callbacks
):
    _connect(team, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(team, manager, engineer)
    # As if a worker died after the POST: Rota forgot it, Opsgenie has it (409 on create).
    Override.objects.filter(seat_key=week.seat.pk).update(
        remote_id="", synced_email="", state=OverrideState.PENDING
    )
    opsgenie_server.reset()
    tasks.sweep()
    assert opsgenie_server.lines() == [
        f"POST {OVERRIDES}",
        f"PUT {OVERRIDES}/rota-seat-{week.seat.pk}",
    ]
    assert Override.objects.get(seat_key=week.seat.pk).state == OverrideState.SYNCED


def test_a_wrong_key_is_shown_and_waits(
    clock,
    team,
    manager,
    engineer,
    opsgenie_server,
    manager_client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.connect(
            team=team,
            provider=Provider.OPSGENIE,
            role="primary",
            schedule_id="ops-sched-1",
            api_key="wrong",
            by=manager,
        )
        make_week(team, manager, engineer)
    assert (
        "Could not authenticate"
        in manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    )
    assert not Override.objects.filter(state=OverrideState.SYNCED).exists()
