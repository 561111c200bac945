"""Talk to Slack through slack_sdk, with every URL checked by the URL guard first."""

from __future__ import annotations

from typing import Any
from urllib.error import URLError

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from integrations.slack.errors import SlackFailure
from rota.urlguard import FetchError, check_url

TIMEOUT = 10
# Methods Slack reads as a form (they do not accept JSON bodies).
FORM_METHODS = {"oauth.v2.access", "users.lookupByEmail", "users.info", "usergroups.list"}
# Errors that a later attempt may not get: anything else is retried with back-off.
PERMANENT = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "missing_scope",
    "channel_not_found",
    "user_not_found",
    "users_not_found",
    "invalid_users",
    "message_not_found",
    "cant_update_message",
    "invalid_blocks",
    "invalid_arguments",
    "no_such_subteam",
    "paid_teams_only",
    "plan_upgrade_required",
    "permission_denied",
    "not_allowed_token_type",
    "invalid_code",
    "code_already_used",
    "bad_redirect_uri",
    "invalid_client_id",
    "bad_client_secret",
    "expired_url",
    "bad_response_url",
}


def check_api_url() -> str:
    """Return the Slack API base URL after the URL guard accepted it."""
    url = settings.SLACK_API_URL
    try:
        check_url(url)
    except FetchError as error:
        raise SlackFailure(f"SLACK_API_URL refused: {error}") from None
    return url


def check_response_url(url: str) -> str:
    """Return a response_url if it is Slack's (hooks.slack.com) and the URL guard allows it."""
    if not any(url.startswith(prefix) for prefix in settings.SLACK_RESPONSE_URL_PREFIXES):
        raise SlackFailure("bad_response_url", permanent=True)
    try:
        check_url(url)
    except FetchError:
        raise SlackFailure("bad_response_url", permanent=True) from None
    return url


def web_client(token: str | None = None) -> WebClient:
    """Return a WebClient on the checked base URL; retries are the outbox's job, not the SDK's."""
    return WebClient(
        token=token, base_url=check_api_url(), timeout=TIMEOUT, retry_handlers=[], proxy=None
    )


def call(token: str | None, method: str, args: dict[str, Any]) -> dict[str, Any]:
    """Call one Web API method with a JSON body (form for oauth.v2.access); return Slack's data."""
    client = web_client(token)
    try:
        if method in FORM_METHODS:
            response = client.api_call(method, data=args)
        else:
            response = client.api_call(method, json=args)
        return dict(response.data) if isinstance(response.data, dict) else {}
    except SlackApiError as error:
        raise _failure(error) from None
    except (URLError, OSError, TimeoutError) as error:
        raise SlackFailure(f"Slack could not be reached: {_reason(error)}") from None
    except ValueError as error:  # an answer that is not JSON, e.g. a proxy's error page
        raise SlackFailure(f"Slack sent an unreadable answer: {_reason(error)}") from None


def post_response(url: str, body: dict[str, Any]) -> None:
    """Post a message to a response_url (the answer to a command or a button)."""
    client = WebhookClient(check_response_url(url), timeout=TIMEOUT, retry_handlers=[])
    try:
        response = client.send_dict(body)
    except (URLError, OSError, TimeoutError) as error:
        raise SlackFailure(f"Slack could not be reached: {_reason(error)}") from None
    if response.status_code == 429:
        raise SlackFailure("ratelimited", retry_after=_seconds(response.headers))
    if response.status_code == 404 or response.body == "expired_url":
        raise SlackFailure("expired_url", permanent=True)
    if response.status_code >= 500:
        raise SlackFailure(f"Slack answered {response.status_code}")
    if response.status_code >= 400:
        raise SlackFailure(response.body[:100] or f"HTTP {response.status_code}", permanent=True)


def _failure(error: SlackApiError) -> SlackFailure:
    response = error.response
    status = getattr(response, "status_code", 0)
    code = ""
    if isinstance(response.data, dict):
        code = str(response.data.get("error") or "")
    if status == 429:
        return SlackFailure("ratelimited", retry_after=_seconds(response.headers))
    if status >= 500:
        return SlackFailure(f"Slack answered {status}")
    return SlackFailure(code or f"Slack answered {status}", permanent=code in PERMANENT)


def _seconds(headers: Any) -> int:
    values = {str(k).lower(): v for k, v in dict(headers or {}).items()}
    raw = values.get("retry-after")
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(1, int(str(raw)))
    except (TypeError, ValueError):
        return 30


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", error)
    return str(reason)[:150]
