"""The one place webhooks talk HTTP: a guarded, bounded POST through rota.http."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from integrations.webhooks.errors import SendError
from rota import http

MAX_RESPONSE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    retry_after: int | None = None


def _retry_after(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST the body (guarded, bounded, no redirects followed) and return the answer."""
    try:
        response = http.fetch(
            "POST",
            url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Rota-Webhooks/1",
                **headers,
            },
            max_bytes=MAX_RESPONSE_BYTES,
            timeout=settings.WEBHOOK_TIMEOUT,
            follow_redirects=False,
        )
    except http.ResponseTooLarge:
        # The answer's start is all the log keeps; a receiver talking at length still answered.
        raise SendError("The receiver's answer was too long to read.") from None
    except http.FetchTimeout:
        raise SendError("The receiver did not answer in time.") from None
    except http.FetchError as error:
        raise SendError(str(error)[:300]) from None
    return Answer(
        status=response.status,
        body=response.body.decode("utf-8", "replace"),
        retry_after=_retry_after(response.headers.get("Retry-After")),
    )
