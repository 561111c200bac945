"""The one place webhooks talk HTTP: a guarded POST with a bounded read of the answer.

Kept small so it can be swapped for the shared bounded fetch helper (rota/http.py) later.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings

from rota import urlguard

MAX_RESPONSE_BYTES = 4096


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    retry_after: int | None = None


class SendError(Exception):
    """The request did not get an HTTP answer; the message says why, for the delivery log."""


def _retry_after(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST the body to the URL (guarded, no redirects followed) and return the answer."""
    try:
        urlguard.check_url(url)
    except urlguard.FetchError as error:
        raise SendError(str(error)) from None
    session = urlguard.guarded_session()
    try:
        response = session.post(
            url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Rota-Webhooks/1",
                **headers,
            },
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=False,
            stream=True,
        )
        with response:
            raw = next(response.iter_content(MAX_RESPONSE_BYTES), b"")
            return Answer(
                status=response.status_code,
                body=raw.decode("utf-8", "replace"),
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
    except urlguard.FetchError as error:
        raise SendError(str(error)) from None
    except requests.Timeout:
        raise SendError("The receiver did not answer in time.") from None
    except requests.ConnectionError:
        raise SendError("Could not connect to the receiver.") from None
    except requests.RequestException as error:
        raise SendError(f"The request failed: {error}"[:300]) from None
    finally:
        session.close()
