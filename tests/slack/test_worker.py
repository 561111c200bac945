"""With a real worker: Slack's request is answered at once, and worked after the answer."""

from __future__ import annotations

import time

import pytest

from integrations.slack.models import Call, CallState, Inbound
from tests.services import wait_until
from tests.slack.conftest import command

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_env(slack) -> dict[str, str]:
    return {
        "SLACK_API_URL": slack.url + "/api",
        "SLACK_TEST_RESPONSE_URL_PREFIXES": slack.url + "/hooks/",
    }


def test_a_command_is_acknowledged_then_answered_by_the_worker(
    celery_worker, slack, installed, team, engineer
):
    slack_id = slack.add_user(engineer.email)
    started = time.monotonic()
    response = command(slack, slack_id)
    assert response.status_code == 200 and time.monotonic() - started < 3
    wait_until(
        "the answer to the command",
        lambda: any(h["path"].endswith("/cmd") for h in slack.state.hooks),
        timeout=30,
    )
    assert "Nobody is on call right now" in slack.state.hooks[0]["text"]
    wait_until(
        "the command handled",
        lambda: Inbound.objects.filter(handled_at__isnull=False).exists(),
        timeout=30,
    )
    assert Call.objects.get(method="response_url").state == CallState.SENT
    assert slack.methods().count("response_url") == 1


def test_slack_down_then_up_delivers_once_through_the_worker(
    celery_worker, slack, installed, manager, redis_url
):
    from datetime import timedelta

    from django.utils import timezone

    from integrations.slack import install
    from integrations.slack.tasks import sweep

    slack.add_user(manager.email)
    slack.down()
    install.send_test(installation=installed, by=manager)
    wait_until(
        "a failed call",
        lambda: Call.objects.filter(attempts=1, state=CallState.PENDING).exists(),
        timeout=30,
    )
    slack.up()
    # The back-off ends: the beat's sweep would do this each minute.
    Call.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    sweep.delay()
    sweep.delay()
    wait_until(
        "the call sent", lambda: Call.objects.filter(state=CallState.SENT).exists(), timeout=30
    )
    wait_until("both sweeps to finish", lambda: celery_worker.idle(redis_url))
    sweep.apply()  # one more sweep, here: the delivered row is not sent again
    assert slack.methods().count("chat.postMessage") == 1
