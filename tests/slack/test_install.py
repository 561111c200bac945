"""Install by OAuth (oauth.v2.access): the manager connects, the bot token is kept encrypted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import AuditEntry
from integrations.slack.models import Installation

pytestmark = pytest.mark.django_db(transaction=True)


def _start(client, team) -> dict[str, str]:
    response = client.post(f"/integrations/slack/teams/{team.slug}/connect")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert (url.scheme, url.netloc, url.path) == ("https", "slack.com", "/oauth/v2/authorize")
    return {k: v[0] for k, v in parse_qs(url.query).items()}


def test_a_manager_installs_the_app_and_the_token_is_stored(slack, team, manager, manager_client):
    query = _start(manager_client, team)
    assert query["client_id"] == slack.state.client_id
    assert set(query["scope"].split(",")) >= {"commands", "chat:write", "usergroups:write"}
    assert query["redirect_uri"].endswith("/integrations/slack/oauth/callback")
    response = manager_client.get(
        "/integrations/slack/oauth/callback", {"code": "good-code", "state": query["state"]}
    )
    assert response.status_code == 302
    installation = Installation.objects.get(team=team)
    assert installation.workspace_id == slack.state.workspace_id
    assert installation.bot_token == slack.state.bot_token
    assert slack.methods() == ["oauth.v2.access"]
    assert AuditEntry.objects.filter(action="slack.installed", team=team).exists()
    page = manager_client.get(response["Location"]).content.decode()
    assert "connected" in page and "Rota Test" in page


def test_a_code_slack_refuses_installs_nothing(slack, team, manager_client):
    query = _start(manager_client, team)
    response = manager_client.get(
        "/integrations/slack/oauth/callback",
        {"code": "stolen", "state": query["state"]},
        follow=True,
    )
    assert "Slack refused the installation (invalid_code)" in response.content.decode()
    assert not Installation.objects.exists()


def test_a_state_made_for_another_manager_is_refused(slack, team, manager_client, client_for):
    from tests.factories import MembershipFactory

    other = MembershipFactory(team=team, role="manager").user
    query = _start(client_for(other), team)
    response = manager_client.get(
        "/integrations/slack/oauth/callback", {"code": "good-code", "state": query["state"]}
    )
    assert response.status_code == 400
    assert not Installation.objects.exists() and slack.calls == []


def test_a_forged_state_is_refused(slack, manager_client):
    response = manager_client.get(
        "/integrations/slack/oauth/callback", {"code": "good-code", "state": "forged"}
    )
    assert response.status_code == 400


def test_engineers_and_outsiders_cannot_connect(slack, team, engineer_client, outsider_client):
    assert engineer_client.post(f"/integrations/slack/teams/{team.slug}/connect").status_code == 403
    assert outsider_client.post(f"/integrations/slack/teams/{team.slug}/connect").status_code == 404
    assert outsider_client.get(f"/integrations/slack/teams/{team.slug}/").status_code == 404


def test_without_client_settings_the_section_says_what_to_set(team, manager_client, settings):
    settings.SLACK_CLIENT_ID = ""
    page = manager_client.get(f"/integrations/slack/teams/{team.slug}/").content.decode()
    assert "SLACK_CLIENT_ID" in page and "Add to Slack" not in page


def test_disconnect_forgets_the_token(slack, installed, team, manager_client):
    response = manager_client.post(f"/integrations/slack/teams/{team.slug}/disconnect")
    assert response.status_code == 302
    assert not Installation.objects.exists()
