"""Through a real Celery worker: receivers and Opsgenie down → pending, on the page → once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integrations.paging import services as paging
from integrations.paging import tasks as paging_tasks
from integrations.paging.models import Override, OverrideState, Provider
from integrations.webhooks import services as webhooks
from integrations.webhooks import tasks as webhook_tasks
from integrations.webhooks.models import Delivery, DeliveryState
from tests.cover.conftest import make_week
from tests.integrations.contract_opsgenie import API_KEY, OpsgenieServer
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def opsgenie() -> OpsgenieServer:
    server = OpsgenieServer()
    yield server
    server.stop()


@pytest.fixture
def celery_worker_env(opsgenie) -> dict[str, str]:
    """Point the worker's Opsgenie client at the contract server."""
    return {"OPSGENIE_API_URL": opsgenie.url}


def test_services_down_then_up_get_everything_once(
    celery_worker, team, manager, engineer, receiver, opsgenie, manager_client
):
    endpoint = webhooks.add_endpoint(
        team=team, url=receiver.url, events=["seat.changed", "rota.published"], by=manager
    )
    receiver.secret = endpoint.secret
    paging.connect(
        team=team,
        provider=Provider.OPSGENIE,
        role="primary",
        schedule_id="ops-sched-1",
        api_key=API_KEY,
        by=manager,
    )
    receiver.down = opsgenie.down = True
    make_week(team, manager, engineer)

    wait_until("five failed deliveries", lambda: Delivery.objects.filter(attempts=1).count() == 5)
    wait_until(
        "three overrides waiting",
        lambda: (
            Override.objects.filter(state=OverrideState.PENDING).exclude(last_error="").exists()
            and Override.objects.filter(state=OverrideState.PENDING).count() == 3
        ),
    )
    page = manager_client.get(f"/teams/{team.slug}/integrations/").content.decode()
    assert "5 webhook deliveries waiting to be sent" in page
    assert "3 paging overrides waiting to reach the paging tool" in page

    receiver.down = opsgenie.down = False
    # The back-off ends (instead of waiting minutes); the beat's sweeps run, twice each.
    Delivery.objects.update(next_attempt_at=timezone.now())
    Override.objects.update(next_attempt_at=timezone.now())
    for _ in range(2):
        webhook_tasks.sweep.delay()
        paging_tasks.sweep.delay()
    wait_until(
        "all delivered",
        lambda: (
            not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists()
            and not Override.objects.exclude(state=OverrideState.SYNCED).exists()
        ),
    )
    webhook_tasks.sweep.delay().get(timeout=30)
    paging_tasks.sweep.delay().get(timeout=30)
    assert sorted(receiver.types()) == ["rota.published"] + ["seat.changed"] * 4
    assert len({c["id"] for c in receiver.verified}) == 5
    assert (
        sorted(line for line in opsgenie.lines())
        == ["POST /v2/schedules/ops-sched-1/overrides"] * 3
    )
    assert len(opsgenie.overrides) == 3
