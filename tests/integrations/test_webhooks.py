"""Outbound webhooks: each event once, signed per Standard Webhooks, retried, turned off."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.webhooks import services, tasks
from integrations.webhooks.errors import WebhookError
from integrations.webhooks.models import Delivery, DeliveryState, Endpoint
from scheduling.cover import services as cover
from scheduling.oncall import handoffs
from scheduling.rotas import services as rota
from scheduling.rotas.models import Seat
from tests.cover.conftest import make_week

pytestmark = pytest.mark.django_db


def _endpoint(team, manager, receiver, events=None) -> Endpoint:
    endpoint = services.add_endpoint(
        team=team,
        url=receiver.url + "/hooks",
        events=events
        or [
            "oncall.changed",
            "rota.published",
            "seat.changed",
            "cover.requested",
            "cover.resolved",
        ],
        by=manager,
    )
    receiver.secret = endpoint.secret
    return endpoint


def test_publish_reassign_cover_and_handoff_each_arrive_once_signed(
    clock, team, manager, engineer, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(team, manager, receiver)
    assert endpoint.secret.startswith("whsec_")
    with django_capture_on_commit_callbacks(execute=True):
        week = make_week(team, manager, engineer)
    # Publishing: one seat.changed per filled seat, one rota.published for the version.
    assert sorted(receiver.types()) == ["rota.published"] + ["seat.changed"] * 4
    receiver.verified.clear()

    with django_capture_on_commit_callbacks(execute=True):
        rota.assign_seat(seat=week.seat_of(29, "primary"), user=week.bob, by=manager, confirm=True)
    assert receiver.types() == ["seat.changed"]
    assert receiver.verified[0]["data"]["holder"]["email"] == week.bob.email
    assert receiver.verified[0]["data"]["reason"] == "edit"
    receiver.verified.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request = cover.open_request(seat=week.seat, user=week.requester)
    with django_capture_on_commit_callbacks(execute=True):
        cover.assign(request=request, user=week.alice, by=manager)
    assert receiver.types() == ["cover.requested", "seat.changed", "cover.resolved"]
    resolved = receiver.verified[2]["data"]
    assert resolved["outcome"] == "assigned" and resolved["covered_by"]["email"] == week.alice.email
    receiver.verified.clear()

    # An unchanged re-publish changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert rota.publish(period=week.period, by=manager, confirm_unfilled=True) is None
    assert receiver.verified == []

    # Saturday 09:00: Fred hands primary to Alice (the cover), the empty secondary goes to Pat.
    with django_capture_on_commit_callbacks(execute=True):
        handoffs.scan(now=datetime(2027, 3, 27, 9, 5, tzinfo=UTC))
        handoffs.scan(now=datetime(2027, 3, 27, 9, 6, tzinfo=UTC))
    changed = {p["data"]["role"]: p["data"] for p in receiver.verified}
    assert receiver.types() == ["oncall.changed", "oncall.changed"]
    assert changed["primary"]["previous"]["email"] == week.fred.email
    assert changed["primary"]["holder"]["email"] == week.alice.email
    assert changed["secondary"]["previous"] is None
    assert changed["secondary"]["holder"]["email"] == week.partner.email
    assert changed["primary"]["at"] == "2027-03-27T09:00:00Z"

    # Everything passed verification, and nothing came twice (the sweep adds nothing).
    tasks.sweep()
    assert receiver.rejected == []
    assert len(receiver.calls) == len({c.headers["webhook-id"] for c in receiver.calls}) == 11
    assert not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()


def test_a_receiver_that_is_down_gets_the_delivery_later_once(
    clock, team, manager, engineer, receiver, manager_client, django_capture_on_commit_callbacks
):
    _endpoint(team, manager, receiver, events=["rota.published"])
    receiver.down = True
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.response_status == 503
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    assert "1 webhook delivery waiting to be sent" in page and "failing" in page

    receiver.down = False
    tasks.sweep()  # still backing off: nothing sent
    assert receiver.verified == []
    clock.shift(timedelta(minutes=2))
    tasks.sweep()
    tasks.sweep()
    assert receiver.types() == ["rota.published"]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2


def test_a_refused_connection_is_retried_with_back_off(
    clock, team, manager, django_capture_on_commit_callbacks
):
    endpoint = services.add_endpoint(
        team=team, url="http://127.0.0.1:9/hooks", events=["seat.changed"], by=manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.send_test(endpoint=endpoint, by=manager)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING
    assert "Could not connect" in delivery.error
    assert delivery.next_attempt_at > datetime(2027, 3, 20, 10, 0, tzinfo=UTC)


def test_repeated_failures_turn_the_endpoint_off_and_email_the_managers(
    clock, settings, team, manager, engineer, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 2
    endpoint = _endpoint(team, manager, receiver, events=["seat.changed"])
    receiver.down = True
    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "503" in endpoint.disabled_reason
    sent = [m for m in mail.outbox if "Webhook turned off" in m.subject]
    assert len(sent) == 1 and sent[0].to == [manager.email]
    assert endpoint.url in sent[0].body
    # Turned off: deliveries wait, nothing is sent or dropped.
    receiver.down = False
    clock.shift(timedelta(hours=2))
    tasks.sweep()
    assert receiver.verified == []
    assert Delivery.objects.filter(state=DeliveryState.PENDING).count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.enable_endpoint(endpoint=endpoint, by=manager)
    assert receiver.types() == ["seat.changed"] * 4


def test_redeliver_sends_the_same_message_id_again(
    clock, team, manager, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(team, manager, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.send_test(endpoint=endpoint, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.redeliver(delivery=Delivery.objects.get(pk=delivery.pk), by=manager)
    assert [c["type"] for c in receiver.verified] == ["test", "test"]
    assert receiver.verified[0]["id"] == receiver.verified[1]["id"]


def test_a_tampered_body_fails_verification(clock, team, manager, receiver):
    endpoint = _endpoint(team, manager, receiver)
    delivery = services.send_test(endpoint=endpoint, by=manager)
    body, headers = services.signed_request(delivery, datetime(2027, 3, 20, 10, 0, tzinfo=UTC))
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "test"
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"test", b"tost"), headers)


def test_the_command_adds_an_endpoint_and_prints_its_secret_last(team, receiver):
    out = io.StringIO()
    call_command(
        "webhooks",
        "add",
        "--team",
        team.slug,
        "--url",
        receiver.url,
        "--event",
        "seat.changed",
        "--event",
        "oncall.changed",
        stdout=out,
    )
    endpoint = Endpoint.objects.get()
    assert out.getvalue().strip().splitlines()[-1] == endpoint.secret
    assert endpoint.events == ["oncall.changed", "seat.changed"] and endpoint.created_by is None


def test_the_guard_refuses_a_private_address(team, manager, settings):
    settings.URL_FETCH_ALLOW = []
    with pytest.raises(WebhookError, match="private or reserved"):
        services.add_endpoint(
            team=team, url="http://127.0.0.1:8080/x", events=["seat.changed"], by=manager
        )


def test_managers_add_on_the_page_engineers_and_outsiders_cannot(
    team, manager_client, engineer_client, outsider_client, receiver
):
    url = f"/teams/{team.slug}/integrations/"
    assert engineer_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    response = manager_client.post(
        url + "webhooks/", {"url": receiver.url, "events": ["seat.changed"], "description": "Bot"}
    )
    assert response.status_code == 302
    page = manager_client.get(url).content.decode()
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in page  # shown once …
    assert endpoint.secret not in manager_client.get(url).content.decode()  # … then never
    bad = manager_client.post(url + "webhooks/", {"url": "not a url", "events": []})
    assert bad.status_code == 302 and Endpoint.objects.count() == 1
    other = outsider_client.post(url + f"webhooks/{endpoint.pk}/remove/")
    assert other.status_code == 404
    assert manager_client.get(url).status_code == 200


def test_the_sweep_records_events_a_lost_signal_missed(clock, team, manager, engineer, receiver):
    _endpoint(team, manager, receiver, events=["seat.changed"])
    week = make_week(team, manager, engineer)  # on-commit callbacks never run: signals lost
    assert receiver.verified == []
    tasks.sweep()
    assert receiver.types() == ["seat.changed"] * 4
    assert Seat.objects.filter(shift__period=week.period, holder__isnull=False).count() == 4


def test_the_page_query_count_does_not_grow_with_endpoints_or_links(team, manager, manager_client):
    from integrations.paging.models import ScheduleLink

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(f"/teams/{team.slug}/integrations/").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        endpoint = Endpoint.objects.create(
            team=team, url=f"https://hooks{n}.example.com/", events=["seat.changed"], secret="x"
        )
        services.send_test(endpoint=endpoint, by=manager)
        ScheduleLink.objects.create(
            team=team,
            provider="opsgenie",
            role=["primary", "secondary", "shadow"][n],
            schedule_id=f"s{n}",
            api_key="k",
        )

    add(0)
    one = count()
    add(1)
    add(2)
    assert count() == one


def test_a_team_without_endpoints_records_no_events_and_the_sweep_leaves_it(
    clock, team, manager, engineer, receiver, django_capture_on_commit_callbacks
):
    from integrations.webhooks.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        make_week(team, manager, engineer)  # a publish: four seat changes, signals sent
    assert Event.objects.count() == 0
    with CaptureQueriesContext(connection) as sweeping:
        tasks.sweep()
    assert Event.objects.count() == 0
    assert not any("INSERT" in q["sql"] for q in sweeping.captured_queries)
    # Once the team has an endpoint, the sweep sends what its signals could not.
    _endpoint(team, manager, receiver, events=["seat.changed"])
    tasks.sweep()
    assert receiver.types() == ["seat.changed"] * 4
