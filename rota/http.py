"""Outbound HTTP for everything Rota fetches: the URL guard, a byte cap and a total deadline.

`fetch(method, url, *, max_bytes, timeout)` sends one request, follows at most five
redirects (each hop checked by the URL guard) and returns a `Response`; it raises `FetchError`
(or a subclass) with a message meant for the person who entered the address. `timeout` is the
deadline of the whole call, redirects and a server that drips one byte at a time included:
a watchdog shuts the sockets when it passes. The body is streamed and refused once it grows
past `max_bytes`. Credentials (`auth`, an `Authorization` or `Cookie` header) are dropped as
soon as a redirect changes the scheme, host or port.

`bounded_session(max_bytes=..., timeout=...)` gives the same guarantees, per request, to a
library that wants a requests Session (`caldav.DAVClient`: `client.session = ...`).

The deadline's watchdog is `rota.fetch_watchdog`; the errors and their wording are
`rota.fetch_errors` (re-exported here: callers catch `http.FetchError` and its subclasses).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.auth import AuthBase
from requests.structures import CaseInsensitiveDict

from rota import urlguard
from rota.fetch_errors import (
    FetchTimeout,
    ResponseTooLarge,
    Unreachable,
    innermost,
    reason,
    seconds,
    size,
)
from rota.fetch_watchdog import Deadline, WatchedAdapter
from rota.urlguard import BlockedAddress, FetchError, describe_status

__all__ = [
    "BlockedAddress",
    "FetchError",
    "FetchTimeout",
    "ResponseTooLarge",
    "Unreachable",
    "Response",
    "fetch",
    "get_body",
    "bounded_session",
]

MAX_REDIRECTS = urlguard.MAX_REDIRECTS
CHUNK = 64 * 1024
# Headers that carry credentials: they go only to the origin they were given for.
CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass(frozen=True)
class Response:
    """A complete, size-capped answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status < 400

    def text(self, encoding: str = "utf-8") -> str:
        """Return the body decoded, replacing undecodable bytes."""
        return self.body.decode(encoding, errors="replace")

    def raise_for_status(self) -> Response:
        """Raise FetchError with a readable sentence for a 4xx or 5xx answer; else return self."""
        if self.status >= 400:
            problem = describe_status(self.status, self.reason)
            raise FetchError(f"Could not fetch the address: {problem}.")
        return self


# --- one call, redirects included --------------------------------------------------------------


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = None
    return parts.scheme, (parts.hostname or "").lower(), port


def _without_credentials(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}


def _read(response: requests.Response, *, max_bytes: int, deadline: Deadline) -> bytes:
    length = response.headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise ResponseTooLarge(f"The answer is larger than the limit of {size(max_bytes)}.")
    body = bytearray()
    for chunk in response.iter_content(chunk_size=CHUNK):
        body += chunk
        if len(body) > max_bytes:
            raise ResponseTooLarge(f"The answer is larger than the limit of {size(max_bytes)}.")
        deadline.check()
    # A socket shut by the watchdog reads as a clean end: the deadline tells them apart.
    deadline.check()
    return bytes(body)


def _one_hop(
    session: requests.Session,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    body: bytes | str | None,
    auth: Any,
    max_bytes: int,
    deadline: Deadline,
    extra: Mapping[str, Any],
) -> requests.Response:
    host = urlsplit(url).hostname or "the server"
    try:
        remaining = deadline.remaining()
        response = requests.Session.request(
            session,
            method,
            url,
            headers=dict(headers),
            data=body,
            auth=auth,
            timeout=(remaining, remaining),
            stream=True,
            allow_redirects=False,
            **extra,
        )
        with response:
            response._content = _read(response, max_bytes=max_bytes, deadline=deadline)
            response._content_consumed = True
        return response
    except FetchError:
        deadline.check()
        raise
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        deadline.check()
        if isinstance(error, requests.Timeout):
            raise FetchTimeout(
                f"The server did not answer within {seconds(deadline.timeout)}."
            ) from None
        if isinstance(error, requests.ConnectionError):
            inner = innermost(error)
            if isinstance(inner, FetchError):
                raise inner from None
            raise Unreachable(f"Could not connect to {host}: {reason(inner)}.") from None
        raise FetchError(f"The request to {host} failed: {reason(innermost(error))}.") from None


def _send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None,
    body: bytes | str | None,
    auth: Any,
    max_bytes: int,
    timeout: float,
    extra: Mapping[str, Any] | None = None,
    follow_redirects: bool = True,
) -> requests.Response:
    """Send a request and follow redirects within one deadline; return the last response."""
    first = _origin(url)
    headers = dict(headers or {})
    with Deadline(timeout) as deadline:
        for _hop in range(MAX_REDIRECTS + 1):
            urlguard.check_url(url)
            response = _one_hop(
                session,
                method,
                url,
                headers=headers,
                body=body,
                auth=auth,
                max_bytes=max_bytes,
                deadline=deadline,
                extra=extra or {},
            )
            if not response.is_redirect or not follow_redirects:
                return response
            url = urljoin(url, response.headers.get("Location", ""))
            if _origin(url) != first:
                # Credentials were given for the first origin only.
                auth = None
                headers = _without_credentials(headers)
            if response.status_code in (301, 302, 303) and method.upper() not in ("GET", "HEAD"):
                method, body = "GET", None
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        raise FetchError(f"The address redirects more than {MAX_REDIRECTS} times.")


def fetch(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
    max_bytes: int,
    timeout: float,
    auth: tuple[str, str] | AuthBase | None = None,
    follow_redirects: bool = True,
) -> Response:
    """Send one request through the URL guard within `timeout` seconds in total; return it."""
    session = urlguard.GuardedSession()
    session.mount("http://", WatchedAdapter(max_retries=0))
    session.mount("https://", WatchedAdapter(max_retries=0))
    try:
        response = _send(
            session,
            method,
            url,
            headers=headers,
            body=body,
            auth=auth,
            max_bytes=max_bytes,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
    finally:
        session.close()
    return Response(
        status=response.status_code,
        headers=CaseInsensitiveDict(response.headers),
        body=response.content,
        url=response.url,
        reason=response.reason or "",
    )


def get_body(
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    auth: tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """Return the body of a GET, raising FetchError for a 4xx or 5xx answer."""
    response = fetch("GET", url, headers=headers, max_bytes=max_bytes, timeout=timeout, auth=auth)
    if response.status >= 400:
        problem = describe_status(response.status, response.reason)
        raise FetchError(f"Could not fetch the file: {problem}.")
    return response.body


class BoundedSession(urlguard.GuardedSession):
    """A requests Session whose every request is guarded, size-capped and within a deadline."""

    def __init__(self, *, max_bytes: int, timeout: float, total: float | None = None) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.total = total
        self.ends_at: float | None = None
        self.timed_out: FetchTimeout | None = None
        adapter = WatchedAdapter(max_retries=0)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    # Narrower than Session.request on purpose: url and header values are str (the URL guard
    # reads them), and the parameters after `headers` come by keyword, as caldav and allauth
    # pass them; mypy's override check wants the full positional signature.
    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: Any = None,
        **kwargs: Any,
    ) -> requests.Response:
        # The caller's timeout and redirect choice give way to ours; the rest passes through.
        for ignored in ("timeout", "allow_redirects", "stream", "proxies"):
            kwargs.pop(ignored, None)
        if params:
            url = requests.Request("GET", url, params=params).prepare().url or url
        if self.timed_out is not None:
            # A library that retries after a timeout (caldav does) must not wait twice.
            raise self.timed_out
        timeout = self.timeout
        if self.total is not None:
            if self.ends_at is None:
                self.ends_at = time.monotonic() + self.total
            timeout = min(timeout, self.ends_at - time.monotonic())
            if timeout <= 0:
                self.timed_out = FetchTimeout(
                    f"The server did not answer within {seconds(self.total)}."
                )
                raise self.timed_out
        try:
            return _send(
                self,
                method,
                url,
                headers=headers,
                body=data,
                auth=auth,
                max_bytes=self.max_bytes,
                timeout=timeout,
                extra=kwargs,
            )
        except FetchTimeout as error:
            self.timed_out = error
            raise


def bounded_session(
    *, max_bytes: int, timeout: float, total: float | None = None
) -> BoundedSession:
    """Return a Session for libraries: each request capped at max_bytes and timeout seconds.

    With `total`, all the session's requests together end within that many seconds; after
    one request times out, every later one fails at once.
    """
    return BoundedSession(max_bytes=max_bytes, timeout=timeout, total=total)
