"""Slack's requests are verified with the signing secret: anything unsigned answers 401."""

from __future__ import annotations

import time

import pytest

from integrations.slack.models import Inbound
from tests.slack.conftest import command, press, signed_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_signed_command_is_acknowledged_at_once_and_kept_for_a_worker(slack, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = command(slack, "U999")
    assert response.status_code == 200
    assert response.content == b""
    assert Inbound.objects.get().payload["text"] == ""


def test_a_request_without_a_signature_answers_401(slack):
    response = command(slack, "U999", signature="")
    assert response.status_code == 401
    assert not Inbound.objects.exists()


def test_a_wrong_signature_answers_401(slack):
    assert command(slack, "U999", secret="someone-elses-secret").status_code == 401
    assert press(slack, "U999", "cover_agree", "1", secret="nope").status_code == 401
    assert not Inbound.objects.exists()


def test_a_stale_signature_answers_401(slack):
    # Signed correctly, but ten minutes ago: a replay.
    assert command(slack, "U999", timestamp=int(time.time()) - 600).status_code == 401


def test_no_timestamp_header_answers_401(slack):
    from django.test import Client

    response = Client().post(
        "/integrations/slack/commands",
        data="team_id=T&user_id=U",
        content_type="application/x-www-form-urlencoded",
        headers={"X-Slack-Signature": "v0=abc"},
    )
    assert response.status_code == 401


def test_without_a_configured_secret_everything_is_refused(slack, settings):
    settings.SLACK_SIGNING_SECRET = ""
    assert command(slack, "U999").status_code == 401


def test_a_signed_interaction_that_is_not_json_is_a_400(slack):
    response = signed_post("/integrations/slack/interactions", {"payload": "{not json"})
    assert response.status_code == 400


def test_get_is_not_allowed(client):
    assert client.get("/integrations/slack/commands").status_code == 405
