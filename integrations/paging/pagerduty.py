"""The one place Rota talks to PagerDuty: REST API v2 through the official `pagerduty` client.

Calls (https://developer.pagerduty.com/api-reference/): `GET /users?query=EMAIL` to match a
person, `POST /schedules/{id}/overrides` and `DELETE /schedules/{id}/overrides/{override_id}`
for seats, `GET /oncalls` for history. Auth is `Authorization: Token token=KEY`. The client's
own sleeping retries are turned off: a 429 (with its Retry-After) or a 5xx becomes Retryable and
the outbox waits, so a worker never sleeps on a rate limit.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pagerduty
from django.conf import settings
from httpx2 import Request, Response

from integrations.paging.errors import PagingError, Refused, Retryable
from rota import urlguard

HISTORY_CHUNK = timedelta(days=90)  # /oncalls answers at most 90 days per query


class _RateLimited(Exception):
    def __init__(self, retry_after: int | None) -> None:
        self.retry_after = retry_after


def _guard(request: Request) -> None:
    try:
        urlguard.check_url(str(request.url))
    except urlguard.FetchError as error:
        raise Refused(str(error)) from None


class _Client(pagerduty.RestApiV2Client):
    # No sleeping on 429 or network errors inside a worker: the outbox retries later.
    max_network_attempts = 0

    def postprocess(self, response: Response, suffix: str | None = None) -> None:
        super().postprocess(response)
        if response.status_code == 429:
            value = response.headers.get("Retry-After", "")
            raise _RateLimited(int(value) if value.isdigit() else None)


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.PAGING_CA_BUNDLE or None)


def client(api_key: str) -> pagerduty.RestApiV2Client:
    """Return a REST API v2 client whose every request passes the URL guard."""
    return _Client(
        api_key,
        base_url=settings.PAGERDUTY_API_URL,
        timeout=settings.URL_FETCH_TIMEOUT,
        trust_env=False,
        verify=_tls(),
        event_hooks={"request": [_guard]},
    )


def _message(response: Response) -> str:
    try:
        error = response.json().get("error", {})
        text = error.get("message", "")
        details = "; ".join(error.get("errors", []))
    except (ValueError, AttributeError):
        text, details = "", ""
    return f"PagerDuty answered {response.status_code}: {text} {details}".strip()[:300]


def _call(action: Any) -> Any:
    """Run one client call, translating failures into Retryable or Refused."""
    try:
        response = action()
    except _RateLimited as limited:
        raise Retryable("PagerDuty is rate limiting Rota (429).", limited.retry_after) from None
    except pagerduty.HttpError as error:
        response = error.response
    except pagerduty.Error as error:
        raise Retryable(f"Could not reach PagerDuty: {error}"[:300]) from None
    except PagingError:
        raise
    if isinstance(response, Response):
        if response.status_code >= 500:
            raise Retryable(_message(response))
        if response.status_code >= 400:
            raise Refused(_message(response))
    return response


def user_id(api: pagerduty.RestApiV2Client, email: str) -> str:
    """Return the PagerDuty user id of the email address."""
    user = _call(lambda: _find_user(api, email))
    if user is None:
        raise Refused(f"No PagerDuty user has the email address {email}.")
    return user["id"]


def _find_user(api: pagerduty.RestApiV2Client, email: str) -> dict | None:
    try:
        return api.find("users", email, attribute="email")
    except pagerduty.HttpError as error:
        return error.response


def create_override(
    api: pagerduty.RestApiV2Client, *, schedule_id: str, user: str, start: datetime, end: datetime
) -> str:
    """Create an override and return its id."""
    body = {
        "overrides": [
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "user": {"id": user, "type": "user_reference"},
            }
        ]
    }
    response = _call(lambda: api.post(f"/schedules/{schedule_id}/overrides", json=body))
    try:
        result = response.json()
        item = result[0] if isinstance(result, list) else result
        if item.get("status", 201) >= 400:
            raise Refused(f"PagerDuty refused the override: {'; '.join(item.get('errors', []))}")
        return item["override"]["id"]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise Retryable("PagerDuty's answer to the override had no id.") from None


def delete_override(api: pagerduty.RestApiV2Client, *, schedule_id: str, override_id: str) -> None:
    """Delete an override; one already gone counts as deleted."""
    try:
        _call(lambda: api.delete(f"/schedules/{schedule_id}/overrides/{override_id}"))
    except Refused as error:
        if "404" not in str(error):
            raise


def oncalls(
    api: pagerduty.RestApiV2Client, *, schedule_id: str, since: datetime, until: datetime
) -> Iterator[tuple[str, datetime, datetime]]:
    """Yield (email, start, end) of the schedule's on-call periods between since and until."""
    start = since
    while start < until:
        end = min(until, start + HISTORY_CHUNK)
        params = {
            "schedule_ids[]": [schedule_id],
            "since": start.isoformat(),
            "until": end.isoformat(),
            "include[]": ["users"],
        }
        for item in _call(lambda p=params: list(api.iter_all("oncalls", params=p))):
            user = item.get("user") or {}
            if item.get("start") and item.get("end") and user.get("email"):
                yield (
                    user["email"],
                    datetime.fromisoformat(item["start"].replace("Z", "+00:00")),
                    datetime.fromisoformat(item["end"].replace("Z", "+00:00")),
                )
        start = end
