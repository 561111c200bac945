"""The one place Rota talks to Opsgenie: its schedule override API over the guarded session.

The official `opsgenie-sdk` (2.1.5) covers alerts, incidents, heartbeats and accounts only; it
has no schedule or override API, so these calls are plain HTTPS through `rota.urlguard`
(https://docs.opsgenie.com/docs/schedule-override-api). Auth is `Authorization: GenieKey KEY`.
Rota names each override itself (alias `rota-seat-<id>`), so a changed seat is one PUT that
replaces it. Opsgenie user names are email addresses: people are matched by email directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests
from django.conf import settings

from integrations.paging.errors import Refused, Retryable
from rota import urlguard


def alias_for(seat_key: int) -> str:
    """Return the override alias Rota uses for a seat."""
    return f"rota-seat-{seat_key}"


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _request(method: str, path: str, *, api_key: str, json: dict | None = None) -> dict[str, Any]:
    url = settings.OPSGENIE_API_URL.rstrip("/") + path
    session = urlguard.guarded_session()
    try:
        response = session.request(
            method,
            url,
            json=json,
            params={"scheduleIdentifierType": "id"},
            headers={"Authorization": f"GenieKey {api_key}", "Accept": "application/json"},
            timeout=settings.URL_FETCH_TIMEOUT,
            allow_redirects=False,
        )
    except urlguard.FetchError as error:
        raise Refused(str(error)) from None
    except requests.RequestException as error:
        raise Retryable(f"Could not reach Opsgenie: {error.__class__.__name__}.") from None
    finally:
        session.close()
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = f"Opsgenie answered {response.status_code}: {body.get('message', '')}".strip()[:300]
    if response.status_code == 429:
        value = response.headers.get("Retry-After", "")
        raise Retryable(
            "Opsgenie is rate limiting Rota (429).", int(value) if value.isdigit() else None
        )
    if response.status_code >= 500:
        raise Retryable(message)
    if response.status_code >= 400:
        raise Refused(message)
    return body


def _body(email: str, start: datetime, end: datetime) -> dict[str, Any]:
    return {
        "user": {"type": "user", "username": email},
        "startDate": _iso(start),
        "endDate": _iso(end),
    }


def create_override(
    *, api_key: str, schedule_id: str, seat_key: int, email: str, start: datetime, end: datetime
) -> str:
    """Create the seat's override and return its alias."""
    body = {"alias": alias_for(seat_key), **_body(email, start, end)}
    answer = _request("POST", f"/v2/schedules/{schedule_id}/overrides", api_key=api_key, json=body)
    return answer.get("data", {}).get("alias") or alias_for(seat_key)


def update_override(
    *, api_key: str, schedule_id: str, alias: str, email: str, start: datetime, end: datetime
) -> None:
    """Replace the override's person and times."""
    _request(
        "PUT",
        f"/v2/schedules/{schedule_id}/overrides/{alias}",
        api_key=api_key,
        json=_body(email, start, end),
    )


def delete_override(*, api_key: str, schedule_id: str, alias: str) -> None:
    """Delete the override; one already gone counts as deleted."""
    try:
        _request("DELETE", f"/v2/schedules/{schedule_id}/overrides/{alias}", api_key=api_key)
    except Refused as error:
        if " 404" not in str(error):
            raise
