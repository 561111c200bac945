"""Slack fixtures: the contract server, settings pointing at it, an installation, signed posts."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from slack_sdk.signature import SignatureVerifier

from integrations.slack.models import Installation
from tests.cover import conftest as cover_conftest
from tests.slack.contract_slack import ContractSlack

SIGNING_SECRET = "test-signing-secret-0123456789"


@pytest.fixture
def slack(settings) -> Iterator[ContractSlack]:
    """Start the contract Slack server and point Rota's Slack settings at it."""
    server = ContractSlack()
    settings.SLACK_API_URL = server.url + "/api/"
    settings.SLACK_RESPONSE_URL_PREFIXES = [server.url + "/hooks/"]
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.SLACK_CLIENT_ID = server.state.client_id
    settings.SLACK_CLIENT_SECRET = server.state.client_secret
    try:
        yield server
    finally:
        server.stop()


def install(team, slack: ContractSlack, by=None) -> Installation:
    return Installation.objects.create(
        team=team,
        workspace_id=slack.state.workspace_id,
        workspace_name=slack.state.workspace_name,
        bot_user_id="U0BOT",
        bot_token=slack.state.bot_token,
        installed_by=by,
    )


@pytest.fixture
def installed(team, slack, manager) -> Installation:
    return install(team, slack, by=manager)


def signed_post(
    path: str,
    form: dict[str, str],
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
    client: Client | None = None,
):
    """POST a form to Rota the way Slack does: v0 HMAC-SHA256 over 'v0:<ts>:<body>'."""
    body = urlencode(form)
    ts = str(int(time.time()) if timestamp is None else timestamp)
    if signature is None:
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    headers = {"X-Slack-Request-Timestamp": ts}
    if signature:
        headers["X-Slack-Signature"] = signature
    return (client or Client()).post(
        path, data=body, content_type="application/x-www-form-urlencoded", headers=headers
    )


def command(slack: ContractSlack, user_id: str, text: str = "", **kwargs):
    return signed_post(
        "/integrations/slack/commands",
        {
            "command": "/oncall",
            "text": text,
            "team_id": slack.state.workspace_id,
            "user_id": user_id,
            "response_url": slack.hook_url("cmd"),
            "trigger_id": "1.2.3",
        },
        **kwargs,
    )


def press(slack: ContractSlack, user_id: str, action_id: str, value: str, **kwargs):
    payload = {
        "type": "block_actions",
        "team": {"id": slack.state.workspace_id},
        "user": {"id": user_id},
        "response_url": slack.hook_url(f"press-{user_id}"),
        "actions": [{"action_id": action_id, "value": value, "type": "button"}],
    }
    return signed_post(
        "/integrations/slack/interactions", {"payload": json.dumps(payload)}, **kwargs
    )


# The cover tests' week (24–30 March 2027, across the change to BST), seen while Saturday runs.
SATURDAY = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(cover_conftest.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def week(clock, team, manager, engineer) -> cover_conftest.Week:
    """Publish the week a week ahead, then stand on Saturday 11:00 while Eddie and Pat are on."""
    made = cover_conftest.make_week(team, manager, engineer)
    clock.move_to(SATURDAY)
    return made
