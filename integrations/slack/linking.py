"""Link Rota people to Slack accounts by email (users.lookupByEmail, users.info)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from integrations.slack import client
from integrations.slack.errors import SlackFailure
from integrations.slack.models import Installation, SlackUser

# Someone not found in Slack is looked up again after this long (they may have joined since).
FORGET_MISSING = timedelta(days=1)


def slack_id_for(*, installation: Installation, user: User) -> str:
    """Return the person's Slack user id in the workspace, or "" when no account has the email."""
    link = SlackUser.objects.filter(workspace_id=installation.workspace_id, user=user).first()
    if link is not None and (
        link.slack_user_id or link.looked_up_at > timezone.now() - FORGET_MISSING
    ):
        return link.slack_user_id
    try:
        data = client.call(installation.bot_token, "users.lookupByEmail", {"email": user.email})
        slack_id = str(data.get("user", {}).get("id", ""))
    except SlackFailure as failure:
        if failure.error != "users_not_found":
            raise
        slack_id = ""
    SlackUser.objects.update_or_create(
        workspace_id=installation.workspace_id,
        user=user,
        defaults={"slack_user_id": slack_id, "looked_up_at": timezone.now()},
    )
    return slack_id


def person_for(*, installation: Installation, slack_user_id: str) -> User | None:
    """Return the Rota person behind a Slack account: linked before, or found by its email."""
    link = (
        SlackUser.objects.filter(
            workspace_id=installation.workspace_id, slack_user_id=slack_user_id
        )
        .select_related("user")
        .first()
    )
    if link is not None:
        return link.user
    try:
        data = client.call(installation.bot_token, "users.info", {"user": slack_user_id})
    except SlackFailure as failure:
        if failure.permanent:
            return None
        raise
    email = str(data.get("user", {}).get("profile", {}).get("email", "")).strip()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is not None:
        SlackUser.objects.update_or_create(
            workspace_id=installation.workspace_id,
            user=user,
            defaults={"slack_user_id": slack_user_id, "looked_up_at": timezone.now()},
        )
    return user
