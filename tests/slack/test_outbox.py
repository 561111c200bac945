"""Every Slack call is an outbox row: sent once, retried with back-off (Retry-After), visible."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from integrations.slack import install, outbox
from integrations.slack.models import Call, CallState
from integrations.slack.tasks import sweep

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_slack_down_stays_pending_visible_then_is_delivered_once(
    slack, installed, manager, manager_client, frozen
):
    slack.add_user(manager.email)
    slack.down()
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    assert call.state == CallState.PENDING
    assert call.attempts == 1 and "503" in call.last_error
    assert call.next_attempt_at > timezone.now()
    page = manager_client.get(f"/integrations/slack/teams/{installed.team.slug}/").content.decode()
    assert "1 waiting" in page and "503" in page
    # Still down at the next try: back-off doubles.
    frozen.shift(timedelta(seconds=31))
    sweep()
    call.refresh_from_db()
    assert call.attempts == 2 and call.next_attempt_at >= timezone.now() + timedelta(seconds=59)
    slack.up()
    sweep()  # not due yet: nothing is sent early
    assert "chat.postMessage" not in slack.methods()
    frozen.shift(timedelta(seconds=61))
    sweep()
    sweep()
    call.refresh_from_db()
    assert call.state == CallState.SENT and call.result["channel"].startswith("D")
    assert slack.methods().count("chat.postMessage") == 1
    page = manager_client.get(f"/integrations/slack/teams/{installed.team.slug}/").content.decode()
    assert "all delivered" in page


def test_a_429_waits_at_least_its_retry_after(slack, installed, manager, frozen):
    slack.add_user(manager.email)
    slack.rate_limit(times=1, retry_after=120)
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    assert call.last_error == "ratelimited"
    assert call.next_attempt_at >= timezone.now() + timedelta(seconds=120)
    frozen.shift(timedelta(seconds=60))
    sweep()
    assert Call.objects.get().state == CallState.PENDING
    frozen.shift(timedelta(seconds=61))
    sweep()
    assert Call.objects.get().state == CallState.SENT


def test_a_call_already_being_sent_is_not_sent_again(slack, installed, manager):
    slack.add_user(manager.email)
    slack.down()
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    slack.up()
    Call.objects.filter(pk=call.pk).update(
        state=CallState.SENDING, next_attempt_at=timezone.now() + outbox.LEASE
    )
    assert outbox.deliver(call_id=call.pk) is None  # another worker holds the lease
    assert "chat.postMessage" not in slack.methods()


def test_a_revoked_token_fails_for_good_and_can_be_sent_again(
    slack, installed, manager, manager_client
):
    slack.add_user(manager.email)
    slack.state.bot_token = "xoxb-revoked"
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    assert (call.state, call.last_error) == (CallState.FAILED, "invalid_auth")
    page = manager_client.get(f"/integrations/slack/teams/{installed.team.slug}/").content.decode()
    assert "1 failed" in page and "invalid_auth" in page and "Send again" in page
    slack.state.bot_token = installed.bot_token
    response = manager_client.post(
        f"/integrations/slack/teams/{installed.team.slug}/calls/{call.pk}/retry"
    )
    assert response.status_code == 302
    assert Call.objects.get().state == CallState.SENT


def test_someone_without_a_slack_account_is_skipped_with_the_reason(slack, installed, manager):
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    assert call.state == CallState.SKIPPED
    assert manager.email in call.last_error


def test_a_response_url_that_is_not_slacks_is_never_posted(slack, installed, settings):
    settings.SLACK_RESPONSE_URL_PREFIXES = ["https://hooks.slack.com/"]
    outbox.enqueue(
        installation=installed,
        key="x",
        method="response_url",
        url=slack.hook_url("evil"),
        args={"text": "hi"},
    )
    call = Call.objects.get()
    assert (call.state, call.last_error) == (CallState.FAILED, "bad_response_url")
    assert slack.calls == []


def test_a_private_slack_api_url_is_refused_by_the_url_guard(slack, installed, manager, settings):
    settings.URL_FETCH_ALLOW = []
    slack.add_user(manager.email)
    install.send_test(installation=installed, by=manager)
    call = Call.objects.get()
    assert call.state == CallState.PENDING and "SLACK_API_URL refused" in call.last_error
    assert slack.calls == []


def test_the_bot_token_is_encrypted_at_rest(installed):
    with connection.cursor() as cursor:
        cursor.execute("SELECT bot_token FROM slack_installation WHERE id = %s", [installed.pk])
        stored = cursor.fetchone()[0]
    assert installed.bot_token not in stored and stored.startswith("gAAAA")
