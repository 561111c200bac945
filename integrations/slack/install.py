"""Install the Slack app for a team by OAuth (oauth.v2.access), send a test, disconnect."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.access import is_manager_of
from accounts.models import Team, User
from integrations.slack import client, outbox
from integrations.slack.client import SlackFailure
from integrations.slack.errors import InstallError
from integrations.slack.models import Call, Installation, SlackUser, UserGroup

AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "users:read.email",
    "usergroups:read",
    "usergroups:write",
)
STATE_SALT = "integrations.slack.oauth"
STATE_MAX_AGE = 600


def is_configured() -> bool:
    return bool(settings.SLACK_CLIENT_ID and settings.SLACK_CLIENT_SECRET)


def redirect_uri() -> str:
    return settings.SITE_URL + reverse("slack:oauth_callback")


def authorize_url(*, team: Team, user: User) -> str:
    """Return Slack's consent page for this team, with a signed state bound to the manager."""
    state = signing.dumps({"team": team.pk, "user": user.pk}, salt=STATE_SALT)
    query = {
        "client_id": settings.SLACK_CLIENT_ID,
        "scope": ",".join(SCOPES),
        "redirect_uri": redirect_uri(),
        "state": state,
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def team_from_state(*, state: str, user: User) -> Team:
    """Return the team a state was made for, if it is fresh and made for this manager."""
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise InstallError("The Slack sign-in took too long; start again.") from None
    except signing.BadSignature:
        raise InstallError("This Slack answer was not started here; start again.") from None
    team = Team.objects.filter(pk=data.get("team")).first()
    if team is None or data.get("user") != user.pk or not is_manager_of(user, team):
        raise InstallError("Only the manager who started the installation can finish it.")
    return team


def complete(*, team: Team, code: str, by: User) -> Installation:
    """Exchange the code for a bot token and store the installation (token encrypted)."""
    try:
        data = client.call(
            None,
            "oauth.v2.access",
            {
                "client_id": settings.SLACK_CLIENT_ID,
                "client_secret": settings.SLACK_CLIENT_SECRET,
                "code": code,
                "redirect_uri": redirect_uri(),
            },
        )
    except SlackFailure as failure:
        raise InstallError(f"Slack refused the installation ({failure.error}).") from None
    token = str(data.get("access_token", ""))
    workspace = data.get("team") or {}
    if data.get("token_type") != "bot" or not token.startswith("xoxb-") or not workspace.get("id"):
        raise InstallError("Slack did not send a bot token; check the app's scopes.")
    with transaction.atomic():
        previous = Installation.objects.filter(team=team).first()
        if previous is not None and previous.workspace_id != workspace["id"]:
            previous.delete()  # another workspace: its groups and messages mean nothing there
        installation, _ = Installation.objects.update_or_create(
            team=team,
            defaults={
                "workspace_id": str(workspace["id"]),
                "workspace_name": str(workspace.get("name", ""))[:200],
                "bot_user_id": str(data.get("bot_user_id", "")),
                "bot_token": token,
                "scopes": str(data.get("scope", ""))[:1000],
                "installed_by": by,
                "installed_at": timezone.now(),
            },
        )
        audit.record(
            action="slack.installed",
            summary=f"{by.name} connected {team.name} to the Slack workspace "
            f"{installation.workspace_name or installation.workspace_id}",
            actor=by,
            team=team,
            target=installation,
        )
    return installation


def send_test(*, installation: Installation, by: User) -> Call | None:
    """DM the manager a test message through the outbox."""
    return outbox.enqueue(
        installation=installation,
        key=f"test:{by.pk}:{timezone.now().timestamp():.6f}",
        method="chat.postMessage",
        args={"text": f"Rota can reach you in Slack for {installation.team.name}."},
        recipient=by,
    )


def disconnect(*, installation: Installation, by: User) -> None:
    """Forget the installation, its token, its groups and its queued calls."""
    team = installation.team
    with transaction.atomic():
        UserGroup.objects.filter(installation=installation).delete()
        if (
            not Installation.objects.filter(workspace_id=installation.workspace_id)
            .exclude(pk=installation.pk)
            .exists()
        ):
            SlackUser.objects.filter(workspace_id=installation.workspace_id).delete()
        installation.delete()
        audit.record(
            action="slack.disconnected",
            summary=f"{by.name} disconnected {team.name} from Slack",
            actor=by,
            team=team,
        )
